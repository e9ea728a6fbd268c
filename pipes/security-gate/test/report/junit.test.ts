import { JUNIT_FIELD_LIMIT } from "@pipes/reports";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { renderJUnit } from "../../src/report/junit.ts";
import {
  ALL_FINDINGS,
  failingResult,
  passingResult,
  publicBucket,
  uniformAccess,
  withStatus,
} from "./gate-results.ts";

interface TestCase {
  name: string;
  classname: string;
  failure?: { message: string; type?: string; "#text"?: string };
  error?: { message: string };
  skipped?: { message?: string };
  "system-out"?: string;
}
interface TestSuite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  testcase: TestCase[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  htmlEntities: true,
  isArray: (name) => ["testsuite", "testcase"].includes(name),
});

function junit(...args: Parameters<typeof renderJUnit>): {
  testsuites: TestSuite & { testsuite: TestSuite[] };
} {
  return parser.parse(renderJUnit(...args));
}

function suite(report: ReturnType<typeof junit>, name: string): TestSuite | undefined {
  return report.testsuites.testsuite.find((candidate) => candidate.name === name);
}

describe("security gate JUnit", () => {
  it("fails one test per rule that has blocking findings", () => {
    const report = junit(failingResult({ compliance: [], checks: [] }));
    const blockingRules = new Set(
      ALL_FINDINGS.filter((finding) => finding.status === "blocking").map((finding) => finding.ruleId),
    );
    const failed = report.testsuites.testsuite.flatMap((s) =>
      s.testcase.filter((c) => c.failure).map((c) => c.name),
    );
    expect(new Set(failed)).toEqual(blockingRules);
    expect(Number(report.testsuites.failures)).toBe(blockingRules.size);
    expect(suite(report, "checkov")?.testcase.find((c) => c.name === "CKV_GCP_28")?.failure).toMatchObject({
      message: "HIGH: Ensure that Cloud Storage bucket is not anonymously or publicly accessible",
      type: "HIGH",
    });
  });

  it("groups the findings of one rule into one test that lists each, whatever their file", () => {
    const second = { ...publicBucket, fingerprint: "second", location: { file: "gcs.tf", startLine: 40 } };
    const third = {
      ...publicBucket,
      fingerprint: "third",
      location: { file: "modules/logs/gcs.tf", startLine: 3 },
    };
    const report = junit(passingResult({ findings: [publicBucket, second, third], scanners: [] }));
    const cases = suite(report, "checkov")?.testcase.filter((c) => c.name === "CKV_GCP_28");
    expect(cases).toHaveLength(1);
    expect(cases?.[0]?.failure?.["#text"]).toContain("HIGH blocking at gcs.tf:17");
    expect(cases?.[0]?.failure?.["#text"]).toContain("HIGH blocking at gcs.tf:40");
    expect(cases?.[0]?.failure?.["#text"]).toContain("HIGH blocking at modules/logs/gcs.tf:3");
  });

  it("lists as many of a rule's findings as Bitbucket shows, and how many more there are", () => {
    const many = Array.from({ length: 20_000 }, (_, index) => ({
      ...publicBucket,
      fingerprint: `f${index}`,
      location: { file: `modules/m${index}/gcs.tf`, startLine: 17 },
    }));
    const report = junit(passingResult({ findings: many, scanners: [] }));
    const cases = suite(report, "checkov")?.testcase ?? [];
    expect(cases.map((c) => c.name)).toEqual(["checkov scan", "CKV_GCP_28"]);
    const body = cases[1]?.failure?.["#text"] ?? "";
    expect(body.length).toBeLessThanOrEqual(JUNIT_FIELD_LIMIT);
    expect(body).toContain("HIGH blocking at modules/m0/gcs.tf:17");
    expect(body).toMatch(/… and 19\d{3} more findings$/);
  });

  it("skips suppressed findings with the suppression's reason and passes non-blocking ones", () => {
    const checkov = suite(junit(failingResult()), "checkov");
    expect(checkov?.testcase.find((c) => c.name === "CKV_GCP_29")?.skipped).toEqual({
      message: "Suppressed (website-bucket): Static website bucket: object ACLs reviewed in SEC-142",
    });
    const logging = checkov?.testcase.find((c) => c.name === "CKV_GCP_62");
    expect(logging?.failure).toBeUndefined();
    expect(logging?.skipped).toBeUndefined();
    expect(logging?.["system-out"]).toContain("MEDIUM non-blocking at gcs.tf:1");
  });

  it("passes a test for each scanner that ran clean, so the Tests tab shows what was checked", () => {
    const report = junit(passingResult());
    expect(report.testsuites.testsuite.map((s) => [s.name, s.tests, s.failures])).toEqual([
      ["checkov", "1", "0"],
      ["trivy", "1", "0"],
      ["semgrep", "1", "0"],
      ["gitleaks", "1", "0"],
    ]);
    expect(suite(report, "checkov")?.testcase[0]).toMatchObject({
      name: "checkov scan",
      classname: "security-gate.checkov",
      "system-out": "checkov 2.2.34 ran in 12.3 s: no findings.",
    });
  });

  it("reports a scanner that failed to run as an error and one not run as skipped", () => {
    const report = junit(
      passingResult({
        scanners: [
          {
            tool: "semgrep",
            status: "failed",
            findings: 0,
            durationMs: 400,
            error: "semgrep exited with code 2",
          },
          { tool: "gitleaks", status: "skipped", findings: 0, durationMs: 0 },
        ],
      }),
    );
    expect(suite(report, "semgrep")?.testcase[0]?.error).toEqual({ message: "semgrep exited with code 2" });
    expect(suite(report, "gitleaks")?.testcase[0]?.skipped).toEqual({ message: "gitleaks was not run" });
    expect(report.testsuites).toMatchObject({ errors: "1", skipped: "1" });
  });

  it("has a suite for the zero-trust checks and one per gating compliance framework", () => {
    const report = junit(failingResult());
    expect(report.testsuites.testsuite.map((s) => s.name)).toEqual([
      "checkov",
      "trivy",
      "semgrep",
      "gitleaks",
      "zero-trust",
      "compliance SOC2",
    ]);
    const zeroTrust = suite(report, "zero-trust");
    expect(zeroTrust?.testcase.map((c) => [c.name, c.failure ? "failed" : "passed"])).toEqual([
      ["signed-commits", "failed"],
      ["oidc", "passed"],
    ]);
    const soc2 = suite(report, "compliance SOC2");
    expect(soc2).toMatchObject({ tests: "3", failures: "2" });
    const cc61 = soc2?.testcase.find((c) => c.name === "SOC2 CC6.1");
    expect(cc61?.failure?.message).toBe("SOC2 CC6.1 (Logical access security) failed: 3 active findings");
    expect(cc61?.failure?.["#text"]).toContain(
      "CRITICAL github-pat at Dockerfile:24: GitHub Personal Access Token",
    );
  });

  it("counts no failure when every finding is suppressed or in the baseline", () => {
    const report = junit(
      passingResult({ findings: [withStatus(publicBucket, "baseline"), uniformAccess], scanners: [] }),
    );
    expect(report.testsuites).toMatchObject({ tests: "3", failures: "0", skipped: "1" });
  });
});
