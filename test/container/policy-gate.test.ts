/**
 * The container contract of policy-gate: its image, built from its own Dockerfile, run the way
 * Bitbucket Pipelines runs a pipe, on the example repository with real plans of its layers (made by
 * terraform and tofu in @pipes/terraform's tests), against the spec-validating fake Bitbucket.
 */
import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
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

const IMAGE = process.env.CONTRACT_TEST_IMAGE_POLICY_GATE ?? "bitbucket-pipes/policy-gate:contract-test";
const PIPE = "bitbucket-pipes/policy-gate";
const ACCESS_TOKEN = "bbat-policy-gate-contract-0123456789";
const PLANS = path.join(repositoryRoot, "shared/terraform/test/fixtures");

const engine = containerEngine();

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function clone(name: string, config: string) {
  const cloned = await prepareExampleRepository(
    path.join(repositoryRoot, "examples/infrastructure"),
    path.join(tmpdir(), `policy-gate-contract-${process.pid}-${name}`),
  );
  await mkdir(path.join(cloned.repo, "plans"), { recursive: true });
  for (const plan of ["terraform-aws-create.json", "tofu-gcp-create.json"])
    await cp(path.join(PLANS, plan), path.join(cloned.repo, "plans", plan));
  await writeFile(path.join(cloned.repo, ".policy-gate.yml"), config);
  return cloned;
}

describe.skipIf(!engine.available)("policy-gate image, run as Bitbucket Pipelines runs a pipe", () => {
  let fake: FakeBitbucket;

  beforeAll(async () => {
    if (!process.env.CONTRACT_TEST_IMAGE_POLICY_GATE)
      await buildImage({
        contextDir: path.join(repositoryRoot, "pipes/policy-gate"),
        tag: IMAGE,
        entries: ["Dockerfile", "dist", "package.json", "policies"],
        buildArgs: { VERSION: "0.1.0" },
      });
    fake = await startFakeBitbucket({ credentials: { accessTokens: [ACCESS_TOKEN] } });
  });
  afterAll(async () => {
    await fake?.close();
  });

  function runOn(
    repo: string,
    head: string,
    variables: Record<string, string | string[]>,
  ): Promise<PipeRunResult> {
    return runPipeContainer({
      image: IMAGE,
      pipe: PIPE,
      cloneDir: repo,
      step: { commit: head, branch: "feature/db", prId: 9, prDestinationBranch: "main" },
      variables: {
        BITBUCKET_ACCESS_TOKEN: ACCESS_TOKEN,
        BITBUCKET_API_URL: fake.apiUrl,
        PLAN_FILES: ["plans/*.json"],
        TERRAFORM_DIR: "live",
        ...variables,
      },
      env: { NO_COLOR: "1" },
    });
  }

  it("fails on a hard-mandatory violation, with an exception honoured, and publishes everything", async () => {
    fake.reset();
    fake.seed({ pullRequests: [{ id: 9, participants: [] }] });
    const { repo, head } = await clone(
      "fail",
      "exceptions:\n  - policy: GCP-ENCRYPTION-AT-REST\n    owner: data-team@acme.example\n    reason: Google-managed keys accepted for dev (RISK-7)\n    expires: 2099-12-31\n",
    );
    const run = await runOn(repo, head, {});
    const lines = run.output.trim().split("\n");
    expect(lines[0]).toBe("policy-gate 0.1.0");
    expect(lines.at(-1)).toBe("✖ policy-gate: FAIL: 1 hard-mandatory violation (AWS-ENCRYPTION-AT-REST)");
    expect(run.exitCode).toBe(1);
    expect(run.output).not.toContain(ACCESS_TOKEN);
    expect(fake.violations).toEqual([]);

    const [report] = fake.reports();
    expect(report?.reportId).toBe("policy-gate");
    expect(report?.report.result).toBe("FAILED");
    const annotations = (report?.annotations ?? []) as {
      summary: string;
      path?: string;
      line?: number;
      result?: string;
      severity?: string;
    }[];
    const database = annotations.find((a) => a.summary.startsWith("AWS-ENCRYPTION-AT-REST"));
    expect(database).toMatchObject({ path: "live/aws/main.tf", result: "FAILED", severity: "HIGH" });
    expect(typeof database?.line).toBe("number");
    expect(annotations.find((a) => a.summary.startsWith("GCP-ENCRYPTION-AT-REST"))?.result).toBe("IGNORED");
    const comment = fake.comments()[0]?.raw ?? "";
    expect(comment).toContain("Policy gate: ❌ FAIL");
    expect(comment).toContain("Compliance coverage");

    const sarif = JSON.parse(
      await readFile(path.join(repo, "pipe-reports/policy-gate/policy-gate.sarif"), "utf8"),
    );
    const rules = sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
    expect(rules).toEqual(["AWS-ENCRYPTION-AT-REST", "GCP-ENCRYPTION-AT-REST"]);
    const suppressed = sarif.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions);
    expect(suppressed).toHaveLength(1);
    const junit = await readFile(path.join(repo, "test-results/policy-gate.xml"), "utf8");
    expect(junit).toMatch(/<testcase name="AWS-ENCRYPTION-AT-REST: [^"]*"[^>]*>\s*<failure/);
    const shared = path.join(
      repo,
      path.relative("/opt/atlassian/pipelines/agent/build", SHARED_STORAGE_DIR),
      "policy-gate",
    );
    const result = JSON.parse(await readFile(path.join(shared, "result.json"), "utf8"));
    expect(result.verdict).toBe("FAIL");
    expect(result.counts).toEqual({ blocking: 1, overridden: 0, advisory: 0, excepted: 1 });
  });

  it("passes with a warning when an approver overrides a soft-mandatory policy on a manual step", async () => {
    fake.reset();
    fake.seed({ pullRequests: [{ id: 9, participants: [] }] });
    const { repo, head } = await clone(
      "override",
      'enforcement:\n  "*-ENCRYPTION-AT-REST": soft-mandatory\n',
    );
    const run = await runOn(repo, head, { APPROVED_BY: "ann", PR_COMMENT: "false", CODE_INSIGHTS: "false" });
    expect(run.exitCode).toBe(0);
    expect(run.output.trim().split("\n").at(-1)).toMatch(
      /^✔ policy-gate: WARN: 2 soft-mandatory violations overridden by ann/,
    );
  });

  it("names a malformed plan, exits 2 without a stack trace, and writes nothing", async () => {
    const { repo, head } = await clone("malformed", "");
    const text = await readFile(path.join(repo, "plans/terraform-aws-create.json"), "utf8");
    await writeFile(path.join(repo, "plans/terraform-aws-create.json"), text.slice(0, 300));
    const run = await runOn(repo, head, {});
    expect(run.exitCode).toBe(2);
    expect(run.output).toMatch(/PLAN_FILES: plans\/terraform-aws-create\.json is not valid JSON/);
    expect(run.output).not.toMatch(/\n\s+at /);
    expect(await filesUnder(path.join(repo, "pipe-reports"))).toEqual([]);
  });
});
