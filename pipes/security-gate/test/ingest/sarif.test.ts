import { describe, expect, it } from "vitest";
import { parseReport } from "../../src/ingest/parse-report.ts";
import { contextFor, FINGERPRINT, ingestLocal, ingestShared, readSharedFixture } from "./report-fixtures.ts";

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

describe("SARIF from Trivy", () => {
  it("reads a Terraform config scan with the severity from security-severity", () => {
    const report = ingestShared("sarif/trivy-terraform-config.sarif");
    expect(report).toMatchObject({ tool: "trivy", warnings: [] });
    expect(report.version).toBeUndefined();
    expect(report.findings).toHaveLength(9);
    expect(countBy(report.findings, (f) => f.severity)).toEqual({ HIGH: 6, MEDIUM: 1, LOW: 2 });
    expect(report.findings[0]).toEqual({
      tool: "trivy",
      tools: ["trivy"],
      ruleId: "AVD-AWS-0086",
      title: "S3 Access block should block public ACL",
      severity: "HIGH",
      category: "iac",
      location: { file: "main.tf", startLine: 8, endLine: 10 },
      message: "No public access block so not blocking public acls",
      helpUri: "https://avd.aquasec.com/misconfig/avd-aws-0086",
      fingerprint: expect.stringMatching(FINGERPRINT),
      controls: [],
    });
    // security-severity 2.0 and 5.5 ("note" and "warning" levels).
    expect(report.findings.find((f) => f.ruleId === "s3-bucket-logging")?.severity).toBe("LOW");
    expect(report.findings.find((f) => f.ruleId === "AVD-AWS-0090")).toMatchObject({
      severity: "MEDIUM",
      location: { file: "main.tf", startLine: 16, endLine: 16 },
    });
  });

  it("reads an image scan's package vulnerabilities, with the package as the resource", () => {
    const report = ingestShared("sarif/trivy-image-alpine.sarif");
    expect(report).toMatchObject({ tool: "trivy", version: "dev" });
    expect(report.findings).toHaveLength(8);
    expect(countBy(report.findings, (f) => f.severity)).toEqual({ MEDIUM: 6, LOW: 2 });
    expect(report.findings[0]).toEqual({
      tool: "trivy",
      tools: ["trivy"],
      ruleId: "CVE-2019-1549",
      title: "CVE-2019-1549",
      severity: "MEDIUM",
      category: "vulnerability",
      location: { file: "testdata/fixtures/images/alpine-310.tar.gz" },
      resource: "libcrypto1.1@1.1.1c-r0",
      message: "libcrypto1.1 1.1.1c-r0 is affected by CVE-2019-1549 (fixed in 1.1.1d-r0)",
      helpUri: "https://avd.aquasec.com/nvd/cve-2019-1549",
      fingerprint: expect.stringMatching(FINGERPRINT),
      controls: [],
    });
    // The same CVE in libcrypto and libssl is two findings.
    const cve = report.findings.filter((f) => f.ruleId === "CVE-2019-1549");
    expect(cve.map((f) => f.resource)).toEqual(["libcrypto1.1@1.1.1c-r0", "libssl1.1@1.1.1c-r0"]);
    expect(new Set(cve.map((f) => f.fingerprint)).size).toBe(2);
  });

  it("reads Trivy 0.74's misconfigurations and masked secret", () => {
    const report = ingestLocal("trivy-0.74.0.sarif");
    expect(report).toMatchObject({ tool: "trivy", version: "0.74.0" });
    expect(report.findings).toHaveLength(15);
    expect(countBy(report.findings, (f) => f.category)).toEqual({ iac: 14, secret: 1 });
    expect(report.findings.find((f) => f.category === "secret")).toMatchObject({
      ruleId: "aws-access-key-id",
      severity: "CRITICAL",
      location: { file: "app/settings.ini", startLine: 1, endLine: 1 },
    });
    expect(report.findings.find((f) => f.ruleId === "AWS-0107")).toMatchObject({
      severity: "HIGH",
      location: { file: "infra/main.tf", startLine: 12, endLine: 12 },
    });
  });
});

