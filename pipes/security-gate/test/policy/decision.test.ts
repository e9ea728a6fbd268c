import { describe, expect, it } from "vitest";
import { buildBaseline } from "../../src/baseline.ts";
import { DEFAULT_CONFIG, type GateConfig } from "../../src/config.ts";
import { decide, type GateInput } from "../../src/decision.ts";
import { dedupeFindings } from "../../src/dedupe.ts";
import type { Finding } from "../../src/findings.ts";
import type { ScannerRun, ZeroTrustCheck } from "../../src/gate.ts";
import {
  checkovGcsLogging,
  checkovGcsUniformAccess,
  checkovGcsVersioning,
  checkovPublicGcsBucket,
  gitleaksGenericApiKey,
  semgrepDefusedXml,
  tfsecControlPlaneLogging,
  tfsecEksSecrets,
  trivyBucketLogging,
  trivyGithubPat,
  trivyRootUser,
} from "../real-findings.ts";

const now = new Date("2025-03-01T12:00:00Z");

const ran = (tool: string, findings = 0): ScannerRun => ({ tool, status: "ok", findings, durationMs: 1200 });
const allScannersRan = [ran("checkov"), ran("trivy"), ran("semgrep"), ran("gitleaks")];

function gate(findings: Finding[], config: Partial<GateConfig> = {}, extra: Partial<GateInput> = {}) {
  return decide(
    { findings, config: { ...DEFAULT_CONFIG, ...config }, checks: [], scanners: allScannersRan, ...extra },
    now,
  );
}

const statusOf = (result: ReturnType<typeof gate>, finding: Finding) =>
  result.findings.find((f) => f.fingerprint === finding.fingerprint)?.status;

describe("decide: thresholds", () => {
  it("fails when a HIGH finding is new on the PR", () => {
    const baseline = buildBaseline([checkovGcsLogging, checkovGcsUniformAccess], { created: now });

    const result = gate(
      [checkovGcsLogging, checkovGcsUniformAccess, checkovPublicGcsBucket],
      { newOnly: true, warnOn: {} },
      { baseline },
    );

    expect(result.verdict).toBe("FAIL");
    expect(result.reasons).toEqual([{ verdict: "FAIL", message: "1 new HIGH finding (threshold: 0)" }]);
    expect(statusOf(result, checkovPublicGcsBucket)).toBe("blocking");
    expect(statusOf(result, checkovGcsLogging)).toBe("baseline");
  });

  it("passes when the only HIGH finding was already there before the PR", () => {
    const baseline = buildBaseline([checkovPublicGcsBucket], { created: now });

    const result = gate([checkovPublicGcsBucket, checkovGcsVersioning], { newOnly: true }, { baseline });

    expect(result.verdict).toBe("PASS");
    expect(result.counts).toEqual({ CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 1, INFO: 0 });
  });

  it("gates on every finding when NEW_ONLY is off, even with a baseline", () => {
    const baseline = buildBaseline([checkovPublicGcsBucket], { created: now });

    const result = gate([checkovPublicGcsBucket], { newOnly: false }, { baseline });

    expect(result.reasons[0]?.message).toBe("1 HIGH finding (threshold: 0)");
    expect(statusOf(result, checkovPublicGcsBucket)).toBe("blocking");
  });

  it("treats every finding as new when NEW_ONLY has no baseline, and says so", () => {
    const result = gate([checkovPublicGcsBucket], { newOnly: true });

    expect(result.verdict).toBe("FAIL");
    expect(result.warnings).toContain(
      "NEW_ONLY is on but no baseline was found: every finding counts as new",
    );
  });

  it("fails only when the count is greater than the threshold", () => {
    const twoHigh = [checkovPublicGcsBucket, semgrepDefusedXml];

    expect(gate(twoHigh, { failOn: { HIGH: 2 }, warnOn: {} }).verdict).toBe("PASS");
    expect(gate(twoHigh, { failOn: { HIGH: 1 }, warnOn: {} }).reasons).toEqual([
      { verdict: "FAIL", message: "2 HIGH findings (threshold: 1)" },
    ]);
  });

  it("marks findings below a fail threshold as non-blocking", () => {
    const result = gate([checkovPublicGcsBucket, checkovGcsLogging], { failOn: { HIGH: 0 }, warnOn: {} });

    expect(statusOf(result, checkovPublicGcsBucket)).toBe("blocking");
    expect(statusOf(result, checkovGcsLogging)).toBe("non-blocking");
  });

  it("warns when a warn threshold is exceeded, and passes below it", () => {
    const twoMedium = [checkovGcsLogging, checkovGcsUniformAccess];

    expect(gate(twoMedium, { warnOn: { MEDIUM: 1 } }).reasons).toEqual([
      { verdict: "WARN", message: "2 MEDIUM findings (threshold: 1)" },
    ]);
    expect(gate(twoMedium, { warnOn: { MEDIUM: 2 } }).verdict).toBe("PASS");
  });

  it("counts active findings per severity: not suppressed, not excluded, not in the baseline", () => {
    const result = gate(
      [trivyGithubPat, trivyRootUser, checkovPublicGcsBucket, checkovGcsLogging, checkovGcsVersioning],
      {
        excludePaths: ["Dockerfile"],
        suppressions: [
          { id: "public-site", rule: "CKV_GCP_28", reason: "Public website, reviewed in SEC-7" },
        ],
      },
    );

    expect(result.counts).toEqual({ CRITICAL: 0, HIGH: 0, MEDIUM: 1, LOW: 1, INFO: 0 });
    expect(result.findings.map((f) => f.ruleId)).toEqual(["CKV_GCP_28", "CKV_GCP_62", "CKV_GCP_78"]);
  });
});

