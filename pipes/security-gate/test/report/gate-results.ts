/**
 * GateResults for the report tests, built from findings that real tools reported. Rule ids,
 * titles, messages, files, lines and help links are copied from the fixtures in `../shared/fixtures`
 * beside the repository (origins in its SOURCES.md): checkov-severity.json, trivy-misconfig-secrets.json,
 * trivy-terraform-config.sarif, semgrep-many.json and gitleaks-v8-many.json. The Finding objects are
 * written by hand here, since the ingestion code is written separately.
 */
import { createHash } from "node:crypto";
import { SEVERITIES, type Severity } from "../../src/findings.ts";
import type { FindingStatus, GateFinding, GateResult, ScannerRun } from "../../src/gate.ts";

type FindingFields = Omit<GateFinding, "fingerprint" | "tools" | "controls" | "status"> &
  Partial<Pick<GateFinding, "tools" | "controls" | "status" | "fingerprint">>;

export function finding(fields: FindingFields): GateFinding {
  const place = `${fields.tool}|${fields.ruleId}|${fields.location?.file ?? fields.resource ?? ""}|${fields.location?.startLine ?? ""}`;
  return {
    fingerprint: createHash("sha256").update(place).digest("hex"),
    tools: [fields.tool],
    controls: [],
    status: "non-blocking",
    ...fields,
  };
}

// checkov-severity.json (checkov 2.2.34, terragoat's gcs.tf)
export const publicBucket = finding({
  tool: "checkov",
  ruleId: "CKV_GCP_28",
  title: "Ensure that Cloud Storage bucket is not anonymously or publicly accessible",
  message: "Ensure that Cloud Storage bucket is not anonymously or publicly accessible",
  severity: "HIGH",
  category: "iac",
  location: { file: "gcs.tf", startLine: 17, endLine: 21 },
  resource: "google_storage_bucket_iam_binding.allow_public_read",
  helpUri: "https://docs.bridgecrew.io/docs/bc_gcp_public_1",
  controls: [
    { framework: "SOC2", control: "CC6.1" },
    { framework: "ISO27001", control: "A.8.3" },
  ],
  status: "blocking",
});
export const uniformAccess = finding({
  tool: "checkov",
  ruleId: "CKV_GCP_29",
  title: "Ensure that Cloud Storage buckets have uniform bucket-level access enabled",
  message: "Ensure that Cloud Storage buckets have uniform bucket-level access enabled",
  severity: "MEDIUM",
  category: "iac",
  location: { file: "gcs.tf", startLine: 1, endLine: 15 },
  resource: "google_storage_bucket.terragoat_website",
  helpUri: "https://docs.bridgecrew.io/docs/bc_gcp_gcs_2",
  status: "suppressed",
  suppression: {
    id: "website-bucket",
    rule: "CKV_GCP_29",
    path: "gcs.tf",
    reason: "Static website bucket: object ACLs reviewed in SEC-142",
    expires: "2026-12-31",
  },
});
export const bucketLogging = finding({
  tool: "checkov",
  ruleId: "CKV_GCP_62",
  title: "Bucket should log access",
  message: "Bucket should log access",
  severity: "MEDIUM",
  category: "iac",
  location: { file: "gcs.tf", startLine: 1, endLine: 15 },
  resource: "google_storage_bucket.terragoat_website",
  helpUri: "https://docs.bridgecrew.io/docs/bc_gcp_logging_2",
  controls: [{ framework: "SOC2", control: "CC7.2" }],
});
export const bucketVersioning = finding({
  tool: "checkov",
  ruleId: "CKV_GCP_78",
  title: "Ensure Cloud storage has versioning enabled",
  message: "Ensure Cloud storage has versioning enabled",
  severity: "LOW",
  category: "iac",
  location: { file: "gcs.tf", startLine: 1, endLine: 15 },
  resource: "google_storage_bucket.terragoat_website",
  helpUri: "https://docs.bridgecrew.io/docs/ensure-gcp-cloud-storage-has-versioning-enabled",
  status: "baseline",
});

