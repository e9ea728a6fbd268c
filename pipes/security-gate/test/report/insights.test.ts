import { CODE_INSIGHTS_LIMITS, selectAnnotations, toWireAnnotation, toWireReport } from "@pipes/bitbucket";
import { describe, expect, it } from "vitest";
import { SEVERITIES, severityRank } from "../../src/findings.ts";
import {
  renderInsightsAnnotations,
  renderInsightsReport,
  renderPendingInsightsReport,
} from "../../src/report/insights.ts";
import {
  activeCounts,
  bucketVersioning,
  failingResult,
  finding,
  githubToken,
  manyFindings,
  md5,
  passingResult,
  publicAcls,
  uniformAccess,
  uselessEqEq,
} from "./gate-results.ts";
import { annotationSchemaErrors, reportSchemaErrors } from "./schemas.ts";

describe("Code Insights report", () => {
  it("is a SECURITY report, sent valid against the OpenAPI `report` schema, FAILED when the gate fails", () => {
    const report = renderInsightsReport(failingResult(), {
      link: "https://bitbucket.org/acme/infra/pipelines/results/42",
    });
    expect(reportSchemaErrors(toWireReport(report))).toEqual([]);
    expect(report).toMatchObject({
      id: "security-gate",
      title: "Security gate",
      reporter: "security-gate",
      type: "SECURITY",
      result: "FAILED",
      link: "https://bitbucket.org/acme/infra/pipelines/results/42",
    });
    expect(report.details).toMatch(
      /^❌ Failed: 1 CRITICAL finding is active \(MAX_CRITICAL is 0\); 6 HIGH findings are active \(MAX_HIGH is 0\); /,
    );
  });

  it("passes on WARN, with details saying there are warnings", () => {
    const result = passingResult({
      verdict: "WARN",
      reasons: [{ verdict: "WARN", message: "semgrep failed to run" }],
    });
    const report = renderInsightsReport(result);
    expect(report.result).toBe("PASSED");
    expect(report.details).toBe("⚠️ Passed with warnings: semgrep failed to run.");
    expect(renderInsightsReport(passingResult()).details).toBe(
      "✅ Passed: no findings above the thresholds.",
    );
  });

  it("shows the verdict, counts per severity and the scanners as data fields, at most 10", () => {
    const report = renderInsightsReport(failingResult());
    expect(report.data?.length).toBeLessThanOrEqual(CODE_INSIGHTS_LIMITS.dataFields);
    expect(report.data).toEqual([
      { title: "Verdict", type: "TEXT", value: "FAIL" },
      { title: "Blocking findings", type: "NUMBER", value: 7 },
      { title: "Critical", type: "NUMBER", value: 1 },
      { title: "High", type: "NUMBER", value: 6 },
      { title: "Medium", type: "NUMBER", value: 2 },
      { title: "Low", type: "NUMBER", value: 0 },
      { title: "Info", type: "NUMBER", value: 0 },
      { title: "Suppressed", type: "NUMBER", value: 2 },
      {
        title: "Scanners",
        type: "TEXT",
        value: "checkov 2.2.34, trivy 0.58.1, semgrep 1.99.0, gitleaks 8.21.2",
      },
    ]);
  });

  it("keeps the details within 2,000 characters however many reasons there are", () => {
    const reasons = Array.from({ length: 100 }, (_, index) => ({
      verdict: "FAIL" as const,
      message: `Reason ${index} ${"z".repeat(80)}`,
    }));
    const sent = toWireReport(renderInsightsReport(failingResult({ reasons })));
    expect(sent.details?.length).toBeLessThanOrEqual(CODE_INSIGHTS_LIMITS.reportDetails);
    expect(sent.details?.endsWith("…")).toBe(true);
    expect(reportSchemaErrors(sent)).toEqual([]);
  });

  it("can say the gate is still running", () => {
    const report = renderPendingInsightsReport();
    expect(report.result).toBe("PENDING");
    expect(reportSchemaErrors(toWireReport(report))).toEqual([]);
  });
});