describe("SARIF from Checkov", () => {
  it("credits a run without a tool block to Checkov by its CKV rule ids, and says so", () => {
    const report = ingestShared("sarif/checkov-openapi.sarif");
    expect(report.tool).toBe("checkov");
    expect(report.warnings).toEqual([
      "sarif/checkov-openapi.sarif: a run names no tool; its findings are credited to checkov",
    ]);
    expect(report.findings).toHaveLength(12);
    expect(countBy(report.findings, (f) => f.ruleId)).toEqual({
      CKV_OPENAPI_1: 3,
      CKV_OPENAPI_3: 2,
      CKV_OPENAPI_4: 7,
    });
    // Level "error" on every result carries no severity: unlisted checks are MEDIUM.
    expect(new Set(report.findings.map((f) => f.severity))).toEqual(new Set(["MEDIUM"]));
    expect(report.findings[0]).toEqual({
      tool: "checkov",
      tools: ["checkov"],
      ruleId: "CKV_OPENAPI_4",
      title: "Ensure that the global security field has rules defined",
      severity: "MEDIUM",
      category: "iac",
      location: { file: "v2/swagger_empty_paths.yaml", startLine: 2, endLine: 16 },
      message: "Ensure that the global security field has rules defined",
      fingerprint: expect.stringMatching(FINGERPRINT),
      controls: [],
    });
  });

  it("takes Checkov 3.3.30's severities from the shipped table, not from its level", () => {
    const report = ingestLocal("checkov-3.3.30.sarif");
    expect(report).toMatchObject({ tool: "checkov", version: "3.3.30" });
    expect(report.findings).toHaveLength(10);
    expect(report.findings[0]).toMatchObject({
      ruleId: "CKV_AWS_24",
      severity: "HIGH",
      location: { file: "infra/main.tf", startLine: 5, endLine: 14 },
    });
    expect(report.findings.find((f) => f.ruleId === "CKV_AWS_18")?.severity).toBe("MEDIUM");
    expect(report.findings.find((f) => f.ruleId === "CKV2_AWS_6")).toMatchObject({
      severity: "LOW",
      helpUri: expect.stringContaining("docs.prismacloud.io"),
    });
  });
});

describe("SARIF from Semgrep", () => {
  it.each([
    ["sarif/semgrep-test_sarif_output-True-rule_and_target3.sarif", "placeholder"],
    ["sarif/semgrep-test_sarif_output_osemfail-True-rule_and_target0.sarif", "<MASKED>"],
  ])("reads %s, with the path relative to the scanned folder and the rule's level", (fixture, version) => {
    const report = ingestShared(fixture);
    expect(report).toMatchObject({ tool: "semgrep", version, warnings: [] });
    expect(report.findings).toEqual([
      {
        tool: "semgrep",
        tools: ["semgrep"],
        ruleId: "rules.taint-trace",
        title: "rules.taint-trace",
        severity: "MEDIUM",
        category: "code",
        location: { file: "targets/taint/taint_trace.cpp", startLine: 17, endLine: 17 },
        message: "found an error",
        fingerprint: expect.stringMatching(FINGERPRINT),
        controls: [],
      },
    ]);
  });

  it("reads the severity from the rule even when a result carries another level", () => {
    const json = JSON.parse(readSharedFixture("sarif/semgrep-test_sarif_output-True-rule_and_target3.sarif"));
    json.runs[0].tool.driver.rules[0].defaultConfiguration.level = "error";
    json.runs[0].results[0].level = "warning";
    const report = parseReport(JSON.stringify(json), contextFor("merged.sarif"));
    expect(report.findings[0]?.severity).toBe("HIGH");
  });

  it("reads Semgrep 1.185's SARIF of the bundled rules", () => {
    const report = ingestLocal("semgrep-1.185.0.sarif");
    expect(report).toMatchObject({ tool: "semgrep", version: "1.185.0" });
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      ruleId: "python-subprocess-shell-true",
      severity: "HIGH",
      category: "code",
      location: { file: "app/handler.py", startLine: 6, endLine: 6 },
    });
  });
});

