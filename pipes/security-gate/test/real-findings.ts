/**
 * Findings as the scanners report them, for the policy and report tests. Rule ids, titles, messages,
 * files, lines, severities and help links are copied from the real outputs in `../shared/fixtures`
 * beside the repository (origins in its SOURCES.md):
 *  - sarif/trivy-terraform-config.sarif: Trivy on an S3 bucket in main.tf (lines 8-10, 16);
 *  - native/checkov-severity.json: Checkov 2.2.34 on terragoat's gcs.tf;
 *  - native/tfsec-many.json: tfsec on an EKS module (ids and legacy ids);
 *  - native/trivy-misconfig-secrets.json: Trivy's Dockerfile check DS002, github-pat secret and
 *    urllib3 vulnerability;
 *  - native/gitleaks-v8-many.json, native/semgrep-many.json.
 * Where a test needs the other tool's view of the same place (Checkov on Trivy's main.tf), the
 * check id and title come from that tool's own rule index (Checkov's docs/5.Policy Index), so the
 * finding is what that tool reports for that resource. Findings are written by hand: ingestion,
 * which computes real fingerprints, is tested on its own. The report tests add the gate's decision
 * on each (report/gate-results.ts).
 */
import { createHash } from "node:crypto";
import type { Finding } from "../src/findings.ts";

export type FindingFields = Omit<Finding, "fingerprint" | "tools" | "controls"> &
  Partial<Pick<Finding, "tools" | "controls" | "fingerprint">>;

/** A finding with a stable fingerprint of its tool, rule and place. */
export function finding(fields: FindingFields): Finding {
  const place = [
    fields.tool,
    fields.ruleId,
    fields.location?.file ?? "",
    fields.location?.startLine ?? "",
    fields.resource ?? "",
  ].join("|");
  return {
    fingerprint: createHash("sha256").update(place).digest("hex").slice(0, 16),
    tools: [fields.tool],
    controls: [],
    ...fields,
  };
}

// --- Trivy on main.tf (sarif/trivy-terraform-config.sarif) -------------------------------------

const bucket = { file: "main.tf", startLine: 8, endLine: 10 };

export const trivyNoPublicAccessBlock = finding({
  tool: "trivy",
  ruleId: "AVD-AWS-0094",
  title: "S3 buckets should each define an aws_s3_bucket_public_access_block",
  message: "Bucket does not have a corresponding public access block.",
  severity: "LOW",
  category: "iac",
  location: bucket,
  helpUri: "https://avd.aquasec.com/misconfig/avd-aws-0094",
});

export const trivyBlockPublicAcls = finding({
  tool: "trivy",
  ruleId: "AVD-AWS-0086",
  title: "S3 Access block should block public ACL",
  message: "No public access block so not blocking public acls",
  severity: "HIGH",
  category: "iac",
  location: bucket,
  helpUri: "https://avd.aquasec.com/misconfig/avd-aws-0086",
});

export const trivyBlockPublicPolicy = finding({
  tool: "trivy",
  ruleId: "AVD-AWS-0087",
  title: "S3 Access block should block public policy",
  message: "No public access block so not blocking public policies",
  severity: "HIGH",
  category: "iac",
  location: bucket,
  helpUri: "https://avd.aquasec.com/misconfig/avd-aws-0087",
});

export const trivyUnencryptedBucket = finding({
  tool: "trivy",
  ruleId: "AVD-AWS-0088",
  title: "Unencrypted S3 bucket.",
  message: "Bucket does not have encryption enabled",
  severity: "HIGH",
  category: "iac",
  location: bucket,
  helpUri: "https://avd.aquasec.com/misconfig/avd-aws-0088",
});

export const trivyBucketLogging = finding({
  tool: "trivy",
  ruleId: "s3-bucket-logging",
  title: "S3 Bucket Logging",
  message: "Bucket has logging disabled",
  severity: "LOW",
  category: "iac",
  location: bucket,
  helpUri: "https://avd.aquasec.com/misconfig/s3-bucket-logging",
});

