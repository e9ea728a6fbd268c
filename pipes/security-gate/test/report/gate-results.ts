/**
 * GateResults for the report tests: the findings real tools reported (../real-findings.ts), with the
 * gate's decision on each (status, suppression, compliance controls, tools that agree).
 */
import { SEVERITIES, type Severity } from "../../src/findings.ts";
import type { FindingStatus, GateFinding, GateResult, ScannerRun } from "../../src/gate.ts";
import {
  checkovGcsLogging,
  checkovGcsUniformAccess,
  checkovGcsVersioning,
  checkovPublicGcsBucket,
  type FindingFields,
  finding as fixtureFinding,
  gitleaksAwsToken,
  gitleaksGenericApiKey,
  semgrepMd5,
  semgrepUselessEqEq,
  trivyBlockPublicAcls,
  trivyGithubPat,
  trivyRootUser,
  trivyUrllib3Redos,
} from "../real-findings.ts";

/** A finding the gate did not block, unless `status` says otherwise. */
export function finding({
  status = "non-blocking",
  suppression,
  ...fields
}: FindingFields & Partial<Pick<GateFinding, "status" | "suppression">>): GateFinding {
  return { ...fixtureFinding(fields), status, suppression };
}

export const publicBucket: GateFinding = {
  ...checkovPublicGcsBucket,
  controls: [
    { framework: "SOC2", control: "CC6.1" },
    { framework: "ISO27001", control: "A.8.3" },
  ],
  status: "blocking",
};
export const uniformAccess: GateFinding = {
  ...checkovGcsUniformAccess,
  status: "suppressed",
  suppression: {
    id: "website-bucket",
    rule: "CKV_GCP_29",
    path: "gcs.tf",
    reason: "Static website bucket: object ACLs reviewed in SEC-142",
    expires: "2026-12-31",
  },
};
export const bucketLogging: GateFinding = {
  ...checkovGcsLogging,
  controls: [{ framework: "SOC2", control: "CC7.2" }],
  status: "non-blocking",
};
export const bucketVersioning: GateFinding = { ...checkovGcsVersioning, status: "baseline" };
/** Also reported by checkov as CKV_AWS_53. */
export const publicAcls: GateFinding = {
  ...trivyBlockPublicAcls,
  tools: ["trivy", "checkov"],
  alsoKnownAs: { checkov: "CKV_AWS_53" },
  controls: [{ framework: "SOC2", control: "CC6.1" }],
  status: "blocking",
};
export const urllib3Redos: GateFinding = { ...trivyUrllib3Redos, status: "blocking" };
export const rootUser: GateFinding = { ...trivyRootUser, status: "blocking" };
export const githubToken: GateFinding = {
  ...trivyGithubPat,
  controls: [{ framework: "SOC2", control: "CC6.1" }],
  status: "blocking",
};
export const md5: GateFinding = { ...semgrepMd5, status: "non-blocking" };
export const uselessEqEq: GateFinding = { ...semgrepUselessEqEq, status: "blocking" };
export const awsToken: GateFinding = { ...gitleaksAwsToken, status: "blocking" };
export const testApiKey: GateFinding = {
  ...gitleaksGenericApiKey,
  status: "suppressed",
  suppression: { id: "test-fixtures", path: "tests/**", reason: "Test fixture key, not a real credential" },
};

export const SCANNERS: ScannerRun[] = [
  { tool: "checkov", version: "2.2.34", status: "ok", findings: 4, durationMs: 12_340 },
  { tool: "trivy", version: "0.58.1", status: "ok", findings: 4, durationMs: 8_421 },
  { tool: "semgrep", version: "1.99.0", status: "ok", findings: 2, durationMs: 30_500 },
  { tool: "gitleaks", version: "8.21.2", status: "ok", findings: 2, durationMs: 1_200 },
];

export const ALL_FINDINGS = [
  publicBucket,
  uniformAccess,
  bucketLogging,
  bucketVersioning,
  publicAcls,
  urllib3Redos,
  rootUser,
  githubToken,
  md5,
  uselessEqEq,
  awsToken,
  testApiKey,
];

/** Findings that count towards the thresholds: not suppressed, not in the baseline. */
export function activeCounts(findings: readonly GateFinding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const item of findings)
    if (item.status === "blocking" || item.status === "non-blocking") counts[item.severity] += 1;
  return counts;
}