describe("SARIF from gitleaks", () => {
  it("reads a leak as a HIGH secret and keeps the secret in the snippet out of the finding", () => {
    const report = ingestShared("sarif/gitleaks-v8.sarif");
    expect(report).toMatchObject({ tool: "gitleaks", warnings: [] });
    expect(report.findings).toEqual([
      {
        tool: "gitleaks",
        tools: ["gitleaks"],
        ruleId: "test-rule",
        title: "test-rule has detected secret for file auth.py at commit 0000000000000000.",
        severity: "HIGH",
        category: "secret",
        location: { file: "auth.py", startLine: 1, endLine: 2 },
        message: "test-rule has detected secret for file auth.py at commit 0000000000000000.",
        fingerprint: expect.stringMatching(FINGERPRINT),
        controls: [],
      },
    ]);
    expect(JSON.stringify(report.findings)).not.toContain("a secret");
  });

  it("fingerprints a leak by its secret: the same secret in another commit is the same finding", () => {
    const original = JSON.parse(readSharedFixture("sarif/gitleaks-v8.sarif"));
    const moved = structuredClone(original);
    moved.runs[0].results[0].message.text =
      "test-rule has detected secret for file auth.py at commit 1111111111111111.";
    moved.runs[0].results[0].locations[0].physicalLocation.region.startLine = 40;
    const rotated = structuredClone(original);
    rotated.runs[0].results[0].locations[0].physicalLocation.region.snippet.text = "another secret";
    const [a, b, c] = [original, moved, rotated].map(
      (json) => parseReport(JSON.stringify(json), contextFor("gitleaks.sarif")).findings[0]?.fingerprint,
    );
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  it("reads gitleaks 8.30.1's SARIF, whose fixed semanticVersion v8.0.0 is not reported as its version", () => {
    const report = ingestLocal("gitleaks-8.30.1-redacted.sarif");
    expect(report.tool).toBe("gitleaks");
    expect(report.version).toBeUndefined();
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      ruleId: "aws-access-token",
      severity: "HIGH",
      category: "secret",
      location: { file: "app/settings.ini", startLine: 1, endLine: 1 },
      message: "aws-access-token has detected secret for file app/settings.ini.",
    });
  });
});

describe("SARIF quirks of the standard", () => {
  function sarif(run: Record<string, unknown>): string {
    return JSON.stringify({ version: "2.1.0", runs: [{ tool: { driver: { name: "CodeQL" } }, ...run }] });
  }

  it("resolves a uriBaseId the file defines as the clone directory", () => {
    const text = sarif({
      originalUriBaseIds: { "%SRCROOT%": { uri: "file:///opt/atlassian/pipelines/agent/build/" } },
      results: [
        {
          ruleId: "js/sql-injection",
          level: "error",
          message: { text: "Query built from user input." },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: "src/db%20layer/users.js", uriBaseId: "%SRCROOT%" },
              },
            },
          ],
        },
      ],
    });
    const [finding] = parseReport(text, contextFor("codeql.sarif")).findings;
    expect(finding).toMatchObject({
      tool: "CodeQL",
      severity: "HIGH",
      category: "code",
      location: { file: "src/db layer/users.js" },
    });
  });

  it("skips results that are suppressed, passing, or absent since the baseline", () => {
    const result = (extra: Record<string, unknown>) => ({ ruleId: "r1", message: { text: "m" }, ...extra });
    const text = sarif({
      results: [
        result({}),
        result({ suppressions: [{ kind: "inSource" }] }),
        result({ suppressions: [{ kind: "external", status: "rejected" }] }),
        result({ kind: "pass" }),
        result({ baselineState: "absent" }),
      ],
    });
    expect(parseReport(text, contextFor("x.sarif")).findings).toHaveLength(2);
  });

  it("builds a message from the rule's message strings when the result has only an id", () => {
    const text = sarif({
      tool: {
        driver: {
          name: "CodeQL",
          rules: [{ id: "r1", messageStrings: { default: { text: "Variable {0} is unused in {1}." } } }],
        },
      },
      results: [{ ruleId: "r1", ruleIndex: 0, message: { id: "default", arguments: ["x", "main"] } }],
    });
    expect(parseReport(text, contextFor("x.sarif")).findings[0]?.message).toBe(
      "Variable x is unused in main.",
    );
  });
});
