/**
 * The container contract of multicloud-plan: its image, built from its own Dockerfile with the
 * simulation provider mirror (docker/providers), run the way Bitbucket Pipelines runs a pipe against
 * the example repository: a feature branch's PR plans azure-dev and gcp-dev with real terraform,
 * publishes to the fake Bitbucket, leaves the plans in the shared pipe storage; MODE=apply then
 * applies exactly those plans.
 */
import { execFileSync } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { prepareExampleRepository } from "@pipes/cli";
import {
  buildImage,
  type FakeBitbucket,
  type PipeRunResult,
  runPipeContainer,
  SHARED_STORAGE_DIR,
  startFakeBitbucket,
} from "@pipes/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containerEngine, repositoryRoot } from "./engine.ts";

const IMAGE = process.env.CONTRACT_TEST_IMAGE ?? "bitbucket-pipes/multicloud-plan:contract-test";
const PIPE = "bitbucket-pipes/multicloud-plan";
const ACCESS_TOKEN = "bbat-multicloud-contract-0123456789abcdef";
const BRANCH = "feature/tags-cleanup";

const engine = containerEngine();

describe.skipIf(!engine.available)("multicloud-plan image, run as Bitbucket Pipelines runs a pipe", () => {
  let fake: FakeBitbucket;
  let repo: string;
  let head: string;
  let plan: PipeRunResult;
  const shared = () =>
    path.join(repo, path.relative("/opt/atlassian/pipelines/agent/build", SHARED_STORAGE_DIR));

  beforeAll(async () => {
    if (!process.env.CONTRACT_TEST_IMAGE) {
      const context = path.join(repositoryRoot, "pipes/multicloud-plan");
      execFileSync("bash", [
        path.join(repositoryRoot, "docker/providers/build.sh"),
        "--copy",
        path.join(context, "providers"),
      ]);
      await buildImage({
        contextDir: context,
        tag: IMAGE,
        buildArgs: { VERSION: "0.1.0" },
        entries: ["Dockerfile", "dist", "package.json", "providers"],
      });
    }
    fake = await startFakeBitbucket({
      credentials: { accessTokens: [ACCESS_TOKEN] },
      seed: { pullRequests: [{ id: 9, sourceBranch: BRANCH, destinationBranch: "main" }] },
    });
    ({ repo, head } = await prepareExampleRepository(
      path.join(repositoryRoot, "examples/infrastructure"),
      path.join(tmpdir(), `multicloud-plan-contract-${process.pid}`),
    ));
    plan = await runPipeContainer({
      image: IMAGE,
      pipe: PIPE,
      cloneDir: repo,
      step: { commit: head, branch: BRANCH, prId: 9, prDestinationBranch: "main" },
      variables: {
        CONFIG_FILE: "live/multicloud-plan.yml",
        BITBUCKET_ACCESS_TOKEN: ACCESS_TOKEN,
        BITBUCKET_API_URL: fake.apiUrl,
        DEBUG: "true",
      },
      env: { NO_COLOR: "1" },
      timeoutMs: 300_000,
    });
  }, 900_000);

  afterAll(async () => {
    await fake?.close();
  });

  it("prints its name and version first, plans the branch's targets and exits by its verdict", () => {
    const lines = plan.output.trim().split("\n");
    expect(lines[0]).toBe("multicloud-plan 0.1.0");
    expect(plan.output).toMatch(/targets \(.*\): azure-dev, gcp-dev/);
    expect(plan.output).not.toContain(ACCESS_TOKEN);
    expect(plan.exitCode).toBe(0);
    expect(plan.output.trim().split("\n").at(-1)).toBe(
      "✔ multicloud-plan: 2 targets (azure-dev, gcp-dev): 6 to create",
    );
  });

  it("leaves each target's saved plan and plan JSON, and result.json, in the shared pipe storage", async () => {
    const dir = path.join(shared(), "multicloud-plan");
    const result = JSON.parse(await readFile(path.join(dir, "result.json"), "utf8"));
    expect(result).toMatchObject({
      pipe: "multicloud-plan",
      mode: "plan",
      binary: "terraform",
      commit: head,
    });
    expect(
      result.targets.map((t: { target: { name: string }; status: string }) => `${t.target.name}:${t.status}`),
    ).toEqual(["azure-dev:planned", "gcp-dev:planned"]);
    for (const target of ["azure-dev", "gcp-dev"]) {
      const files = await readdir(path.join(dir, target), { recursive: true });
      expect(files.some((f) => String(f).endsWith(".json"))).toBe(true);
    }
    expect(result.totals.create).toBeGreaterThan(0);
  });

  it("writes JUnit with one case per target and check, and a sticky PR comment with a per-target summary", async () => {
    const junit = await readFile(path.join(repo, "test-results/multicloud-plan.xml"), "utf8");
    expect(junit).toMatch(/<testcase[^>]*azure-dev/);
    expect(junit).toMatch(/<testcase[^>]*gcp-dev/);
    expect(fake.violations).toEqual([]);
    expect(fake.callsTo("PUT", "**/commit/*/reports/*")).toHaveLength(1);
    const comments = fake.callsTo("POST", "**/pullrequests/9/comments");
    expect(comments).toHaveLength(1);
  });

  it("applies exactly the saved plans with MODE=apply", async () => {
    const apply = await runPipeContainer({
      image: IMAGE,
      pipe: PIPE,
      cloneDir: repo,
      step: { commit: head, branch: BRANCH },
      variables: {
        MODE: "apply",
        CONFIG_FILE: "live/multicloud-plan.yml",
        CODE_INSIGHTS: false,
        PR_COMMENT: false,
      },
      env: { NO_COLOR: "1" },
      timeoutMs: 300_000,
    });
    expect(apply.output).toContain("Apply complete!");
    expect(apply.exitCode).toBe(0);
    // The state moved on: the same plans again are stale, and refused.
    const again = await runPipeContainer({
      image: IMAGE,
      pipe: PIPE,
      cloneDir: repo,
      step: { commit: head, branch: BRANCH },
      variables: {
        MODE: "apply",
        CONFIG_FILE: "live/multicloud-plan.yml",
        CODE_INSIGHTS: false,
        PR_COMMENT: false,
      },
      env: { NO_COLOR: "1" },
      timeoutMs: 300_000,
    });
    expect(again.output).not.toContain("Apply complete!");
    expect(again.output).toMatch(/stale/i);
    expect(again.exitCode).not.toBe(0);
  }, 400_000);
});
