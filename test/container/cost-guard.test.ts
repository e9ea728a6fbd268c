/**
 * The container contract of cost-guard: its image, built from its own Dockerfile, run the way
 * Bitbucket Pipelines runs a pipe, against the example repository with a real Infracost diff handed
 * over by an earlier step, and the spec-validating fake Bitbucket for approvals, comment and report.
 */
import { cp, readdir, readFile, writeFile } from "node:fs/promises";
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
import { containerEngine, repositoryRoot, sharedFixtures } from "./engine.ts";

const IMAGE = process.env.CONTRACT_TEST_IMAGE ?? "bitbucket-pipes/cost-guard:contract-test";
const PIPE = "bitbucket-pipes/cost-guard";
const ACCESS_TOKEN = "bbat-cost-guard-contract-0123456789";
const INFRACOST_KEY = "ico-contract-test-secret-key-9f8e7d";
const ann = { display_name: "Ann FinOps", uuid: "{0b7f6a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b}", nickname: "ann" };
const eve = { display_name: "Eve Dev", uuid: "{2d9b8c40-3e5f-4a7b-8c1d-2e3f4a5b6c7d}", nickname: "eve" };

/** The dev project of breakdown-comment.json rises by 0.876 USD: over this budget, so approval is required. */
const CONFIG = `environments:
  dev: ["*dev*"]
  prod: ["*prod*"]
budgets:
  - name: dev increase
    scope: { environment: dev }
    increase: { absolute: "0.50" }
    action: require-approval
  - name: prod ceiling
    scope: { environment: prod }
    monthly: 1000
    action: warn
approvals:
  approvers: ["group:finops"]
  groups: { finops: [ann] }
`;

const engine = containerEngine();

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function clone(name: string, infracost = "breakdown-comment.json") {
  const cloned = await prepareExampleRepository(
    path.join(repositoryRoot, "examples/infrastructure"),
    path.join(tmpdir(), `cost-guard-contract-${process.pid}-${name}`),
  );
  await cp(path.join(sharedFixtures, "infracost", infracost), path.join(cloned.repo, "infracost.json"));
  await writeFile(path.join(cloned.repo, ".cost-guard.yml"), CONFIG);
  return cloned;
}

