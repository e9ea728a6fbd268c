import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config.ts";
import { decide } from "../../src/decision.ts";
import { dedupeFindings } from "../../src/dedupe.ts";
import type { ScannerRun } from "../../src/gate.ts";
import { gateResultSchema, type RunFacts, resultDocument } from "../../src/result.ts";
import { ingestShared } from "../ingest/report-fixtures.ts";
import { failingResult } from "./gate-results.ts";

const facts: RunFacts = {
  version: "0.1.0",
  now: new Date("2025-03-01T12:00:00Z"),
  commit: "4f2a9c1",
  branch: "feature/buckets",
  pullRequest: 42,
  enforced: true,
};

// publish.ts writes result.json without checking it against its schema at run time (a copy of
// 100,000 findings): these tests are that check, on what real reports and decisions give.
describe("result.json for later pipes", () => {
  it("matches its schema for the decision on real reports of every tool", () => {
    const reports = [
      "sarif/trivy-terraform-config.sarif",
      "sarif/gitleaks-v8.sarif",
      "sarif/semgrep-test_sarif_output-True-rule_and_target3.sarif",
      "sarif/checkov-openapi.sarif",
      "sarif/trivy-image-alpine.sarif",
      "native/trivy-misconfig-secrets.json",
      "native/tfsec-many.json",
    ].map((file) => ({ file, parsed: ingestShared(file) }));
    const scanners: ScannerRun[] = reports.map(({ file, parsed }) => ({
      tool: parsed.tool,
      status: "ingested",
      findings: parsed.findings.length,
      durationMs: 12,
      report: file,
    }));
    const result = decide(
      {
        findings: dedupeFindings(reports.flatMap(({ parsed }) => parsed.findings)),
        config: { ...DEFAULT_CONFIG, compliance: { ...DEFAULT_CONFIG.compliance, gating: ["SOC2"] } },
        checks: [],
        scanners,
      },
      facts.now,
    );
    expect(result.findings.length).toBeGreaterThan(50);
    const document = resultDocument(result, facts);
    expect(gateResultSchema.safeParse(document).error).toBeUndefined();
  });

  it("matches its schema with suppressed, baseline and blocking findings and failed checks", () => {
    const document = resultDocument(failingResult(), { ...facts, enforced: false });
    expect(document.findings.map((finding) => finding.status)).toEqual(
      expect.arrayContaining(["blocking", "non-blocking", "baseline", "suppressed"]),
    );
    expect(gateResultSchema.safeParse(document).error).toBeUndefined();
  });
});