// trivy-terraform-config.sarif (AVD-AWS-0086), also reported by checkov as CKV_AWS_53.
export const publicAcls = finding({
  tool: "trivy",
  tools: ["trivy", "checkov"],
  alsoKnownAs: { checkov: "CKV_AWS_53" },
  ruleId: "AVD-AWS-0086",
  title: "S3 Access block should block public ACL",
  message: "No public access block so not blocking public acls",
  severity: "HIGH",
  category: "iac",
  location: { file: "main.tf", startLine: 8, endLine: 10 },
  helpUri: "https://avd.aquasec.com/misconfig/avd-aws-0086",
  controls: [{ framework: "SOC2", control: "CC6.1" }],
  status: "blocking",
});
// trivy-misconfig-secrets.json
export const urllib3Redos = finding({
  tool: "trivy",
  ruleId: "CVE-2021-33503",
  title: "python-urllib3: ReDoS in the parsing of authority part of URL",
  message: "urllib3 1.26.3 is affected; fixed in 1.26.5",
  severity: "HIGH",
  category: "vulnerability",
  location: { file: "requirements.txt" },
  resource: "urllib3@1.26.3",
  helpUri: "https://avd.aquasec.com/nvd/cve-2021-33503",
  status: "blocking",
});
export const rootUser = finding({
  tool: "trivy",
  ruleId: "DS002",
  title: "Image user should not be 'root'",
  message: "Specify at least 1 USER command in Dockerfile with non-root user as argument",
  severity: "HIGH",
  category: "iac",
  location: { file: "Dockerfile" },
  helpUri: "https://avd.aquasec.com/misconfig/ds002",
  status: "blocking",
});
export const githubToken = finding({
  tool: "trivy",
  ruleId: "github-pat",
  title: "GitHub Personal Access Token",
  message: "GitHub Personal Access Token found in ENV GITHUB_PAT (value redacted)",
  severity: "CRITICAL",
  category: "secret",
  location: { file: "Dockerfile", startLine: 24, endLine: 24 },
  controls: [{ framework: "SOC2", control: "CC6.1" }],
  status: "blocking",
});

// semgrep-many.json
export const md5 = finding({
  tool: "semgrep",
  ruleId: "python.lang.security.insecure-hash-algorithms.insecure-hash-algorithm-md5",
  title: "Detected MD5 hash algorithm which is considered insecure.",
  message:
    "Detected MD5 hash algorithm which is considered insecure. MD5 is not collision resistant and is therefore not suitable as a cryptographic signature. Use SHA256 or SHA3 instead.",
  severity: "MEDIUM",
  category: "code",
  location: { file: "tools/sslyze/parser_xml.py", startLine: 124, endLine: 124 },
});
export const uselessEqEq = finding({
  tool: "semgrep",
  ruleId: "python.lang.correctness.useless-eqeq.useless-eqeq",
  title: "This expression is always True",
  message:
    "This expression is always True: `new_original.test.engagement == new_original.test.engagement` or `new_original.test.engagement != new_original.test.engagement`.",
  severity: "HIGH",
  category: "code",
  location: { file: "finding/views.py", startLine: 2047, endLine: 2047 },
  status: "blocking",
});

// gitleaks-v8-many.json
export const awsToken = finding({
  tool: "gitleaks",
  ruleId: "aws-access-token",
  title: "AWS",
  message: "aws-access-token has detected a secret in conf/aws.tf at commit 74d53286",
  severity: "HIGH",
  category: "secret",
  location: { file: "conf/aws.tf", startLine: 2, endLine: 2 },
  status: "blocking",
});
export const testApiKey = finding({
  tool: "gitleaks",
  ruleId: "generic-api-key",
  title: "Generic API Key",
  message: "generic-api-key has detected a secret in tests/api.py at commit 69235ea9",
  severity: "HIGH",
  category: "secret",
  location: { file: "tests/api.py", startLine: 21, endLine: 21 },
  status: "suppressed",
  suppression: { id: "test-fixtures", path: "tests/**", reason: "Test fixture key, not a real credential" },
});

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