describe.skipIf(!engine.available)("cost-guard image, run as Bitbucket Pipelines runs a pipe", () => {
  let fake: FakeBitbucket;

  beforeAll(async () => {
    if (!process.env.CONTRACT_TEST_IMAGE)
      await buildImage({
        contextDir: path.join(repositoryRoot, "pipes/cost-guard"),
        tag: IMAGE,
        buildArgs: { VERSION: "0.1.0" },
      });
    fake = await startFakeBitbucket({ credentials: { accessTokens: [ACCESS_TOKEN] } });
  });
  afterAll(async () => {
    await fake?.close();
  });

  async function runOn(
    repo: string,
    head: string,
    variables: Record<string, string>,
  ): Promise<PipeRunResult> {
    return runPipeContainer({
      image: IMAGE,
      pipe: PIPE,
      cloneDir: repo,
      step: { commit: head, branch: "feature/bigger-dev", prId: 7, prDestinationBranch: "main" },
      variables: { BITBUCKET_ACCESS_TOKEN: ACCESS_TOKEN, BITBUCKET_API_URL: fake.apiUrl, ...variables },
      env: { NO_COLOR: "1" },
    });
  }

  it("passes a budget that requires approval once an allowed approver approved the PR, and publishes everything", async () => {
    fake.reset();
    fake.seed({
      pullRequests: [
        {
          id: 7,
          author: eve,
          participants: [
            { user: ann, role: "REVIEWER", approved: true },
            { user: eve, role: "PARTICIPANT", approved: false },
          ],
        },
      ],
    });
    const { repo, head } = await clone("approved");
    const run = await runOn(repo, head, { INFRACOST_FILE: "infracost.json", DEBUG: "true" });
    const lines = run.output.trim().split("\n");
    expect(lines[0]).toBe("cost-guard 0.1.0");
    expect(lines.at(-1)).toBe("✔ cost-guard: PASS: approval required and given by ann");
    expect(run.exitCode).toBe(0);
    expect(run.output).not.toContain(ACCESS_TOKEN);

    expect(fake.violations).toEqual([]);
    expect(fake.callsTo("GET", "/repositories/*/*/pullrequests/7")).toHaveLength(1);
    const comments = fake.comments();
    expect(comments).toHaveLength(1);
    expect(comments[0]?.raw).toContain("Cost guard: PASS");
    expect(comments[0]?.raw).toContain("Monthly cost 5,269.21 USD → 3,027.53 USD (-2,241.68 USD)");
    expect(comments[0]?.raw).toMatch(
      /\| my terragrunt dev project \| dev \| 51\.09 USD \| 51\.97 USD \| \+0\.88 USD \|/,
    );
    const [report] = fake.reports();
    expect(report?.reportId).toBe("cost-guard");
    expect(report?.report.result).toBe("PASSED");

    const shared = path.join(
      repo,
      path.relative("/opt/atlassian/pipelines/agent/build", SHARED_STORAGE_DIR),
      "cost-guard",
    );
    const result = JSON.parse(await readFile(path.join(shared, "result.json"), "utf8"));
    expect(result.total).toEqual({ current: "3027.528", past: "5269.212", delta: "-2241.684" });
    expect(result.approval.approvedBy).toEqual(["ann"]);
    const junit = await readFile(path.join(repo, "test-results/cost-guard.xml"), "utf8");
    expect(junit).toContain('name="dev increase"');
    expect(junit).toMatch(/<testcase name="prod ceiling"[^>]*>/);
    const csv = await readFile(path.join(repo, "pipe-reports/cost-guard/chargeback.csv"), "utf8");
    expect(csv.split("\n")[1]).toBe("(untagged),USD,3027.528,5269.212,-2241.684,3027.528,0,10");
  });

  it("fails without the approval, saying who may approve and how", async () => {
    fake.reset();
    fake.seed({
      pullRequests: [{ id: 7, author: eve, participants: [{ user: eve, role: "REVIEWER", approved: true }] }],
    });
    const { repo, head } = await clone("unapproved");
    const run = await runOn(repo, head, { INFRACOST_FILE: "infracost.json" });
    expect(run.exitCode).toBe(1);
    expect(run.output.trim().split("\n").at(-1)).toMatch(
      /^✖ cost-guard: FAIL: approval required: 0 of 1 allowed approvals/,
    );
    const comment = fake.comments()[0]?.raw ?? "";
    expect(comment).toContain("Who may approve: ann.");
    expect(comment).toContain("APPROVED\\_BY");
    expect(comment).toContain("Not counted: eve approved the PR but is not an allowed approver.");
    expect(fake.violations).toEqual([]);
  });

  it("passes on a manual step whose APPROVED_BY names an allowed approver", async () => {
    fake.reset();
    fake.seed({ pullRequests: [{ id: 7, participants: [] }] });
    const { repo, head } = await clone("manual");
    const run = await runOn(repo, head, {
      INFRACOST_FILE: "infracost.json",
      APPROVED_BY: "ann",
      PR_COMMENT: "false",
    });
    expect(run.exitCode).toBe(0);
    expect(run.output).toContain("PASS: approval required and given by ann");
  });

  it("names a truncated Infracost file, exits 2 without a stack trace, and writes nothing", async () => {
    const { repo, head } = await clone("truncated");
    const text = await readFile(path.join(repo, "infracost.json"), "utf8");
    await writeFile(path.join(repo, "infracost.json"), text.slice(0, 4000));
    const run = await runOn(repo, head, { INFRACOST_FILE: "infracost.json" });
    expect(run.exitCode).toBe(2);
    expect(run.output).toMatch(/infracost\.json is not valid JSON/);
    expect(run.output).not.toMatch(/\n\s+at /);
    expect(await filesUnder(path.join(repo, "pipe-reports"))).toEqual([]);
  });

  it("without INFRACOST_FILE tries Infracost and says the image has none, never printing the API key", async () => {
    const { repo, head } = await clone("no-binary");
    const run = await runOn(repo, head, { INFRACOST_API_KEY: INFRACOST_KEY, DEBUG: "true" });
    expect(run.exitCode).toBe(3);
    expect(run.output).toContain("INFRACOST_API_KEY is set, but this image has no infracost binary to run.");
    expect(run.output).not.toContain(INFRACOST_KEY);
  });
});

it("has a container engine when CI requires one", () => {
  if (process.env.REQUIRE_CONTAINER_ENGINE) expect(engine.reason).toBe("");
});
