/**
 * Pipes bundle the shared packages, so a change to `@pipes/core` is a change to every pipe that
 * bundles it. Changesets does not bump them: with `"@pipes/core": "*"` a new core version never
 * leaves the dependents' range, and `updateInternalDependencies` only acts when it does. After
 * `changeset version`, these functions give each pipe that depends (transitively) on a shared
 * package whose version just changed a patch bump and a CHANGELOG entry naming the update; a pipe
 * that changesets already bumped only gets the entry.
 */
import { formatVersion, parseVersion } from "@pipes/core";

export interface WorkspacePackage {
  name: string;
  /** Relative to the repository root, e.g. `pipes/security-gate`. */
  dir: string;
  version: string;
  /** The version before `changeset version` (from git); undefined for a new package. */
  previousVersion: string | undefined;
  /** Names of the workspace packages among its dependencies. */
  dependencies: readonly string[];
  /** A pipe (released as an image), not a shared package. */
  pipe: boolean;
  /** What the package's CHANGELOG says about its current version: the first line of each entry. */
  changes: readonly string[];
}

export interface DependencyUpdate {
  name: string;
  version: string;
  changes: readonly string[];
}

export interface DependentBump {
  name: string;
  dir: string;
  /** The pipe's version after the bump (its current one when changesets already bumped it). */
  version: string;
  /** Whether package.json's version changes. */
  bumped: boolean;
  updates: DependencyUpdate[];
}

function changed(pkg: WorkspacePackage): boolean {
  return pkg.previousVersion !== undefined && pkg.previousVersion !== pkg.version;
}

function nextPatch(version: string): string {
  const parsed = parseVersion(version);
  if (!parsed) throw new Error(`"${version}" is not a semantic version`);
  return formatVersion({ ...parsed, patch: parsed.patch + 1, prerelease: "" });
}

/** The bumps and CHANGELOG entries that the shared packages' new versions call for. */
export function dependentBumps(packages: readonly WorkspacePackage[]): DependentBump[] {
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  const bumps: DependentBump[] = [];
  for (const pipe of packages.filter((pkg) => pkg.pipe)) {
    const reached = new Set<string>();
    const queue = [...pipe.dependencies];
    while (queue.length > 0) {
      const name = queue.shift() as string;
      if (reached.has(name)) continue;
      reached.add(name);
      queue.push(...(byName.get(name)?.dependencies ?? []));
    }
    const updates = [...reached]
      .map((name) => byName.get(name))
      .filter((dep): dep is WorkspacePackage => dep !== undefined && !dep.pipe && changed(dep))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((dep) => ({ name: dep.name, version: dep.version, changes: dep.changes }));
    if (updates.length === 0) continue;
    const bumped = !changed(pipe);
    bumps.push({
      name: pipe.name,
      dir: pipe.dir,
      version: bumped ? nextPatch(pipe.version) : pipe.version,
      bumped,
      updates,
    });
  }
  return bumps;
}

/** The first line of each entry of a changesets CHANGELOG's section `## <version>`. */
export function changelogEntries(changelog: string, version: string): string[] {
  const section = sectionRange(changelog.split("\n"), version);
  if (!section) return [];
  return changelog
    .split("\n")
    .slice(section.start + 1, section.end)
    .filter((line) => line.startsWith("- ") && !line.startsWith("- Updated dependencies"))
    .map((line) => line.slice(2).trim());
}

function sectionRange(lines: readonly string[], version: string): { start: number; end: number } | undefined {
  const start = lines.findIndex((line) => line.trim() === `## ${version}`);
  if (start < 0) return undefined;
  const next = lines.findIndex((line, i) => i > start && /^## /.test(line));
  return { start, end: next < 0 ? lines.length : next };
}

function updateLines(updates: readonly DependencyUpdate[]): string[] {
  return updates.map(
    (u) => `  - ${u.name}@${u.version}${u.changes.length > 0 ? `: ${u.changes.join("; ")}` : ""}`,
  );
}

/**
 * The CHANGELOG with the entry for `version` naming the updated packages, in changesets' format:
 * a new `## version` / `### Patch Changes` section when there is none, else added to the section.
 * Unchanged when every update is already named (running it twice changes nothing).
 */
export function withDependencyEntry(
  changelog: string,
  version: string,
  updates: readonly DependencyUpdate[],
): string {
  const lines = changelog.split("\n");
  const section = sectionRange(lines, version);
  const missing = updates.filter(
    (u) =>
      !section ||
      !lines.slice(section.start, section.end).some((line) => line.startsWith(`  - ${u.name}@${u.version}`)),
  );
  if (missing.length === 0) return changelog;
  const entry = ["- Updated dependencies", ...updateLines(missing)];
  if (!section) {
    const title = lines.findIndex((line) => line.startsWith("# "));
    const at = title + 1;
    return [
      ...lines.slice(0, at),
      "",
      `## ${version}`,
      "",
      "### Patch Changes",
      "",
      ...entry,
      ...lines.slice(at),
    ].join("\n");
  }
  const body = lines.slice(section.start, section.end);
  let end = section.end;
  while (end > section.start + 1 && lines[end - 1]?.trim() === "") end--;
  const patchHeading = body.some((line) => line.trim() === "### Patch Changes");
  const insert = patchHeading ? entry : ["", "### Patch Changes", "", ...entry];
  return [...lines.slice(0, end), ...insert, ...lines.slice(end)].join("\n");
}
