/**
 * The container contract of security-gate: its image, built from its own Dockerfile, run the way
 * Bitbucket Pipelines runs a pipe, with the real scanners inside, against the example repository.
 */
import { execFileSync } from "node:child_process";
import { cp, mkdir, readdir, readFile } from "node:fs/promises";
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
  stepEnvironment,
} from "@pipes/testkit";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containerEngine, repositoryRoot, sharedFixtures } from "./engine.ts";

// The release runs this test against the exact image it is about to push (CONTRACT_TEST_IMAGE).
const IMAGE = process.env.CONTRACT_TEST_IMAGE ?? "bitbucket-pipes/security-gate:contract-test";
const PIPE = "bitbucket-pipes/security-gate";
const ACCESS_TOKEN = "bbat-contract-test-0123456789abcdef";
const COMMITTED_SECRET = "q8Jd3kLm9Pz2Xw7Rt5Vb1Nc4Hs6Fg0Ay2Ue8Io3K";
const WORKSPACE_UUID = "{0b1f6ab3-5a5c-4f7e-9b59-2d1a8c6f0e11}";

const engine = containerEngine();

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function clone(name: string) {
  return prepareExampleRepository(
    path.join(repositoryRoot, "examples/infrastructure"),
    path.join(tmpdir(), `security-gate-contract-${process.pid}-${name}`),
  );
}

// Every test runs the image built here from the pipe's own Dockerfile (the bundle is built first by `npm test`).
beforeAll(async () => {
  if (engine.available && !process.env.CONTRACT_TEST_IMAGE)
    await buildImage({
      contextDir: path.join(repositoryRoot, "pipes/security-gate"),
      tag: IMAGE,
      buildArgs: { VERSION: "0.1.0" },
    });
});