export const trivyVersioning = finding({
  tool: "trivy",
  ruleId: "AVD-AWS-0090",
  title: "S3 Data should be versioned",
  message: "Bucket does not have versioning enabled",
  severity: "MEDIUM",
  category: "iac",
  location: { file: "main.tf", startLine: 16, endLine: 16 },
  helpUri: "https://avd.aquasec.com/misconfig/avd-aws-0090",
});

export const trivyCustomerKey = finding({
  tool: "trivy",
  ruleId: "AVD-AWS-0132",
  title: "S3 encryption should use Customer Managed Keys",
  message: "Bucket does not encrypt data with a customer managed key.",
  severity: "HIGH",
  category: "iac",
  location: bucket,
  helpUri: "https://avd.aquasec.com/misconfig/avd-aws-0132",
});

// --- Checkov on the same bucket (titles from Checkov's terraform policy index) -----------------

export const checkovNoPublicAccessBlock = finding({
  tool: "checkov",
  ruleId: "CKV2_AWS_6",
  title: "Ensure that S3 bucket has a Public Access block",
  message: "Ensure that S3 bucket has a Public Access block",
  severity: "LOW",
  category: "iac",
  location: bucket,
  resource: "aws_s3_bucket.bucket",
});

export const checkovUnencryptedBucket = finding({
  tool: "checkov",
  ruleId: "CKV_AWS_19",
  title: "Ensure all data stored in the S3 bucket is securely encrypted at rest",
  message: "Ensure all data stored in the S3 bucket is securely encrypted at rest",
  severity: "MEDIUM",
  category: "iac",
  location: bucket,
  resource: "aws_s3_bucket.bucket",
});

export const checkovVersioning = finding({
  tool: "checkov",
  ruleId: "CKV_AWS_21",
  title: "Ensure all data stored in the S3 bucket have versioning enabled",
  message: "Ensure all data stored in the S3 bucket have versioning enabled",
  severity: "MEDIUM",
  category: "iac",
  location: bucket,
  resource: "aws_s3_bucket.bucket",
});

// --- Checkov on terragoat's gcs.tf (native/checkov-severity.json) ------------------------------

export const checkovPublicGcsBucket = finding({
  tool: "checkov",
  ruleId: "CKV_GCP_28",
  title: "Ensure that Cloud Storage bucket is not anonymously or publicly accessible",
  message: "Ensure that Cloud Storage bucket is not anonymously or publicly accessible",
  severity: "HIGH",
  category: "iac",
  location: { file: "gcs.tf", startLine: 17, endLine: 21 },
  resource: "google_storage_bucket_iam_binding.allow_public_read",
  helpUri: "https://docs.bridgecrew.io/docs/bc_gcp_public_1",
});

export const checkovGcsUniformAccess = finding({
  tool: "checkov",
  ruleId: "CKV_GCP_29",
  title: "Ensure that Cloud Storage buckets have uniform bucket-level access enabled",
  message: "Ensure that Cloud Storage buckets have uniform bucket-level access enabled",
  severity: "MEDIUM",
  category: "iac",
  location: { file: "gcs.tf", startLine: 1, endLine: 15 },
  resource: "google_storage_bucket.terragoat_website",
  helpUri: "https://docs.bridgecrew.io/docs/bc_gcp_gcs_2",
});

export const checkovGcsLogging = finding({
  tool: "checkov",
  ruleId: "CKV_GCP_62",
  title: "Bucket should log access",
  message: "Bucket should log access",
  severity: "MEDIUM",
  category: "iac",
  location: { file: "gcs.tf", startLine: 1, endLine: 15 },
  resource: "google_storage_bucket.terragoat_website",
  helpUri: "https://docs.bridgecrew.io/docs/bc_gcp_logging_2",
});

