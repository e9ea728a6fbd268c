/**
 * The flagged lines of a finding, read from the checked-out repository, for fingerprints that survive
 * line moves. Parsers get this as a dependency, so they stay pure in tests (`noSourceLines`).
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";

export interface SourceLines {
  /** Lines `startLine`..`endLine` (1-based, inclusive) of a repository-relative file, if it can be read. */
  read(file: string, startLine: number, endLine: number): string | undefined;
}

export const noSourceLines: SourceLines = { read: () => undefined };

/** Larger files are not read for fingerprints (minified bundles, lock files): the message is used instead. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** Reads files under `root` (the clone directory), each at most once; never outside it. */
export function sourceLinesUnder(root: string): SourceLines {
  const absoluteRoot = path.resolve(root);
  const cache = new Map<string, string[] | undefined>();

  const linesOf = (file: string): string[] | undefined => {
    if (cache.has(file)) return cache.get(file);
    let lines: string[] | undefined;
    const absolute = path.resolve(absoluteRoot, file);
    if (absolute.startsWith(absoluteRoot + path.sep)) {
      try {
        if (statSync(absolute).size <= MAX_FILE_BYTES) lines = readFileSync(absolute, "utf8").split(/\r?\n/);
      } catch {
        lines = undefined;
      }
    }
    cache.set(file, lines);
    return lines;
  };

  return {
    read(file, startLine, endLine) {
      const lines = linesOf(file);
      if (!lines || startLine < 1 || startLine > lines.length) return undefined;
      return lines.slice(startLine - 1, Math.max(startLine, endLine)).join("\n");
    },
  };
}