describe.skipIf(!engine.available)("security-gate image, run as Bitbucket Pipelines runs a pipe", () => {
  let fake: FakeBitbucket;
  let repo: string;
  let head: string;
  let run: PipeRunResult;
  let oidcToken: string;

  beforeAll(async () => {
    await buildImage({
      contextDir: path.join(repositoryRoot, "pipes/security-gate"),
      tag: IMAGE,
      buildArgs: { VERSION: "0.1.0" },
    });
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "contract-key", alg: "RS256", use: "sig" };
    fake = await startFakeBitbucket({
      oidcKeys: [jwk],
      credentials: { accessTokens: [ACCESS_TOKEN] },
      seed: { pullRequests: [{ id: 7, sourceBranch: "feature/report-export", destinationBranch: "main" }] },
    });
    ({ repo, head } = await clone("gate"));
    const step = stepEnvironment(PIPE, {});
    const now = Math.floor(Date.now() / 1000);
    oidcToken = await new SignJWT({
      workspaceUuid: WORKSPACE_UUID,
      repositoryUuid: step.BITBUCKET_REPO_UUID,
      pipelineUuid: step.BITBUCKET_PIPELINE_UUID,
      stepUuid: step.BITBUCKET_STEP_UUID,
      branchName: "feature/report-export",
      accountUuid: "{11111111-2222-4333-8444-555555555555}",
    })
      .setProtectedHeader({ alg: "RS256", kid: "contract-key" })
      .setIssuer(fake.oidcIssuer("acme"))
      .setAudience(`ari:cloud:bitbucket::workspace/${WORKSPACE_UUID.slice(1, -1)}`)
      .setSubject(`${step.BITBUCKET_REPO_UUID}:${step.BITBUCKET_STEP_UUID}`)
      .setIssuedAt(now - 30)
      .setExpirationTime(now + 3600)
      .sign(privateKey);
    run = await runPipeContainer({
      image: IMAGE,
      pipe: PIPE,
      cloneDir: repo,
      step: {
        commit: head,
        branch: "feature/report-export",
        prId: 7,
        prDestinationBranch: "main",
        oidcToken,
      },
      variables: {
        SCANNERS: ["checkov", "trivy", "semgrep", "gitleaks"],
        COMPLIANCE_FRAMEWORKS: ["SOC2", "PCI-DSS"],
        SIGNED_COMMITS: "warn",
        ALLOWED_SIGNERS: ".bitbucket/allowed_signers",
        OIDC: "true",
        OIDC_ISSUER_URL: fake.oidcIssuer("acme"),
        OIDC_BRANCH_PATTERN: "feature/*",
        BITBUCKET_ACCESS_TOKEN: ACCESS_TOKEN,
        BITBUCKET_API_URL: fake.apiUrl,
        DEBUG: "true",
      },
      env: { NO_COLOR: "1" },
    });
  });

  afterAll(async () => {
    await fake?.close();
  });

  it("prints its name and version first and ends with one ✖ FAIL line and exit code 1", () => {
    const lines = run.output.trim().split("\n");
    expect(lines[0]).toBe("security-gate 0.1.0");
    expect(lines.at(-1)).toMatch(/^✖ security-gate: FAIL: \d+ CRITICAL findings \(threshold: 0\)$/);
    expect(run.exitCode).toBe(1);
  });

  it("shows debug output with DEBUG=true, but never the access token, the OIDC token or the committed secret", async () => {
    expect(run.output).toContain("[debug]");
    for (const secret of [ACCESS_TOKEN, oidcToken, COMMITTED_SECRET])
      expect(run.output).not.toContain(secret);
    for (const file of await filesUnder(repo)) {
      if (file.includes(`${path.sep}.git${path.sep}`) || file.endsWith("config/deploy.env")) continue;
      const text = await readFile(file, "utf8");
      expect(text, file).not.toContain(ACCESS_TOKEN);
      expect(text, file).not.toContain(COMMITTED_SECRET);
    }
  });

  it("writes its decision for later pipes to the shared pipe storage, with a JSON Schema", async () => {
    const shared = path.join(
      repo,
      path.relative("/opt/atlassian/pipelines/agent/build", SHARED_STORAGE_DIR),
      "security-gate",
    );
    const result = JSON.parse(await readFile(path.join(shared, "result.json"), "utf8"));
    const schema = JSON.parse(await readFile(path.join(shared, "result.schema.json"), "utf8"));
    expect(schema.properties.verdict.enum).toEqual(["PASS", "WARN", "FAIL"]);
    expect(result).toMatchObject({ pipe: "security-gate", verdict: "FAIL", commit: head, pullRequest: 7 });
    const byRule = (tool: string, file: string) =>
      result.findings.filter(
        (f: { tools: string[]; file?: string }) => f.tools.includes(tool) && f.file === file,
      );
    expect(byRule("checkov", "terraform/data/main.tf").map((f: { ruleId: string }) => f.ruleId)).toContain(
      "CKV_AWS_20",
    );
    expect(byRule("semgrep", "app/report_export.py")[0]).toMatchObject({
      severity: "HIGH",
      status: "blocking",
    });
    const secret = byRule("gitleaks", "config/deploy.env");
    expect(secret.length).toBeGreaterThan(0);
    expect(secret.some((f: { tools: string[] }) => f.tools.includes("trivy"))).toBe(true);
    expect(result.scanners.map((s: { tool: string; status: string }) => `${s.tool}:${s.status}`)).toEqual([
      "checkov:ok",
      "trivy:ok",
      "semgrep:ok",
      "gitleaks:ok",
    ]);
  });

  it("warns about the unsigned commit of the PR and accepts the step's OIDC token", async () => {
    const shared = path.join(repo, ".bitbucket/pipelines/generated/pipeline/pipes/security-gate/result.json");
    const { checks } = JSON.parse(await readFile(shared, "utf8"));
    const signed = checks.find((c: { name: string }) => c.name === "signed-commits");
    expect(signed.status).toBe("warn");
    expect(signed.details).toHaveLength(1);
    expect(signed.details[0]).toMatch(/"Deployment settings for the exporter" by Casey Contractor.*unsigned/);
    expect(checks.find((c: { name: string }) => c.name === "oidc").status).toBe("pass");
  });

  it("writes JUnit to test-results/ with the blocking findings as failures, and a merged SARIF", async () => {
    const junit = await readFile(path.join(repo, "test-results/security-gate.xml"), "utf8");
    const failures = Number(/<testsuites[^>]*failures="(\d+)"/.exec(junit)?.[1]);
    expect(failures).toBeGreaterThan(5);
    const sarif = JSON.parse(
      await readFile(path.join(repo, "pipe-reports/security-gate/security-gate.sarif"), "utf8"),
    );
    expect(sarif.version).toBe("2.1.0");
    expect(
      sarif.runs.map((r: { tool: { driver: { name: string } } }) => r.tool.driver.name.toLowerCase()),
    ).toEqual(expect.arrayContaining(["checkov", "trivy", "semgrep", "gitleaks"]));
  });

  it("publishes one Code Insights report with annotations and one PR comment, all accepted by the API spec", () => {
    expect(fake.violations).toEqual([]);
    expect(fake.callsTo("PUT", "**/commit/*/reports/*")).toHaveLength(1);
    const [report] = fake.reports();
    expect(report?.commit).toBe(head);
    expect(report?.report).toMatchObject({ report_type: "SECURITY", result: "FAILED" });
    expect(report?.annotations.length).toBeGreaterThan(10);
    expect(report?.annotations[0]).toMatchObject({ severity: "CRITICAL" });
    const comments = fake.comments();
    expect(comments).toHaveLength(1);
    expect(comments[0]?.prId).toBe(7);
    expect(comments[0]?.raw).toContain("Security gate: ❌ FAIL");
  });

  it("reports every invalid variable at once, exits 2, prints no stack trace and writes nothing", async () => {
    const { repo: fresh } = await clone("invalid");
    const invalid = await runPipeContainer({
      image: IMAGE,
      pipe: PIPE,
      cloneDir: fresh,
      variables: {
        SCANNERS: ["checkov", "bandit"],
        MAX_HIGH: "-3",
        SIGNED_COMMITS: "always",
        SCANNER_TIMEOUT: "soon",
        BITBUCKET_APP_PASSWORD: "pw-that-must-not-leak",
      },
      env: { NO_COLOR: "1" },
    });
    expect(invalid.exitCode).toBe(2);
    expect(invalid.output).toContain("4 invalid variables");
    for (const name of ["SCANNERS", "MAX_HIGH", "SIGNED_COMMITS", "SCANNER_TIMEOUT"])
      expect(invalid.output).toContain(`- ${name}: `);
    expect(invalid.output).not.toMatch(/\n\s+at /);
    expect(invalid.output).not.toContain("pw-that-must-not-leak");
    expect(await filesUnder(path.join(fresh, "pipe-reports"))).toEqual([]);
    expect(await filesUnder(path.join(fresh, "test-results"))).toEqual([]);
  });

  it("ingests reports made by earlier steps and, with ENFORCE=false, exits 0 with a loud warning", async () => {
    const { repo: fresh } = await clone("ingest");
    await mkdir(path.join(fresh, "reports"), { recursive: true });
    await cp(
      path.join(sharedFixtures, "sarif/trivy-terraform-config.sarif"),
      path.join(fresh, "reports/trivy.sarif"),
    );
    await cp(
      path.join(sharedFixtures, "native/gitleaks-v8-many.json"),
      path.join(fresh, "reports/gitleaks.json"),
    );
    const ingest = await runPipeContainer({
      image: IMAGE,
      pipe: PIPE,
      cloneDir: fresh,
      variables: {
        SCANNERS: [],
        REPORTS: ["reports/*.sarif", "reports/*.json"],
        ENFORCE: "false",
        CODE_INSIGHTS: "false",
        PR_COMMENT: "false",
      },
      env: { NO_COLOR: "1" },
    });
    expect(ingest.exitCode).toBe(0);
    expect(ingest.output).toContain("ENFORCE=false: the gate FAILED");
    expect(ingest.output).toMatch(/ingested reports\/trivy\.sarif: 9 finding\(s\) from trivy/);
    expect(ingest.output).toMatch(/ingested reports\/gitleaks\.json: 4 finding\(s\) from gitleaks/);
  });
});

