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
  it("fails one test per rule and file that has blocking findings", () => {
    const report = junit(failingResult({ compliance: [], checks: [] }));
    const blockingRuleFiles = new Set(
      ALL_FINDINGS.filter((finding) => finding.status === "blocking").map(
        (finding) => `${finding.ruleId} in ${finding.location?.file}`,
      ),
    );
    const failed = report.testsuites.testsuite.flatMap((s) =>
      s.testcase.filter((c) => c.failure).map((c) => c.name),
    );
    expect(new Set(failed)).toEqual(blockingRuleFiles);
    expect(Number(report.testsuites.failures)).toBe(blockingRuleFiles.size);
    expect(
      suite(report, "checkov")?.testcase.find((c) => c.name === "CKV_GCP_28 in gcs.tf")?.failure,
    ).toMatchObject({
      message: "HIGH: Ensure that Cloud Storage bucket is not anonymously or publicly accessible",
      type: "HIGH",
    });
  });

  it("groups the findings of one rule in one file into one test that lists each", () => {
    const second = { ...publicBucket, fingerprint: "second", location: { file: "gcs.tf", startLine: 40 } };
    const report = junit(passingResult({ findings: [publicBucket, second], scanners: [] }));
    const cases = suite(report, "checkov")?.testcase.filter((c) => c.name === "CKV_GCP_28 in gcs.tf");
    expect(cases).toHaveLength(1);
    expect(cases?.[0]?.failure?.["#text"]).toContain("HIGH blocking at gcs.tf:17");
    expect(cases?.[0]?.failure?.["#text"]).toContain("HIGH blocking at gcs.tf:40");
  });

  it("skips suppressed findings with the suppression's reason and passes non-blocking ones", () => {
    const checkov = suite(junit(failingResult()), "checkov");
    expect(checkov?.testcase.find((c) => c.name === "CKV_GCP_29 in gcs.tf")?.skipped).toEqual({
      message: "Suppressed (website-bucket): Static website bucket: object ACLs reviewed in SEC-142",
    });
    const logging = checkov?.testcase.find((c) => c.name === "CKV_GCP_62 in gcs.tf");
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
