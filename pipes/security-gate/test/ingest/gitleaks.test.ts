import { describe, expect, it } from "vitest";
import { parseReport } from "../../src/ingest/parse-report.ts";
import { contextFor, FINGERPRINT, ingestLocal, ingestShared, readSharedFixture } from "./report-fixtures.ts";

describe("gitleaks JSON", () => {
  it("reads every leak as a HIGH secret, with no secret value anywhere in the findings", () => {
    const report = ingestShared("native/gitleaks-v8-many.json");
    expect(report.tool).toBe("gitleaks");
    expect(
      report.findings.map((f) => [f.ruleId, f.severity, f.category, f.location?.file, f.location?.startLine]),
    ).toEqual([
      ["aws-access-token", "HIGH", "secret", "/conf/aws.tf", 2],
      ["aws-access-token", "HIGH", "secret", "/conf/aws.tf", 2],
      ["RSA-PK", "HIGH", "secret", "conf/rsa.pk", 57],
      ["generic-api-key", "HIGH", "secret", "tests/api.py", 21],
    ]);
    expect(report.findings[3]).toEqual({
      tool: "gitleaks",
      tools: ["gitleaks"],
      ruleId: "generic-api-key",
      title: "Generic API Key",
      severity: "HIGH",
      category: "secret",
      location: { file: "tests/api.py", startLine: 21, endLine: 21 },
      message:
        "Generic API Key. The value is not shown. It is in commit 69235ea9ea4d: rotate it even if a later commit removed it.",
      fingerprint: expect.stringMatching(FINGERPRINT),
      controls: [],
    });
    const serialized = JSON.stringify(report);
    for (const leak of JSON.parse(readSharedFixture("native/gitleaks-v8-many.json")) as {
      Secret: string;
      Match: string;
    }[]) {
      expect(serialized).not.toContain(leak.Secret);
      expect(serialized).not.toContain(leak.Match);
    }
  });

  it("gives the same secret in two commits one fingerprint", () => {
    const [first, second] = ingestShared("native/gitleaks-v8-many.json").findings;
    expect(first?.fingerprint).toBe(second?.fingerprint);
  });

  it("warns that paths of another machine cannot be placed in the clone", () => {
    expect(ingestShared("native/gitleaks-v8-many.json").warnings).toEqual([
      "native/gitleaks-v8-many.json: 2 finding(s) point outside the clone directory (e.g. /conf/aws.tf); they keep that path, so path-based suppressions and annotations will not match them. Make the report in the clone directory, or with relative paths.",
    ]);
  });

  it("reads a gitleaks 8.30.1 report made with --redact, fingerprinting by the flagged line instead", () => {
    const report = ingestLocal("gitleaks-8.30.1-redacted.json");
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      ruleId: "aws-access-token",
      title:
        "Identified a pattern that may indicate AWS credentials, risking unauthorized cloud resource access and data breaches on AWS platforms.",
      location: { file: "app/settings.ini", startLine: 1, endLine: 1 },
      message:
        "Identified a pattern that may indicate AWS credentials, risking unauthorized cloud resource access and data breaches on AWS platforms. The value is not shown.",
    });
  });

  it("reads an empty array, what gitleaks writes when it finds nothing, as no findings", () => {
    expect(parseReport("[]\n", contextFor("reports/gitleaks.json"))).toEqual({
      tool: "gitleaks",
      findings: [],
      warnings: [],
    });
  });
});
