import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Logger } from "@pipes/core";
import { afterAll, describe, expect, it } from "vitest";
import { bumpDependents } from "../../scripts/release/bump-dependents.ts";
import {
  changelogEntries,
  dependentBumps,
  type WorkspacePackage,
  withDependencyEntry,
} from "../../scripts/release/dependents.ts";

const root = path.resolve(import.meta.dirname, "../..");

/** The workspace packages of this repository as they are, none of them changed. */
function repositoryPackages(): WorkspacePackage[] {
  const dirs = [
    "shared/core",
    "shared/reports",
    "shared/bitbucket",
    "shared/oidc",
    "shared/testkit",
    "shared/cli",
    "pipes/security-gate",
  ];
  const packages = dirs.map((dir) => JSON.parse(readFileSync(path.join(root, dir, "package.json"), "utf8")));
  const names = new Set(packages.map((p) => p.name));
  return packages.map((pkg, i) => ({
    name: pkg.name,
    dir: dirs[i] as string,
    version: pkg.version,
    previousVersion: pkg.version,
    dependencies: Object.keys(pkg.dependencies ?? {}).filter((name) => names.has(name)),
    pipe: pkg.pipe !== undefined,
    changes: [],
  }));
}

function withChange(packages: WorkspacePackage[], name: string, version: string, changes: string[] = []) {
  return packages.map((p) => (p.name === name ? { ...p, version, changes } : p));
}

describe("which pipes a shared package's new version bumps", () => {
  it("gives security-gate a patch when @pipes/core changes", () => {
    const packages = withChange(repositoryPackages(), "@pipes/core", "0.1.1", ["Masks secrets in URLs."]);
    expect(dependentBumps(packages)).toEqual([
      {
        name: "@pipes/security-gate",
        dir: "pipes/security-gate",
        version: "0.1.1",
        bumped: true,
        updates: [{ name: "@pipes/core", version: "0.1.1", changes: ["Masks secrets in URLs."] }],
      },
    ]);
  });

  it("follows dependencies transitively: a pipe bundling only @pipes/bitbucket still bundles @pipes/core", () => {
    const packages = [
      ...withChange(repositoryPackages(), "@pipes/core", "0.1.1"),
      {
        name: "@pipes/state-guard",
        dir: "pipes/state-guard",
        version: "1.4.2",
        previousVersion: "1.4.2",
        dependencies: ["@pipes/bitbucket"],
        pipe: true,
        changes: [],
      },
    ];
    expect(dependentBumps(packages).map((b) => `${b.name}@${b.version}`)).toEqual([
      "@pipes/security-gate@0.1.1",
      "@pipes/state-guard@1.4.3",
    ]);
  });

  it("keeps a version that changesets already bumped, and only adds the entry", () => {
    const packages = withChange(
      withChange(repositoryPackages(), "@pipes/core", "0.2.0"),
      "@pipes/security-gate",
      "0.2.0",
    );
    expect(dependentBumps(packages)).toMatchObject([{ version: "0.2.0", bumped: false }]);
  });

  it("bumps nothing when only a package no pipe bundles changes", () => {
    expect(dependentBumps(withChange(repositoryPackages(), "@pipes/testkit", "0.2.0"))).toEqual([]);
  });
});

describe("the CHANGELOG entry of a dependency update", () => {
  const updates = [{ name: "@pipes/core", version: "0.1.1", changes: ["Masks secrets in URLs."] }];

  it("opens a section for the new version in changesets' format", () => {
    const changelog = "# @pipes/security-gate\n\n## 0.1.0\n\n### Minor Changes\n\n- First release.\n";
    expect(withDependencyEntry(changelog, "0.1.1", updates)).toBe(
      [
        "# @pipes/security-gate",
        "",
        "## 0.1.1",
        "",
        "### Patch Changes",
        "",
        "- Updated dependencies",
        "  - @pipes/core@0.1.1: Masks secrets in URLs.",
        "",
        "## 0.1.0",
        "",
        "### Minor Changes",
        "",
        "- First release.",
        "",
      ].join("\n"),
    );
  });

  it("joins the section changesets wrote for a pipe it bumped itself, once", () => {
    const changelog =
      "# @pipes/security-gate\n\n## 0.2.0\n\n### Minor Changes\n\n- abc123: New SCANNERS.\n\n## 0.1.0\n";
    const once = withDependencyEntry(changelog, "0.2.0", updates);
    expect(once).toBe(
      "# @pipes/security-gate\n\n## 0.2.0\n\n### Minor Changes\n\n- abc123: New SCANNERS.\n\n### Patch Changes\n\n- Updated dependencies\n  - @pipes/core@0.1.1: Masks secrets in URLs.\n\n## 0.1.0\n",
    );
    expect(withDependencyEntry(once, "0.2.0", updates)).toBe(once);
  });

  it("reads what a shared package's CHANGELOG says about a version", () => {
    const changelog =
      "# @pipes/core\n\n## 0.1.1\n\n### Patch Changes\n\n- 5d1f3a2: Masks secrets in URLs.\n  More detail.\n- Updated dependencies\n\n## 0.1.0\n\n- Old.\n";
    expect(changelogEntries(changelog, "0.1.1")).toEqual(["5d1f3a2: Masks secrets in URLs."]);
  });
});

describe("bump-dependents after a real `changeset version`", () => {
  const work = mkdtempSync(path.join(tmpdir(), "bump-dependents-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("bumps security-gate when a changeset only names @pipes/core, and running it again changes nothing", async () => {
    for (const file of [
      "package.json",
      ".changeset/config.json",
      "shared/core/package.json",
      "shared/reports/package.json",
      "shared/bitbucket/package.json",
      "shared/oidc/package.json",
      "shared/testkit/package.json",
      "shared/cli/package.json",
      "test/package.json",
      "pipes/security-gate/package.json",
      "pipes/security-gate/CHANGELOG.md",
    ]) {
      mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
      cpSync(path.join(root, file), path.join(work, file));
    }
    symlinkSync(path.join(root, "node_modules"), path.join(work, "node_modules"));
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: work });
    git("init", "--quiet", "--initial-branch=main");
    git("add", "--all");
    git("commit", "--quiet", "-m", "start");
    writeFileSync(
      path.join(work, ".changeset/core-urls.md"),
      '---\n"@pipes/core": patch\n---\n\nMasks secrets in URLs.\n',
    );
    git("add", "--all");
    git("commit", "--quiet", "-m", "a changeset");
    execFileSync("npx", ["changeset", "version"], { cwd: work, stdio: "ignore" });
    const version = () =>
      JSON.parse(readFileSync(path.join(work, "pipes/security-gate/package.json"), "utf8")).version;
    const before = version();

    const log = new Logger({ env: { NO_COLOR: "1" } });
    const lines = await bumpDependents(work, "HEAD", log);
    const changelog = readFileSync(path.join(work, "pipes/security-gate/CHANGELOG.md"), "utf8");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^@pipes\/security-gate (\d+\.\d+\.\d+) \(patch\): updated dependencies @pipes\/core@\d+\.\d+\.\d+$/,
    );
    expect(version()).not.toBe(before);
    expect(changelog).toContain(
      `## ${version()}\n\n### Patch Changes\n\n- Updated dependencies\n  - @pipes/core@`,
    );
    expect(changelog).toMatch(/@pipes\/core@\d+\.\d+\.\d+: [0-9a-f]{7}: Masks secrets in URLs\./);

    expect(await bumpDependents(work, "HEAD", log)).toEqual([]);
    expect(readFileSync(path.join(work, "pipes/security-gate/CHANGELOG.md"), "utf8")).toBe(changelog);
  });
});
