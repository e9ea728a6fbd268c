/**
 * Run after `changeset version` (npm run version does): every pipe that bundles a shared package
 * whose version changed since the last commit gets a patch bump and a CHANGELOG entry naming the
 * update (see dependents.ts for why changesets does not do it). Idempotent.
 *
 *   node scripts/release/bump-dependents.ts [--root DIR] [--since REF]
 */
import { glob, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { Logger, processEnv, runTool } from "@pipes/core";
import {
  changelogEntries,
  type DependentBump,
  dependentBumps,
  type WorkspacePackage,
  withDependencyEntry,
} from "./dependents.ts";

interface PackageJson {
  name: string;
  version: string;
  pipe?: unknown;
  dependencies?: Record<string, string>;
}

async function previousVersion(
  root: string,
  dir: string,
  since: string,
  log: Logger,
): Promise<string | undefined> {
  const result = await runTool(
    { tool: "git", args: ["show", `${since}:${dir}/package.json`], cwd: root, okExitCodes: [0, 128] },
    log,
  );
  return result.exitCode === 0 ? (JSON.parse(result.stdout) as PackageJson).version : undefined;
}

/** The workspace packages of the root package.json, with their versions before `since`. */
export async function workspacePackages(
  root: string,
  since: string,
  log: Logger,
): Promise<WorkspacePackage[]> {
  const rootPackage = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as {
    workspaces: string[];
  };
  const found: { dir: string; pkg: PackageJson }[] = [];
  for (const pattern of rootPackage.workspaces)
    for await (const file of glob(`${pattern}/package.json`, { cwd: root })) {
      const pkg = JSON.parse(await readFile(path.join(root, file), "utf8")) as PackageJson;
      found.push({ dir: path.dirname(file).split(path.sep).join("/"), pkg });
    }
  const names = new Set(found.map((f) => f.pkg.name));
  return Promise.all(
    found.map(async ({ dir, pkg }) => ({
      name: pkg.name,
      dir,
      version: pkg.version,
      previousVersion: await previousVersion(root, dir, since, log),
      dependencies: Object.keys(pkg.dependencies ?? {}).filter((name) => names.has(name)),
      pipe: pkg.pipe !== undefined,
      changes: changelogEntries(
        await readFile(path.join(root, dir, "CHANGELOG.md"), "utf8").catch(() => ""),
        pkg.version,
      ),
    })),
  );
}

async function apply(root: string, bump: DependentBump): Promise<boolean> {
  const packageFile = path.join(root, bump.dir, "package.json");
  const changelogFile = path.join(root, bump.dir, "CHANGELOG.md");
  const packageText = await readFile(packageFile, "utf8");
  const newPackage = packageText.replace(/("version":\s*")[^"]+(")/, `$1${bump.version}$2`);
  const changelog = await readFile(changelogFile, "utf8").catch(() => `# ${bump.name}\n`);
  const newChangelog = withDependencyEntry(changelog, bump.version, bump.updates);
  if (newPackage !== packageText) await writeFile(packageFile, newPackage);
  if (newChangelog !== changelog) await writeFile(changelogFile, newChangelog);
  return newPackage !== packageText || newChangelog !== changelog;
}

/** Applies the bumps; returns a line per pipe that changed. */
export async function bumpDependents(root: string, since: string, log: Logger): Promise<string[]> {
  const lines: string[] = [];
  for (const bump of dependentBumps(await workspacePackages(root, since, log))) {
    if (!(await apply(root, bump))) continue;
    const names = bump.updates.map((u) => `${u.name}@${u.version}`).join(", ");
    lines.push(`${bump.name} ${bump.version}${bump.bumped ? " (patch)" : ""}: updated dependencies ${names}`);
  }
  return lines;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      root: { type: "string", default: path.resolve(import.meta.dirname, "../..") },
      since: { type: "string", default: "HEAD" },
    },
  });
  const log = new Logger({ env: processEnv() });
  const lines = await bumpDependents(path.resolve(values.root), values.since, log);
  for (const line of lines) log.info(line);
  log.success(lines.length > 0 ? `bumped ${lines.length} dependent pipe(s)` : "no dependent pipe to bump");
}
