/**
 * The pipes of a repository as a release sees them: `pipes/<name>/package.json` (version and the
 * `pipe` block).
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { InputError } from "@pipes/core";
import { z } from "zod";

export interface ReleasablePipe {
  /** The folder name, e.g. security-gate: the image and distribution repository name. */
  name: string;
  dir: string;
  packageName: string;
  version: string;
  /** `pipe.image` of package.json, `org/name`. */
  image: string;
  /** The distribution repository's web address, `pipe.repository`. */
  repositoryUrl: string;
  /** What a consumer writes after `pipe:` (without the tag): the distribution repository, `workspace/name`. */
  reference: string;
}

const PackageJson = z.object({
  name: z.string(),
  version: z.string(),
  pipe: z.object({ image: z.string().regex(/^[^:]+\/[^:]+$/), repository: z.url() }),
});

/** `https://bitbucket.org/bitbucket-pipes/security-gate` → `bitbucket-pipes/security-gate`. */
export function pipeReference(repositoryUrl: string): string {
  return new URL(repositoryUrl).pathname.replace(/^\/+|\/+$|\.git$/g, "");
}

export async function readPipes(root: string): Promise<ReleasablePipe[]> {
  const pipesDir = path.join(root, "pipes");
  const names = (await readdir(pipesDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const pipes: ReleasablePipe[] = [];
  for (const name of names) {
    const dir = path.join(pipesDir, name);
    const file = path.join(dir, "package.json");
    const parsed = PackageJson.safeParse(JSON.parse(await readFile(file, "utf8")));
    if (!parsed.success)
      throw new InputError(
        `${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
        {
          suggestion:
            'A pipe\'s package.json needs a version and a "pipe" block with image (org/name) and repository (URL).',
        },
      );
    const pkg = parsed.data;
    pipes.push({
      name,
      dir,
      packageName: pkg.name,
      version: pkg.version,
      image: pkg.pipe.image,
      repositoryUrl: pkg.pipe.repository,
      reference: pipeReference(pkg.pipe.repository),
    });
  }
  return pipes;
}