describe("Code Insights annotations", () => {
  it("are sent as valid `report_annotation`s with the finding's place, severity, rule and help link", () => {
    const annotations = renderInsightsAnnotations(failingResult());
    expect(annotations).toHaveLength(12);
    for (const annotation of annotations) {
      expect(annotationSchemaErrors(toWireAnnotation(annotation))).toEqual([]);
    }
    expect(annotations[0]).toEqual({
      id: `security-gate-${githubToken.fingerprint}`,
      type: "VULNERABILITY",
      path: "Dockerfile",
      line: 24,
      summary: "github-pat: GitHub Personal Access Token",
      details:
        "GitHub Personal Access Token found in ENV GITHUB_PAT (value redacted)\nReported by: trivy\nControls: SOC2 CC6.1",
      result: "FAILED",
      severity: "CRITICAL",
    });
    const acl = annotations.find((annotation) => annotation.summary.startsWith("AVD-AWS-0086"));
    expect(acl).toMatchObject({
      path: "main.tf",
      line: 8,
      link: "https://avd.aquasec.com/misconfig/avd-aws-0086",
    });
    expect(acl?.details).toContain("Reported by: trivy, checkov (CKV_AWS_53)");
  });

  it("fail blocking findings, pass the others and ignore suppressed ones", () => {
    const byRule = new Map(
      renderInsightsAnnotations(failingResult()).map((a) => [a.summary.split(":")[0], a]),
    );
    expect(byRule.get(publicAcls.ruleId)?.result).toBe("FAILED");
    expect(byRule.get(md5.ruleId)?.result).toBe("PASSED");
    expect(byRule.get(bucketVersioning.ruleId)).toMatchObject({
      result: "PASSED",
      details: expect.stringContaining("Already in the baseline."),
    });
    expect(byRule.get(uniformAccess.ruleId)).toMatchObject({
      result: "IGNORED",
      details: expect.stringContaining("Suppressed (website-bucket): Static website bucket"),
    });
  });

  it("map INFO to LOW and Semgrep correctness rules to bugs", () => {
    const info = finding({
      ...md5,
      ruleId: "python.lang.best-practice.pass-body-fn",
      severity: "INFO",
      fingerprint: "info",
    });
    const annotations = renderInsightsAnnotations(passingResult({ findings: [info, uselessEqEq, md5] }));
    expect(annotations.map((a) => [a.summary.split(":")[0], a.severity, a.type])).toEqual([
      ["python.lang.correctness.useless-eqeq.useless-eqeq", "HIGH", "BUG"],
      [
        "python.lang.security.insecure-hash-algorithms.insecure-hash-algorithm-md5",
        "MEDIUM",
        "VULNERABILITY",
      ],
      ["python.lang.best-practice.pass-body-fn", "LOW", "CODE_SMELL"],
    ]);
  });

  it("are capped at the 1,000 a report holds, blocking and most severe first, with unique ids", () => {
    const findings = manyFindings(3000);
    const annotations = renderInsightsAnnotations(
      failingResult({ findings, counts: activeCounts(findings) }),
    );
    expect(annotations).toHaveLength(CODE_INSIGHTS_LIMITS.annotationsPerReport);
    expect(new Set(annotations.map((a) => a.id)).size).toBe(annotations.length);
    expect(selectAnnotations(annotations).omitted).toBe(0);
    const blocking = findings.filter((item) => item.status === "blocking").length;
    expect(annotations.slice(0, blocking).every((a) => a.result === "FAILED")).toBe(true);
    const blockingSeverities = annotations.slice(0, blocking).map((a) => a.severity ?? "LOW");
    const ranks = blockingSeverities.map((severity) => severityRank(severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(SEVERITIES).toContain(blockingSeverities[0]);
  });

  it("keep summaries within 450 characters and details within 2,000, without control characters", () => {
    const long = finding({
      ...githubToken,
      title: `Token\u001b[31m ${"t".repeat(1000)}`,
      message: `Found\u0000 ${"m".repeat(5000)}`,
      fingerprint: "f".repeat(300),
    });
    const annotations = renderInsightsAnnotations(passingResult({ findings: [long, { ...long }] }));
    const [sent] = annotations.map(toWireAnnotation);
    expect(sent?.summary.length).toBeLessThanOrEqual(CODE_INSIGHTS_LIMITS.annotationSummary);
    expect(sent?.details?.length).toBeLessThanOrEqual(CODE_INSIGHTS_LIMITS.annotationDetails);
    expect(sent?.summary).toMatch(/^github-pat: Token t+…$/);
    expect(sent?.details).not.toContain("\u0000");
    expect(sent?.external_id).toMatch(/^security-gate-[0-9a-f]{64}$/);
    expect(annotationSchemaErrors(sent)).toEqual([]);
    const ids = annotations.map((a) => a.id);
    expect(ids[1]).toBe(`${ids[0]}-2`);
  });
});
