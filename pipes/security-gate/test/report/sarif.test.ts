import type { SarifLog } from "@pipes/reports";
import { describe, expect, it } from "vitest";
import { FINGERPRINT_KEY, renderSarif } from "../../src/report/sarif.ts";
import {
  bucketVersioning,
  failingResult,
  githubToken,
  md5,
  passingResult,
  publicAcls,
  publicBucket,
  testApiKey,
  uniformAccess,
} from "./gate-results.ts";
import { sarifSchemaErrors } from "./schemas.ts";

function sarif(...args: Parameters<typeof renderSarif>): SarifLog {
  return JSON.parse(renderSarif(...args));
}

function resultFor(log: SarifLog, fingerprint: string) {
  return log.runs
    .flatMap((run) => run.results ?? [])
    .find((result) => result.partialFingerprints?.[FINGERPRINT_KEY] === fingerprint);
}

describe("security gate SARIF", () => {
  it("is a valid SARIF 2.1.0 log with one run per scanner, each with its version and its own findings", () => {
    const log = sarif(failingResult(), { sourceRoot: "/opt/atlassian/pipelines/agent/build" });
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs.map((run) => `${run.tool.driver.name} ${run.tool.driver.version}`)).toEqual([
      "checkov 2.2.34",
      "trivy 0.58.1",
      "semgrep 1.99.0",
      "gitleaks 8.21.2",
    ]);
    expect(log.runs.map((run) => run.results?.length)).toEqual([4, 4, 2, 2]);
    const checkov = log.runs[0];
    expect(checkov?.tool.driver.rules?.find((rule) => rule.id === "CKV_GCP_28")).toEqual({
      id: "CKV_GCP_28",
      shortDescription: {
        text: "Ensure that Cloud Storage bucket is not anonymously or publicly accessible",
      },
      helpUri: "https://docs.bridgecrew.io/docs/bc_gcp_public_1",
      defaultConfiguration: { level: "error" },
      properties: { tags: ["security", "iac"], "security-severity": "8.0" },
    });
  });

  it("writes a result with its level, location, fingerprint and the gate's status", () => {
    const result = resultFor(sarif(failingResult()), githubToken.fingerprint);
    expect(result).toMatchObject({
      ruleId: "github-pat",
      level: "error",
      message: { text: "GitHub Personal Access Token found in ENV GITHUB_PAT (value redacted)" },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: "Dockerfile", uriBaseId: "%SRCROOT%" },
            region: { startLine: 24, endLine: 24 },
          },
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: githubToken.fingerprint },
      properties: { severity: "CRITICAL", status: "blocking", category: "secret", controls: ["SOC2 CC6.1"] },
    });
  });

  it("puts a finding several tools reported in the first tool's run only, naming the others", () => {
    const log = sarif(failingResult());
    const runsWithIt = log.runs.filter((run) =>
      run.results?.some((result) => result.partialFingerprints?.[FINGERPRINT_KEY] === publicAcls.fingerprint),
    );
    expect(runsWithIt.map((run) => run.tool.driver.name)).toEqual(["trivy"]);
    expect(resultFor(log, publicAcls.fingerprint)?.properties).toMatchObject({
      alsoReportedBy: ["checkov"],
      alsoKnownAs: { checkov: "CKV_AWS_53" },
    });
  });

  it("marks suppressed findings with an accepted external suppression that gives the reason", () => {
    const log = sarif(failingResult());
    expect(resultFor(log, uniformAccess.fingerprint)?.suppressions).toEqual([
      {
        kind: "external",
        status: "accepted",
        justification: "Static website bucket: object ACLs reviewed in SEC-142",
        properties: { id: "website-bucket", expires: "2026-12-31" },
      },
    ]);
    expect(resultFor(log, testApiKey.fingerprint)?.suppressions?.[0]?.justification).toBe(
      "Test fixture key, not a real credential",
    );
    expect(resultFor(log, publicBucket.fingerprint)?.suppressions).toBeUndefined();
  });

  it("marks baseline findings unchanged and active ones new when a baseline was used", () => {
    const log = sarif(failingResult(), { baselineUsed: true });
    expect(resultFor(log, bucketVersioning.fingerprint)?.baselineState).toBe("unchanged");
    expect(resultFor(log, publicBucket.fingerprint)?.baselineState).toBe("new");
    expect(resultFor(log, md5.fingerprint)?.baselineState).toBe("new");
    // Suppressions apply before the baseline, so a suppressed finding's state is unknown.
    expect(resultFor(log, uniformAccess.fingerprint)?.baselineState).toBeUndefined();
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it("writes no baseline state when no baseline was used", () => {
    const log = sarif(failingResult({ findings: [publicBucket, githubToken] }), { baselineUsed: false });
    expect(log.runs.flatMap((run) => run.results ?? []).map((result) => result.baselineState)).toEqual([
      undefined,
      undefined,
    ]);
  });

  it("keeps an empty run for a scanner that ran clean, and records one that failed as an unsuccessful invocation", () => {
    const result = passingResult({
      scanners: [
        { tool: "checkov", version: "3.2.1", status: "ok", findings: 0, durationMs: 9_000 },
        {
          tool: "semgrep",
          status: "failed",
          findings: 0,
          durationMs: 400,
          error: "semgrep exited with code 2",
        },
        { tool: "gitleaks", status: "skipped", findings: 0, durationMs: 0 },
      ],
    });
    const log = sarif(result);
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(
      log.runs.map((run) => [
        run.tool.driver.name,
        run.results?.length,
        run.invocations?.[0]?.executionSuccessful,
      ]),
    ).toEqual([
      ["checkov", 0, true],
      ["semgrep", 0, false],
    ]);
    expect(log.runs[1]?.invocations?.[0]?.toolExecutionNotifications?.[0]?.message.text).toBe(
      "semgrep exited with code 2",
    );
  });
});
