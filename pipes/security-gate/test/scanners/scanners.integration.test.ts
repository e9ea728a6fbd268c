/**
 * The real scanners on a small repository: Terraform with a security group open to the world on SSH,
 * Python running a shell command built from a request, and made-up credentials shaped like real ones
 * (an AWS access key id, a GitHub token). The credentials are built here at run time, never stored in
 * the repository, so this repository's own secret scanning stays quiet.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { Logger } from "@pipes/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding, Scanner } from "../../src/findings.ts";
import { runCheckov } from "../../src/scanners/checkov.ts";
import { runGitleaks } from "../../src/scanners/gitleaks.ts";
import { runScanners } from "../../src/scanners/scan.ts";
import type { ScanOptions } from "../../src/scanners/scan-options.ts";
import { runSemgrep } from "../../src/scanners/semgrep.ts";
import { runTrivy } from "../../src/scanners/trivy.ts";
import { fixtureProject } from "../ingest/report-fixtures.ts";
import { installedTool, needing } from "./installed-tools.ts";

/** Made-up credentials in the shape gitleaks and Trivy detect. Not real: they were typed for this test. */
const AWS_KEY_ID = ["AKIA", "Z4ORWB3NPQ7XKT2M"].join("");
const GITHUB_TOKEN = ["ghp_", "x8Kq2ZtR4vN7mP1sW9cL3dF6hJ0bG5yT2uEa"].join("");

const SCANNERS: Scanner[] = ["checkov", "trivy", "semgrep", "gitleaks"];
const executables = Object.fromEntries(
  SCANNERS.flatMap((scanner) => {
    const executable = installedTool(scanner);
    return executable ? [[scanner, executable]] : [];
  }),
);

function logger(): Logger {
  const sink = new PassThrough();
  sink.resume();
  return new Logger({ env: { NO_COLOR: "1" }, stdout: sink, stderr: sink });
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Dev", "-c", "user.email=dev@example.com", ...args], {
    cwd,
    encoding: "utf8",
  }).trim();
}

/**
 * A clone of the fixture project with a pull request of two commits: the first adds the AWS key to
 * app/settings.ini and a GitHub token to app/old.env, the second deletes app/old.env again.
 */
function cloneWithPullRequest(): { clone: string; range: string } {
  const clone = mkdtempSync(path.join(tmpdir(), "security-gate-scan-"));
  cpSync(fixtureProject, clone, { recursive: true });
  git(clone, "init", "--quiet", "--initial-branch=main");
  git(clone, "add", ".");
  git(clone, "commit", "--quiet", "-m", "Terraform and a handler");
  const base = git(clone, "rev-parse", "HEAD");
  writeFileSync(path.join(clone, "app/settings.ini"), `[aws]\naws_access_key_id = "${AWS_KEY_ID}"\n`);
  writeFileSync(path.join(clone, "app/old.env"), `GITHUB_TOKEN=${GITHUB_TOKEN}\n`);
  git(clone, "add", ".");
  git(clone, "commit", "--quiet", "-m", "Settings");
  git(clone, "rm", "--quiet", "app/old.env");
  git(clone, "commit", "--quiet", "-m", "Remove the env file");
  return { clone, range: `${base}..${git(clone, "rev-parse", "HEAD")}` };
}

function summary(findings: readonly Finding[]): string[] {
  return findings.map(
    (f) => `${f.ruleId} ${f.severity} ${f.category} ${f.location?.file}:${f.location?.startLine ?? ""}`,
  );
}

describe("the scanners on a small repository", () => {
  let clone: string;
  let options: ScanOptions;

  beforeAll(() => {
    const pullRequest = cloneWithPullRequest();
    clone = pullRequest.clone;
    options = {
      repoRoot: clone,
      scanPath: ".",
      skipPaths: [".git/**"],
      timeoutMs: 300_000,
      gitleaks: { commitRange: pullRequest.range },
      executables,
    };
  });
  afterAll(() => rmSync(clone, { recursive: true, force: true }));

  it.skipIf(!executables.checkov)(
    needing("checkov", "Checkov finds the security group open to the world on SSH"),
    async () => {
      const outcome = await runCheckov(options, logger());
      expect(outcome.run).toMatchObject({ tool: "checkov", version: "3.3.30", status: "ok" });
      expect(outcome.findings.find((f) => f.ruleId === "CKV_AWS_24")).toMatchObject({
        tool: "checkov",
        severity: "HIGH",
        category: "iac",
        location: { file: "infra/main.tf", startLine: 5, endLine: 14 },
        resource: "aws_security_group.ssh",
      });
      expect(summary(outcome.findings)).toContain("CKV2_AWS_6 LOW iac infra/main.tf:1");
    },
  );

  it.skipIf(!executables.trivy)(
    needing("trivy", "Trivy finds the open security group and the AWS key, offline"),
    async () => {
      const outcome = await runTrivy(options, logger());
      expect(outcome.run).toMatchObject({ tool: "trivy", version: "0.74.0", status: "ok" });
      expect(outcome.findings.find((f) => f.ruleId === "AWS-0107")).toMatchObject({
        severity: "HIGH",
        location: { file: "infra/main.tf", startLine: 12, endLine: 12 },
        resource: "aws_security_group.ssh",
      });
      expect(outcome.findings.find((f) => f.category === "secret")).toMatchObject({
        ruleId: "aws-access-key-id",
        severity: "CRITICAL",
        location: { file: "app/settings.ini", startLine: 2, endLine: 2 },
        message: "AWS Access Key ID (value redacted)",
      });
    },
  );

  it.skipIf(!executables.semgrep)(
    needing("semgrep", "Semgrep's bundled rules find the shell command built from a request"),
    async () => {
      const outcome = await runSemgrep(options, logger());
      expect(outcome.run).toMatchObject({ tool: "semgrep", version: "1.185.0", status: "ok" });
      expect(outcome.findings).toEqual([
        expect.objectContaining({
          tool: "semgrep",
          ruleId: "python-subprocess-shell-true",
          severity: "HIGH",
          category: "code",
          location: { file: "app/handler.py", startLine: 6, endLine: 6 },
        }),
      ]);
    },
  );

  it.skipIf(!executables.gitleaks)(
    needing(
      "gitleaks",
      "gitleaks finds the key in the working tree and the token the pull request deleted again",
    ),
    async () => {
      const outcome = await runGitleaks(options, logger());
      expect(outcome.run).toMatchObject({ tool: "gitleaks", version: "8.30.1", status: "ok", findings: 2 });
      expect(summary(outcome.findings)).toEqual([
        "aws-access-token HIGH secret app/settings.ini:2",
        "github-pat HIGH secret app/old.env:1",
      ]);
      expect(outcome.findings[1]?.message).toMatch(/It is in commit [0-9a-f]{12}: rotate it/);
    },
  );

  it.skipIf(Object.keys(executables).length === 0)(
    "all installed scanners run in parallel, and no finding, run or warning holds a secret",
    async () => {
      const selected = SCANNERS.filter((scanner) => executables[scanner]);
      const result = await runScanners(selected, options, logger());
      expect(result.runs.map((run) => [run.tool, run.status])).toEqual(
        selected.map((scanner) => [scanner, "ok"]),
      );
      const everything = JSON.stringify(result);
      for (const secret of [
        AWS_KEY_ID,
        GITHUB_TOKEN,
        "Z4ORWB3NPQ7XKT2M",
        "x8Kq2ZtR4vN7mP1sW9cL3dF6hJ0bG5yT2uEa",
      ]) {
        expect(everything).not.toContain(secret);
      }
    },
  );
});
