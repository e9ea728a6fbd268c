/**
 * The flagged lines of a finding, read from the checked-out repository, for fingerprints that survive
 * line moves. Parsers get this as a dependency, so they stay pure in tests (`noSourceLines`).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export interface SourceLines {
  /** Lines `startLine`..`endLine` (1-based, inclusive) of a repository-relative file, if it can be read. */
  read(file: string, startLine: number, endLine: number): string | undefined;
}

export const noSourceLines: SourceLines = { read: () => undefined };

/** Paths the shortcut in linesOf does not take: absolute, with "." or ".." segments, or "//". */
const NOT_PLAIN = /^\/|\/\/|(^|\/)\.\.?(\/|$)/;

/** Larger files are not read for fingerprints (minified bundles, lock files): the message is used instead. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

/**
 * Reads files under `root` (the clone directory), each at most once; never outside it. Folders are
 * listed once each, so the files a report names but the checkout lacks (a report from another
 * checkout, a module folder not checked out) cost no system call each.
 */
export function sourceLinesUnder(root: string): SourceLines {
  const absoluteRoot = path.resolve(root);
  const cache = new Map<string, string[] | undefined>();
  const listings = new Map<string, Set<string> | undefined>();

  /** The names in a folder under the root; undefined when it is not a readable folder. */
  const entriesOf = (folder: string): Set<string> | undefined => {
    if (listings.has(folder)) return listings.get(folder);
    const parent = path.dirname(folder);
    let entries: Set<string> | undefined;
    if (folder === absoluteRoot || entriesOf(parent)?.has(path.basename(folder))) {
      try {
        entries = new Set(readdirSync(folder));
      } catch {
        entries = undefined;
      }
    }
    listings.set(folder, entries);
    return entries;
  };

  const linesOf = (file: string): string[] | undefined => {
    if (cache.has(file)) return cache.get(file);
    // A plain relative path whose first folder the clone does not have (a report from another
    // checkout, module folders not checked out): known absent without resolving it.
    if (!NOT_PLAIN.test(file)) {
      const slash = file.indexOf("/");
      if (slash > 0 && !entriesOf(absoluteRoot)?.has(file.slice(0, slash))) return undefined;
    }
    let lines: string[] | undefined;
    const absolute = path.resolve(absoluteRoot, file);
    if (
      absolute.startsWith(absoluteRoot + path.sep) &&
      entriesOf(path.dirname(absolute))?.has(path.basename(absolute))
    ) {
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