export const checkovGcsVersioning = finding({
  tool: "checkov",
  ruleId: "CKV_GCP_78",
  title: "Ensure Cloud storage has versioning enabled",
  message: "Ensure Cloud storage has versioning enabled",
  severity: "LOW",
  category: "iac",
  location: { file: "gcs.tf", startLine: 1, endLine: 15 },
  resource: "google_storage_bucket.terragoat_website",
  helpUri: "https://docs.bridgecrew.io/docs/ensure-gcp-cloud-storage-has-versioning-enabled",
});

// --- tfsec on an EKS module (native/tfsec-many.json) -------------------------------------------

/** One of the five module instances tfsec reports on the same line of security-group/main.tf. */
export function tfsecPublicEgress(module: string): Finding {
  return finding({
    tool: "tfsec",
    ruleId: "aws-vpc-no-public-egress-sgr",
    title: "An egress security group rule allows traffic to /0.",
    message: `Resource '${module}:aws_security_group_rule.egress_with_cidr_blocks[0]' defines a fully open egress security group rule.`,
    severity: "CRITICAL",
    category: "iac",
    location: { file: "modules/security-group/main.tf", startLine: 72, endLine: 72 },
    resource: `${module}:aws_security_group_rule.egress_with_cidr_blocks[0]`,
  });
}

export const tfsecLaunchConfigEncryption = finding({
  tool: "tfsec",
  ruleId: "aws-autoscaling-enable-at-rest-encryption",
  title: "Launch configuration with unencrypted block device.",
  message:
    "Resource 'module.EKS:module.lc[\"workers\"]:aws_launch_configuration.this' uses an unencrypted root EBS block device.",
  severity: "HIGH",
  category: "iac",
  location: { file: "modules/launch-configuration/main.tf", startLine: 4, endLine: 48 },
});

export const tfsecEksSecrets = finding({
  tool: "tfsec",
  ruleId: "aws-eks-encrypt-secrets",
  title: "EKS should have the encryption of secrets enabled",
  message: "Resource 'module.EKS:module.eks:aws_eks_cluster.this' has no encryptionConfigBlock block",
  severity: "HIGH",
  category: "iac",
  location: { file: "modules/eks_cluster/main.tf", startLine: 1, endLine: 36 },
});

export const tfsecControlPlaneLogging = finding({
  tool: "tfsec",
  ruleId: "aws-eks-enable-control-plane-logging",
  title: "EKS Clusters should have cluster control plane logging turned on",
  message:
    "Resource 'module.EKS:module.eks:aws_eks_cluster.this' is missing the control plane log type 'api'",
  severity: "MEDIUM",
  category: "iac",
  location: { file: "modules/eks_cluster/main.tf", startLine: 4, endLine: 4 },
});

// --- Dockerfile and secrets (native/trivy-misconfig-secrets.json, gitleaks-v8-many.json) -------

export const trivyRootUser = finding({
  tool: "trivy",
  ruleId: "DS002",
  title: "Image user should not be 'root'",
  message: "Specify at least 1 USER command in Dockerfile with non-root user as argument",
  severity: "HIGH",
  category: "iac",
  location: { file: "Dockerfile" },
  helpUri: "https://avd.aquasec.com/misconfig/ds002",
});

/** A vulnerable package in the same scan's requirements.txt. */
export const trivyUrllib3Redos = finding({
  tool: "trivy",
  ruleId: "CVE-2021-33503",
  title: "python-urllib3: ReDoS in the parsing of authority part of URL",
  message: "urllib3 1.26.3 is affected; fixed in 1.26.5",
  severity: "HIGH",
  category: "vulnerability",
  location: { file: "requirements.txt" },
  resource: "urllib3@1.26.3",
  helpUri: "https://avd.aquasec.com/nvd/cve-2021-33503",
});

