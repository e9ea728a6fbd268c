/**
 * A resource address → the line of its `resource "type" "name"` block in the Terraform source, so
 * an annotation points at the code to change. Modules are followed by folder name only when the
 * module's block names a local `source`; otherwise the root folder is searched.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Location } from "./findings.ts";

export interface ResourceIndex {
  /** `type.name` → where it is declared (repository-relative file, 1-based line). */
  declarations: Map<string, Location>;
}

const BLOCK = /^\s*resource\s+"([^"]+)"\s+"([^"]+)"/;

/** Indexes the `.tf` files under `dir` (repository-relative paths in the result). */
export async function indexTerraformSources(cloneDir: string, dir: string): Promise<ResourceIndex> {
  const root = path.resolve(cloneDir, dir);
  const declarations = new Map<string, Location>();
  let entries: { name: string; parentPath: string; isFile(): boolean }[] = [];
  try {
    entries = await readdir(root, { withFileTypes: true, recursive: true });
  } catch {
    return { declarations };
  }
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith(".tf") && !e.parentPath.includes(`${path.sep}.terraform`))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  for (const file of files) {
    const lines = (await readFile(file, "utf8")).split(/\r?\n/);
    const relative = path.relative(cloneDir, file).split(path.sep).join("/");
    lines.forEach((line, index) => {
      const match = BLOCK.exec(line);
      if (!match) return;
      const key = `${match[1]}.${match[2]}`;
      // The same name in several layers: the first (sorted) wins; ambiguous names are rare in a root.
      if (!declarations.has(key)) declarations.set(key, { file: relative, startLine: index + 1 });
    });
  }
  return { declarations };
}

/** `module.db.aws_db_instance.main[0]` → `aws_db_instance.main`. */
export function declarationKey(address: string): string | undefined {
  const parts = address.replace(/\[[^\]]*\]/g, "").split(".");
  while (parts[0] === "module") parts.splice(0, 2);
  if (parts[0] === "data") parts.shift();
  return parts.length >= 2 ? `${parts[0]}.${parts[1]}` : undefined;
}

export function locate(index: ResourceIndex, address: string | undefined): Location | undefined {
  if (!address) return undefined;
  const key = declarationKey(address);
  return key ? index.declarations.get(key) : undefined;
}