describe("decide: suppressions", () => {
  it("hides a suppressed finding from the counts and thresholds, and keeps it in the report", () => {
    const suppression = { id: "public-site", rule: "CKV_GCP_28", path: "gcs.tf", reason: "Public website" };

    const result = gate([checkovPublicGcsBucket], { suppressions: [suppression] });

    expect(result.verdict).toBe("PASS");
    expect(result.findings[0]).toMatchObject({ status: "suppressed", suppression });
  });

  it("an expired suppression no longer hides its finding and warns", () => {
    const expired = {
      id: "public-site",
      rule: "CKV_GCP_28",
      reason: "Public website until the CDN migration",
      expires: "2025-02-28",
    };

    const result = gate([checkovPublicGcsBucket], { suppressions: [expired] });

    expect(result.verdict).toBe("FAIL");
    expect(statusOf(result, checkovPublicGcsBucket)).toBe("blocking");
    expect(result.reasons).toEqual([
      { verdict: "FAIL", message: "1 HIGH finding (threshold: 0)" },
      {
        verdict: "WARN",
        message: 'suppression "public-site" expired on 2025-02-28: its findings count again',
      },
    ]);
    expect(result.warnings).toContain(
      'suppression "public-site" expired on 2025-02-28: its findings count again',
    );
  });

  it("warns about an expired suppression even when nothing else is wrong", () => {
    const expired = { id: "old", rule: "CKV_AWS_999", reason: "gone", expires: "2024-12-31" };

    expect(gate([], { suppressions: [expired] }).verdict).toBe("WARN");
  });

  it("notes suppressions that matched nothing, without changing the verdict", () => {
    const result = gate([], {
      suppressions: [{ id: "stale", rule: "CKV_AWS_999", reason: "fixed long ago" }],
    });

    expect(result.verdict).toBe("PASS");
    expect(result.warnings).toEqual(['suppression "stale" matched no finding: remove it?']);
  });
});

describe("decide: exclude_paths", () => {
  it("drops the findings under excluded paths entirely", () => {
    const result = gate([gitleaksGenericApiKey, semgrepDefusedXml], { excludePaths: ["tests/**"] });

    expect(result.findings.map((f) => f.ruleId)).toEqual([
      "python.lang.security.use-defused-xml.use-defused-xml",
    ]);
  });
});

describe("decide: scanners and zero-trust checks", () => {
  const unsigned: ZeroTrustCheck = {
    name: "signed-commits",
    status: "fail",
    message: "3 unsigned commits",
    details: ["a1b2c3d", "d4e5f6a", "b7c8d9e"],
  };

  it("fails when a scanner failed to run: a gate that did not look must not pass", () => {
    const failed: ScannerRun = {
      tool: "trivy",
      status: "failed",
      findings: 0,
      durationMs: 600_000,
      error: "timed out after 10m",
    };

    const result = gate([], {}, { scanners: [ran("checkov"), failed] });

    expect(result.verdict).toBe("FAIL");
    expect(result.reasons).toEqual([
      { verdict: "FAIL", message: "trivy failed to run: timed out after 10m" },
    ]);
  });

  it("only warns about a failed scanner with fail_on_scanner_error: false", () => {
    const failed: ScannerRun = {
      tool: "semgrep",
      status: "failed",
      findings: 0,
      durationMs: 50,
      error: "exit code 2",
    };

    const result = gate([], { failOnScannerError: false }, { scanners: [failed] });

    expect(result.verdict).toBe("WARN");
    expect(result.reasons[0]?.message).toBe(
      "semgrep failed to run: exit code 2 (not failing the gate: fail_on_scanner_error is false)",
    );
  });

  it("warns when a scanner was skipped", () => {
    const skipped: ScannerRun = {
      tool: "checkov",
      status: "skipped",
      findings: 0,
      durationMs: 0,
      error: "no IaC files",
    };

    const result = gate([], {}, { scanners: [skipped, ran("gitleaks")] });

    expect(result.verdict).toBe("WARN");
    expect(result.reasons).toEqual([{ verdict: "WARN", message: "checkov was skipped: no IaC files" }]);
  });

  it("fails when a zero-trust check failed, and warns when one warned", () => {
    const oidcWarning: ZeroTrustCheck = {
      name: "oidc",
      status: "warn",
      message: "the step has no deployment environment",
      details: [],
    };

    expect(gate([], {}, { checks: [unsigned] }).reasons).toEqual([
      { verdict: "FAIL", message: "signed-commits: 3 unsigned commits" },
    ]);
    expect(gate([], {}, { checks: [oidcWarning] }).verdict).toBe("WARN");
    expect(gate([], {}, { checks: [{ ...unsigned, status: "skipped", message: "off" }] }).verdict).toBe(
      "PASS",
    );
  });
});

