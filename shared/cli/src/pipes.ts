/**
 * The pipes of this repository as the local runner sees them: folder, image name and version.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

export const repositoryRoot = path.resolve(import.meta.dirname, "../../..");

export interface LocalPipe {
  name: string;
  dir: string;
  version: string;
  /** Image repository, e.g. bitbucket-pipes/security-gate. */
  image: string;
  /** What a consumer writes after `pipe:`, without the tag. */
  reference: string;
}

export async function localPipe(name: string): Promise<LocalPipe> {
  const dir = path.join(repositoryRoot, "pipes", name);
  const pkg = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8").catch(() => "null")) as {
    version: string;
    pipe: { image: string };
  } | null;
  if (!pkg) throw new Error(`no pipe named "${name}" in ${path.join(repositoryRoot, "pipes")}`);
  return { name, dir, version: pkg.version, image: pkg.pipe.image, reference: pkg.pipe.image };
}

/** `bitbucket-pipes/security-gate:1.2.3` → the local pipe `security-gate`. */
export function pipeNameOf(reference: string): string {
  const withoutTag = reference.split(":")[0] ?? reference;
  return withoutTag.split("/").pop() ?? withoutTag;
}
