/**
 * The variables' globs → input files, relative to the clone directory, in a stable order. A pattern
 * that matches nothing is an error: a plan that silently went missing would make the gate pass.
 */
import { glob } from "node:fs/promises";
import path from "node:path";
import { InputError } from "@pipes/core";

export async function matchFiles(
  variable: string,
  patterns: readonly string[],
  cloneDir: string,
): Promise<string[]> {
  const root = path.resolve(cloneDir);
  const files = new Set<string>();
  for (const pattern of patterns) {
    const matched: string[] = [];
    for await (const entry of glob(pattern, { cwd: root, withFileTypes: true })) {
      if (entry.isFile()) matched.push(path.join(entry.parentPath, entry.name));
    }
    if (matched.length === 0)
      throw new InputError(`${variable}: no file matches "${pattern}" in ${cloneDir}`, {
        suggestion:
          "Check the path, and that the step that wrote the file passes it on as an artifact or in the same step.",
      });
    for (const absolute of matched.sort()) files.add(absolute);
  }
  return [...files].map((absolute) => path.relative(root, absolute).split(path.sep).join("/"));
}