describe("decide: compliance", () => {
  it("fails when a gating framework has a failed control, and its findings are blocking", () => {
    const result = gate([checkovGcsLogging], {
      warnOn: {},
      compliance: { gating: ["PCI-DSS"], mappings: {} },
    });

    expect(result.verdict).toBe("FAIL");
    expect(result.reasons).toEqual([
      { verdict: "FAIL", message: "PCI-DSS: 2 controls failed: 2.2.1 (1 finding), 10.2.1 (1 finding)" },
    ]);
    expect(statusOf(result, checkovGcsLogging)).toBe("blocking");
  });

  it("reports the failed controls of frameworks that do not gate without failing", () => {
    const result = gate([checkovGcsLogging], { warnOn: {} });

    expect(result.verdict).toBe("PASS");
    const soc2 = result.compliance.find((report) => report.framework === "SOC2");
    expect(soc2).toMatchObject({ gating: false, failed: 2 });
    expect(statusOf(result, checkovGcsLogging)).toBe("non-blocking");
  });

  it("gives every finding its mapped controls, including the user's", () => {
    const result = gate([tfsecEksSecrets], {
      compliance: { gating: [], mappings: { "aws-eks-encrypt-secrets": { SOC2: ["CC6.7"] } } },
    });

    expect(result.findings[0]?.controls).toContainEqual({ framework: "PCI-DSS", control: "3.5.1" });
    expect(result.findings[0]?.controls).toContainEqual({ framework: "SOC2", control: "CC6.7" });
  });

  it("does not fail a gating framework for suppressed findings", () => {
    const result = gate([checkovGcsLogging], {
      warnOn: {},
      compliance: { gating: ["PCI-DSS"], mappings: {} },
      suppressions: [{ id: "logs", rule: "CKV_GCP_62", reason: "Bucket only serves public assets" }],
    });

    expect(result.verdict).toBe("PASS");
  });
});

describe("decide: the verdict's reasons", () => {
  it("puts the most important reasons first: FAIL before WARN, thresholds by severity, then checks, scanners, compliance", () => {
    const findings = dedupeFindings([
      trivyGithubPat,
      trivyRootUser,
      checkovPublicGcsBucket,
      checkovGcsLogging,
      tfsecControlPlaneLogging,
      trivyBucketLogging,
    ]);
    const result = gate(
      findings,
      {
        failOn: { CRITICAL: 0, HIGH: 1 },
        warnOn: { MEDIUM: 0 },
        compliance: { gating: ["GDPR"], mappings: {} },
        suppressions: [{ id: "old", rule: "CKV_AWS_999", reason: "r", expires: "2025-01-01" }],
      },
      {
        checks: [
          { name: "oidc", status: "warn", message: "the token has no deployment environment", details: [] },
          { name: "signed-commits", status: "fail", message: "3 unsigned commits", details: [] },
        ],
        scanners: [
          ran("checkov"),
          { tool: "semgrep", status: "skipped", findings: 0, durationMs: 0 },
          { tool: "trivy", status: "failed", findings: 0, durationMs: 5, error: "database download failed" },
        ],
      },
    );

    expect(result.verdict).toBe("FAIL");
    expect(result.reasons).toEqual([
      { verdict: "FAIL", message: "1 CRITICAL finding (threshold: 0)" },
      { verdict: "FAIL", message: "2 HIGH findings (threshold: 1)" },
      { verdict: "FAIL", message: "signed-commits: 3 unsigned commits" },
      { verdict: "FAIL", message: "trivy failed to run: database download failed" },
      {
        verdict: "FAIL",
        message: "GDPR: 3 controls failed: Art.32 (6 findings), Art.33 (3 findings), Art.25 (2 findings)",
      },
      { verdict: "WARN", message: "2 MEDIUM findings (threshold: 0)" },
      { verdict: "WARN", message: "oidc: the token has no deployment environment" },
      { verdict: "WARN", message: "semgrep was skipped" },
      { verdict: "WARN", message: 'suppression "old" expired on 2025-01-01: its findings count again' },
    ]);
  });

  it("passes with no reasons when nothing is wrong", () => {
    const result = gate([checkovGcsVersioning], {});

    expect(result).toMatchObject({ verdict: "PASS", reasons: [], warnings: [] });
    expect(result.scanners).toEqual(allScannersRan);
  });
});
