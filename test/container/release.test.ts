/**
 * `npm run release` end to end, on a copy of this repository: a real registry (distribution 2.8 on
 * 127.0.0.1, plain HTTP), a bare git repository as the distribution remote, the images built from
 * the pipe's own Dockerfile on the already built tools image. Three releases: 0.1.0 as it is, 0.1.1
 * from a changeset on @pipes/core (bump-dependents), 0.2.0 from a changeset on the pipe; then each
 * tag is pulled and run as a consumer would. RELEASE_SKIP_CONTRACT_TEST=1: the contract test is
 * test/container/security-gate.test.ts itself, run by this suite.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { docker, runPipeContainer } from "@pipes/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  type LocalRegistry,
  manifestDigest,
  pullInsecure,
  registryAvailable,
  registryTags,
  startRegistry,
} from "../release/local-registry.ts";
import { containerEngine, repositoryRoot } from "./engine.ts";

const engine = containerEngine();
const registryBinary = registryAvailable();
const ready = engine.available && registryBinary.available;
const PIPE = "bitbucket-pipes/security-gate";
const REPOSITORY = "acme/security-gate";

const YAML_DEFINITION = `
## YAML Definition

\`\`\`yaml
script:
  - pipe: bitbucket-pipes/security-gate:0.1.0
\`\`\`
`;

interface Released {
  output: string;
  status: number;
  seconds: number;
}

describe.skipIf(!ready)("npm run release, with a real registry and a git remote", () => {
  let work: string;
  let repo: string;
  let bare: string;
  let registry: LocalRegistry;
  let env: Record<string, string>;
  const digests: Record<string, string> = {};
  const timings: string[] = [];

  const git = (cwd: string, ...args: string[]) =>
    execFileSync("git", ["-c", "user.name=Release Test", "-c", "user.email=release@example.com", ...args], {
      cwd,
      encoding: "utf8",
    }).trim();

  function run(script: string, ...args: string[]): Released {
    const started = Date.now();
    const result = spawnSync("node", [path.join(repositoryRoot, script), "--root", repo, ...args], {
      cwd: repositoryRoot,
      env: { ...process.env, ...env },
      encoding: "utf8",
      timeout: 600_000,
    });
    const seconds = (Date.now() - started) / 1000;
    timings.push(`${script} ${args.join(" ")}: ${seconds.toFixed(1)}s`);
    return { output: `${result.stdout}${result.stderr}`, status: result.status ?? -1, seconds };
  }

  async function addChangeset(name: string, bump: string, text: string) {
    await writeFile(path.join(repo, ".changeset", `${name}.md`), `---\n${bump}\n---\n\n${text}\n`);
    git(repo, "add", "--all");
    git(repo, "commit", "--quiet", "-m", `changeset: ${text}`);
  }

  /** The version step, committed as the "Version packages" pull request would be. */
  function versionPackages() {
    const versioned = run("scripts/release/version.ts");
    expect(versioned.status, versioned.output).toBe(0);
    git(repo, "add", "--all");
    git(repo, "commit", "--quiet", "-m", "Version packages");
  }

  const distFile = (tag: string, file: string) => git(bare, "show", `${tag}:${file}`);

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "release-test-"));
    repo = path.join(work, "repo");
    bare = path.join(work, "git", "security-gate.git");
    registry = await startRegistry(path.join(work, "registry"));
    await mkdir(path.dirname(bare), { recursive: true });
    git(work, "init", "--quiet", "--bare", "--initial-branch=main", bare);

    // The working tree as it is (tracked and new files), node_modules shared with this checkout;
    // of the pipes only security-gate, the one this test releases (the others have no distribution remote here).
    const files = git(repositoryRoot, "ls-files", "--cached", "--others", "--exclude-standard")
      .split("\n")
      .filter((f) => !f.startsWith("pipes/") || f.startsWith("pipes/security-gate/"));
    for (const file of files) {
      const source = path.join(repositoryRoot, file);
      await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
      await cp(source, path.join(repo, file)).catch(() => undefined); // deleted but still in the index
    }
    await symlink(path.join(repositoryRoot, "node_modules"), path.join(repo, "node_modules"));
    // Pending changesets of the real repository are not this test's; the README gets a YAML definition.
    for (const file of files.filter((f) => /^\.changeset\/(?!README).*\.md$/.test(f)))
      await rm(path.join(repo, file));
    const readme = path.join(repo, "pipes/security-gate/README.md");
    const text = await readFile(readme, "utf8");
    if (!text.includes(`pipe: ${PIPE}:`))
      await writeFile(readme, text.replace("\n## Variables", `${YAML_DEFINITION}\n## Variables`));
    const pkgFile = path.join(repo, "pipes/security-gate/package.json");
    const pkg = JSON.parse(await readFile(pkgFile, "utf8"));
    await writeFile(pkgFile, `${JSON.stringify({ ...pkg, version: "0.1.0" }, null, 2)}\n`);
    git(repo, "init", "--quiet", "--initial-branch=main");
    git(repo, "add", "--all");
    git(repo, "commit", "--quiet", "-m", "the pipes monorepo");
    const docs = spawnSync("node", ["scripts/generate-docs.ts"], { cwd: repo, encoding: "utf8" });
    expect(docs.status, docs.stderr).toBe(0);
    git(repo, "commit", "--quiet", "--all", "--allow-empty", "-m", "docs");

    env = {
      RELEASE_REGISTRY: registry.address,
      RELEASE_ORG: "acme",
      RELEASE_DIST_REMOTE_TEMPLATE: `file://${path.join(work, "git")}/{name}.git`,
      RELEASE_SKIP_CONTRACT_TEST: "1",
      NO_COLOR: "1",
    };
  });

  afterAll(async () => {
    console.log(`release test timings:\n  ${timings.join("\n  ")}`);
    await registry?.stop();
    const client = docker();
    for (const image of await client.listImages().catch(() => []))
      for (const tag of image.RepoTags ?? [])
        if (registry && tag.startsWith(`${registry.address}/`))
          await client
            .getImage(tag)
            .remove()
            .catch(() => undefined);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("releases 0.1.0: the image as 0.1.0, 0.1 and 0, the distribution repository with the same tags", async () => {
    const first = run("scripts/release.ts");
    expect(first.status, first.output).toBe(0);
    expect(first.output).toContain("contract test skipped (RELEASE_SKIP_CONTRACT_TEST)");
    expect(first.output).toMatch(/security-gate 0\.1\.0: released sha256:[0-9a-f]{64}/);
    expect(await registryTags(registry.address, REPOSITORY)).toEqual(["0", "0.1", "0.1.0"]);
    for (const tag of ["0.1.0", "0.1", "0"])
      digests[`first:${tag}`] = (await manifestDigest(registry.address, REPOSITORY, tag)) ?? "none";
    expect(new Set(Object.values(digests)).size).toBe(1);
    expect(git(bare, "tag", "--list").split("\n").sort()).toEqual(["0", "0.1", "0.1.0"]);
    expect(git(bare, "ls-tree", "--name-only", "0.1.0").split("\n").sort()).toEqual([
      "CHANGELOG.md",
      "README.md",
      "pipe.yml",
      "sbom.cdx.json",
    ]);
    expect(parse(distFile("0.1.0", "pipe.yml")).image).toBe(`${registry.address}/${REPOSITORY}:0.1.0`);
    expect(distFile("0.1.0", "README.md")).toContain(`pipe: ${PIPE}:0.1.0`);
  });

  it("says “already released” when run again, and changes nothing", async () => {
    const refsBefore = git(bare, "show-ref");
    const again = run("scripts/release.ts");
    expect(again.status, again.output).toBe(0);
    expect(again.output).toContain("security-gate 0.1.0: already released");
    expect(again.output).toContain("nothing to release");
    expect(git(bare, "show-ref")).toBe(refsBefore);
    expect(await manifestDigest(registry.address, REPOSITORY, "0")).toBe(digests["first:0"]);
  });

  it("turns a changeset on @pipes/core into security-gate 0.1.1 with a CHANGELOG entry, and releases it", async () => {
    await addChangeset("core-urls", '"@pipes/core": patch', "Masks secrets in URLs.");
    versionPackages();
    const pkg = JSON.parse(await readFile(path.join(repo, "pipes/security-gate/package.json"), "utf8"));
    expect(pkg.version).toBe("0.1.1");
    expect(await readFile(path.join(repo, "pipes/security-gate/pipe.yml"), "utf8")).toContain(
      `image: ${PIPE}:0.1.1`,
    );

    const second = run("scripts/release.ts");
    expect(second.status, second.output).toBe(0);
    expect(second.output).toMatch(/security-gate 0\.1\.1: released/);
    const changelog = distFile("0.1.1", "CHANGELOG.md");
    expect(changelog).toMatch(
      /## 0\.1\.1\n\n### Patch Changes\n\n- Updated dependencies\n {2}- @pipes\/core@0\.1\.1: [0-9a-f]{7}: Masks secrets in URLs\./,
    );
    expect(distFile("0.1.1", "README.md")).toContain(`pipe: ${PIPE}:0.1.1`);
    expect(await registryTags(registry.address, REPOSITORY)).toEqual(["0", "0.1", "0.1.0", "0.1.1"]);
  });

  it("releases 0.2.0 from a minor changeset: 0 moves to it, 0.1 stays on 0.1.1, 0.1.0 never moves", async () => {
    await addChangeset("new-scanner-option", '"@pipes/security-gate": minor', "A new option.");
    versionPackages();
    const third = run("scripts/release.ts");
    expect(third.status, third.output).toBe(0);
    const resolve = (tag: string) => manifestDigest(registry.address, REPOSITORY, tag);
    expect(await resolve("0.1.0")).toBe(digests["first:0.1.0"]);
    expect(await resolve("0.1")).toBe(await resolve("0.1.1"));
    expect(await resolve("0")).toBe(await resolve("0.2.0"));
    expect(new Set([await resolve("0.1.0"), await resolve("0.1.1"), await resolve("0.2.0")]).size).toBe(3);
    expect(git(bare, "tag", "--list").split("\n").sort()).toEqual([
      "0",
      "0.1",
      "0.1.0",
      "0.1.1",
      "0.2",
      "0.2.0",
    ]);
    for (const [tag, version] of [
      ["0", "0.2.0"],
      ["0.1", "0.1.1"],
      ["0.2", "0.2.0"],
      ["0.1.0", "0.1.0"],
    ])
      expect(parse(distFile(tag as string, "pipe.yml")).image, tag).toBe(
        `${registry.address}/${REPOSITORY}:${version}`,
      );
    expect(git(bare, "rev-parse", "main")).toBe(git(bare, "rev-parse", "0.2.0^{commit}"));
  });

  it.each([
    ["0.1.0", "0.1.0"],
    ["0.1", "0.1.1"],
    ["0", "0.2.0"],
  ])(
    "pulls %s as a consumer would and runs it: security-gate %s, with its labels and SBOM",
    async (tag, version) => {
      const reference = `${registry.address}/${REPOSITORY}:${tag}`;
      const client = docker();
      await client
        .getImage(reference)
        .remove({ noprune: true })
        .catch(() => undefined);
      await pullInsecure(reference);
      const expected = await manifestDigest(registry.address, REPOSITORY, version);
      const info = await client.getImage(reference).inspect();
      expect(info.RepoDigests).toContain(`${registry.address}/${REPOSITORY}@${expected}`);

      const labels = info.Config.Labels ?? {};
      expect(labels["org.opencontainers.image.version"]).toBe(version);
      expect(labels["org.opencontainers.image.revision"]).toMatch(/^[0-9a-f]{40}$/);
      expect(labels["org.opencontainers.image.source"]).toBe(
        "https://bitbucket.org/bitbucket-pipes/security-gate",
      );
      expect(Date.parse(labels["org.opencontainers.image.created"] ?? "")).toBeGreaterThan(
        Date.now() - 3_600_000,
      );
      const sbom = distFile(version, "sbom.cdx.json");
      expect(createHash("sha256").update(`${sbom}\n`).digest("hex")).toBe(
        labels["bitbucket-pipes.sbom.sha256"],
      );
      expect(JSON.parse(sbom).metadata.component).toMatchObject({ name: REPOSITORY, version });

      const cloneDir = await mkdtemp(path.join(work, "clone-"));
      const run = await runPipeContainer({
        image: reference,
        pipe: PIPE,
        cloneDir,
        variables: { SCANNERS: ["bandit"] },
        env: { NO_COLOR: "1", PIPE_VERSION_CHECK: "false" },
        timeoutMs: 60_000,
      });
      expect(run.output.split("\n")[0]).toBe(`security-gate ${version}`);
      expect(run.exitCode).toBe(2);
    },
  );
});

it("has a container engine and a registry when CI requires them", () => {
  if (process.env.REQUIRE_CONTAINER_ENGINE) {
    expect(engine.reason).toBe("");
    expect(registryBinary.reason).toBe("");
  }
});