export function withStatus(item: GateFinding, status: FindingStatus): GateFinding {
  return { ...item, status };
}

/** A failing gate over all four scanners, with compliance and zero-trust results. */
export function failingResult(overrides: Partial<GateResult> = {}): GateResult {
  const findings = overrides.findings ?? ALL_FINDINGS;
  return {
    verdict: "FAIL",
    reasons: [
      { verdict: "FAIL", message: "1 CRITICAL finding is active (MAX_CRITICAL is 0)" },
      { verdict: "FAIL", message: "6 HIGH findings are active (MAX_HIGH is 0)" },
      { verdict: "FAIL", message: "SOC2 control CC6.1 failed (SOC2 is in COMPLIANCE_FRAMEWORKS)" },
      { verdict: "FAIL", message: "signed-commits: 1 of 3 commits is not signed by an allowed signer" },
      { verdict: "WARN", message: "Suppression website-bucket expires on 2026-12-31" },
    ],
    findings,
    counts: activeCounts(findings),
    compliance: [
      {
        framework: "SOC2",
        gating: true,
        checked: 12,
        passed: 10,
        failed: 2,
        controls: [
          {
            framework: "SOC2",
            control: "CC6.1",
            title: "Logical access security",
            status: "failed",
            findings: [publicBucket.fingerprint, publicAcls.fingerprint, githubToken.fingerprint],
          },
          {
            framework: "SOC2",
            control: "CC7.2",
            title: "System monitoring",
            status: "failed",
            findings: [bucketLogging.fingerprint],
          },
          {
            framework: "SOC2",
            control: "CC6.6",
            title: "Boundary protection",
            status: "passed",
            findings: [],
          },
        ],
      },
      {
        framework: "ISO27001",
        gating: false,
        checked: 9,
        passed: 8,
        failed: 1,
        controls: [
          { framework: "ISO27001", control: "A.8.3", status: "failed", findings: [publicBucket.fingerprint] },
        ],
      },
      { framework: "PCI-DSS", gating: false, checked: 7, passed: 7, failed: 0, controls: [] },
      { framework: "GDPR", gating: false, checked: 3, passed: 3, failed: 0, controls: [] },
    ],
    checks: [
      {
        name: "signed-commits",
        status: "fail",
        message: "1 of 3 commits is not signed by an allowed signer",
        details: ["9f8e7d6 Open the website bucket: no signature", "a1b2c3d signed (ssh, alice@example.com)"],
      },
      { name: "oidc", status: "pass", message: "OIDC token verified for branch main", details: [] },
    ],
    scanners: SCANNERS,
    warnings: ["Suppression website-bucket expires on 2026-12-31"],
    ...overrides,
  };
}

/** A clean run: every scanner ran and found nothing. */
export function passingResult(overrides: Partial<GateResult> = {}): GateResult {
  return {
    verdict: "PASS",
    reasons: [],
    findings: [],
    counts: activeCounts([]),
    compliance: [],
    checks: [],
    scanners: SCANNERS.map((scanner) => ({ ...scanner, findings: 0 })),
    warnings: [],
    ...overrides,
  };
}

/** `count` findings spread over rules, files and severities, as a large monorepo scan gives. */
export function manyFindings(count: number): GateFinding[] {
  return Array.from({ length: count }, (_, index) =>
    finding({
      tool: index % 3 === 0 ? "trivy" : "checkov",
      ruleId: `CKV_AWS_${index % 150}`,
      title: `Ensure S3 bucket check ${index % 150} passes`,
      message: `Check ${index % 150} failed for aws_s3_bucket.b${index}`,
      severity: SEVERITIES[index % SEVERITIES.length] ?? "LOW",
      category: "iac",
      location: { file: `modules/m${index % 40}/main.tf`, startLine: (index % 500) + 1 },
      resource: `aws_s3_bucket.b${index}`,
      helpUri: `https://docs.prismacloud.io/en/policy-reference/aws-policies/s3-policies/s3-${index % 150}`,
      status: index % 7 === 0 ? "blocking" : index % 11 === 0 ? "suppressed" : "non-blocking",
    }),
  );
}