export const checkovNoUser = finding({
  tool: "checkov",
  ruleId: "CKV_DOCKER_3",
  title: "Ensure that a user for the container has been created",
  message: "Ensure that a user for the container has been created",
  severity: "LOW",
  category: "iac",
  location: { file: "Dockerfile", startLine: 1, endLine: 30 },
});

export const trivyGithubPat = finding({
  tool: "trivy",
  ruleId: "github-pat",
  title: "GitHub Personal Access Token",
  message: "GitHub Personal Access Token found in ENV GITHUB_PAT (value redacted)",
  severity: "CRITICAL",
  category: "secret",
  location: { file: "Dockerfile", startLine: 24, endLine: 24 },
});

export const gitleaksAwsToken = finding({
  tool: "gitleaks",
  ruleId: "aws-access-token",
  title: "AWS",
  message: "aws-access-token has detected secret for file conf/aws.tf",
  severity: "HIGH",
  category: "secret",
  location: { file: "conf/aws.tf", startLine: 2, endLine: 2 },
});

/** Trivy's builtin rule for the same key (pkg/fanal/secret/builtin-rules.go: aws-access-key-id). */
export const trivyAwsAccessKey = finding({
  tool: "trivy",
  ruleId: "aws-access-key-id",
  title: "AWS Access Key ID",
  message: "AWS_ACCESS_KEY_ID=*****",
  severity: "CRITICAL",
  category: "secret",
  location: { file: "conf/aws.tf", startLine: 2, endLine: 2 },
});

export const gitleaksGenericApiKey = finding({
  tool: "gitleaks",
  ruleId: "generic-api-key",
  title: "Generic API Key",
  message: "generic-api-key has detected secret for file tests/api.py",
  severity: "HIGH",
  category: "secret",
  location: { file: "tests/api.py", startLine: 21, endLine: 21 },
});

// --- Semgrep (native/semgrep-many.json) -------------------------------------------------------

export const semgrepDefusedXml = finding({
  tool: "semgrep",
  ruleId: "python.lang.security.use-defused-xml.use-defused-xml",
  title: "python.lang.security.use-defused-xml.use-defused-xml",
  message:
    "Found use of the native Python XML libraries, which is vulnerable to XML external entity (XXE) attacks. The Python documentation recommends the 'defusedxml' library instead. Use 'defusedxml'.",
  severity: "HIGH",
  category: "code",
  location: { file: "tools/immuniweb/parser.py", startLine: 3, endLine: 3 },
});

export const semgrepUselessIf = finding({
  tool: "semgrep",
  ruleId: "python.lang.maintainability.useless-ifelse.useless-if-conditional",
  title: "python.lang.maintainability.useless-ifelse.useless-if-conditional",
  message: "if block checks for the same condition on both branches",
  severity: "MEDIUM",
  category: "code",
  location: { file: "utils.py", startLine: 503, endLine: 520 },
});

export const semgrepMd5 = finding({
  tool: "semgrep",
  ruleId: "python.lang.security.insecure-hash-algorithms.insecure-hash-algorithm-md5",
  title: "Detected MD5 hash algorithm which is considered insecure.",
  message:
    "Detected MD5 hash algorithm which is considered insecure. MD5 is not collision resistant and is therefore not suitable as a cryptographic signature. Use SHA256 or SHA3 instead.",
  severity: "MEDIUM",
  category: "code",
  location: { file: "tools/sslyze/parser_xml.py", startLine: 124, endLine: 124 },
});

export const semgrepUselessEqEq = finding({
  tool: "semgrep",
  ruleId: "python.lang.correctness.useless-eqeq.useless-eqeq",
  title: "This expression is always True",
  message:
    "This expression is always True: `new_original.test.engagement == new_original.test.engagement` or `new_original.test.engagement != new_original.test.engagement`.",
  severity: "HIGH",
  category: "code",
  location: { file: "finding/views.py", startLine: 2047, endLine: 2047 },
});