describe.skipIf(!engine.available)("security-gate NEW_ONLY on a pull request", () => {
  it("gates only on what the PR adds, using the last run on the destination branch as the baseline", async () => {
    const fake = await startFakeBitbucket({ seed: { pullRequests: [{ id: 9, destinationBranch: "main" }] } });
    try {
      const { repo: pr, head } = await clone("new-only");
      const onMain = path.join(path.dirname(pr), "main");
      execFileSync("git", [
        "clone",
        "-q",
        "--branch",
        "main",
        path.join(path.dirname(pr), "origin.git"),
        onMain,
      ]);
      const mainHead = execFileSync("git", ["rev-parse", "HEAD"], { cwd: onMain, encoding: "utf8" }).trim();
      const common = {
        image: IMAGE,
        pipe: PIPE,
        env: { NO_COLOR: "1", BITBUCKET_PIPELINES_PROXY: fake.url },
      };
      const variables = { SCANNERS: ["checkov", "trivy", "semgrep", "gitleaks"], PR_COMMENT: "false" };
      const main = await runPipeContainer({
        ...common,
        cloneDir: onMain,
        variables,
        step: { commit: mainHead, branch: "main" },
      });
      expect(main.exitCode).toBe(1);
      const onPr = await runPipeContainer({
        ...common,
        cloneDir: pr,
        variables: { ...variables, NEW_ONLY: "true" },
        step: { commit: head, branch: "feature/report-export", prId: 9, prDestinationBranch: "main" },
      });
      expect(fake.violations).toEqual([]);
      expect(onPr.output).toMatch(/baseline: \d+ finding\(s\) of the last run on main/);
      const result = JSON.parse(
        await readFile(
          path.join(pr, ".bitbucket/pipelines/generated/pipeline/pipes/security-gate/result.json"),
          "utf8",
        ),
      );
      const statusOf = (file: string) =>
        new Set(
          result.findings
            .filter((f: { file?: string }) => f.file?.startsWith(file))
            .map((f: { status: string }) => f.status),
        );
      expect(statusOf("terraform/")).toEqual(new Set(["baseline"]));
      expect(statusOf("app/")).toEqual(new Set(["blocking"]));
      expect(statusOf("config/")).toEqual(new Set(["blocking"]));
      expect(result.verdict).toBe("FAIL");
      expect(result.reasons[0].message).toMatch(/new CRITICAL/);
    } finally {
      await fake.close();
    }
  });
});

it("has a container engine when CI requires one", () => {
  if (process.env.REQUIRE_CONTAINER_ENGINE) expect(engine.reason).toBe("");
});
