/**
 * The version step of a release (docs/releasing.md), what the "Version packages" commit holds:
 *
 *   1. `changeset version`: pending changesets → package.json versions and CHANGELOGs;
 *   2. bump-dependents: pipes bundling a shared package that changed get a patch and an entry;
 *   3. `scripts/generate-docs.ts`: pipe.yml `image:` follows the new versions;
 *   4. every `pipe: <workspace>/<name>:<version>` in the pipes' READMEs and the root README names the new version.
 *
 *   node scripts/release/version.ts [--root DIR]
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { Logger, processEnv, runTool } from "@pipes/core";
import { bumpDependents } from "./bump-dependents.ts";
import { withPipeVersion } from "./distribution.ts";
import { readPipes } from "./pipes.ts";

export async function versionPackages(root: string, log: Logger): Promise<void> {
  await runTool({ tool: "npx", args: ["changeset", "version"], cwd: root, stream: true, prefix: "" }, log);
  for (const line of await bumpDependents(root, "HEAD", log)) log.info(line);
  await runTool({ tool: "node", args: ["scripts/generate-docs.ts"], cwd: root }, log);
  const pipes = await readPipes(root);
  const readmes = [path.join(root, "README.md"), ...pipes.map((pipe) => path.join(pipe.dir, "README.md"))];
  for (const file of readmes) {
    const text = await readFile(file, "utf8").catch(() => undefined);
    if (text === undefined) continue;
    const updated = pipes.reduce((acc, pipe) => withPipeVersion(acc, pipe.reference, pipe.version), text);
    if (updated !== text) {
      await writeFile(file, updated);
      log.info(`${path.relative(root, file)}: pipe references set to the new versions`);
    }
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { root: { type: "string", default: path.resolve(import.meta.dirname, "../..") } },
  });
  const log = new Logger({ env: processEnv() });
  await versionPackages(path.resolve(values.root), log);
  log.success("versions, CHANGELOGs, pipe.yml and READMEs updated: review and commit them");
}
