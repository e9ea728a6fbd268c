import { describe, expect, it } from "vitest";
import { FINGERPRINT, ingestLocal, ingestShared } from "./report-fixtures.ts";

describe("Checkov JSON", () => {
  it("keeps the severities Checkov reported with Prisma Cloud metadata, and its guideline links", () => {
    const report = ingestShared("native/checkov-severity.json");
    expect(report).toMatchObject({ tool: "checkov", version: "2.2.34", warnings: [] });
    expect(report.findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ["CKV_GCP_29", "MEDIUM"],
      ["CKV_GCP_62", "MEDIUM"],
      ["CKV_GCP_78", "LOW"],
      ["CKV_GCP_28", "HIGH"],
    ]);
    // file_abs_path (/tf/gcs.tf) is from another machine: repo_file_path places the file.
    expect(report.findings[0]).toEqual({
      tool: "checkov",
      tools: ["checkov"],
      ruleId: "CKV_GCP_29",
      title: "Ensure that Cloud Storage buckets have uniform bucket-level access enabled",
      severity: "MEDIUM",
      category: "iac",
      location: { file: "gcs.tf", startLine: 1, endLine: 15 },
      resource: "google_storage_bucket.terragoat_website",
      message:
        "Ensure that Cloud Storage buckets have uniform bucket-level access enabled (google_storage_bucket.terragoat_website)",
      helpUri: "https://docs.bridgecrew.io/docs/bc_gcp_gcs_2",
      fingerprint: expect.stringMatching(FINGERPRINT),
      controls: [],
    });
    expect(report.findings[3]).toMatchObject({
      resource: "google_storage_bucket_iam_binding.allow_public_read",
      location: { file: "gcs.tf", startLine: 17, endLine: 21 },
    });
  });

  it("reads a summary-only report (nothing scanned) as no findings", () => {
    const report = ingestShared("native/checkov-no-findings.json");
    expect(report).toEqual({ tool: "checkov", version: "2.1.269", findings: [], warnings: [] });
  });

  it("places Checkov 3.3.30's findings by their absolute path in the clone, with the shipped severities", () => {
    const report = ingestLocal("checkov-3.3.30-terraform.json");
    expect(report).toMatchObject({ tool: "checkov", version: "3.3.30", warnings: [] });
    expect(report.findings).toHaveLength(10);
    expect(report.findings[0]).toEqual({
      tool: "checkov",
      tools: ["checkov"],
      ruleId: "CKV_AWS_24",
      title: "Ensure no security groups allow ingress from 0.0.0.0:0 to port 22",
      severity: "HIGH",
      category: "iac",
      location: { file: "infra/main.tf", startLine: 5, endLine: 14 },
      resource: "aws_security_group.ssh",
      message: "Ensure no security groups allow ingress from 0.0.0.0:0 to port 22 (aws_security_group.ssh)",
      fingerprint: expect.stringMatching(FINGERPRINT),
      controls: [],
    });
    expect(report.findings.find((f) => f.ruleId === "CKV2_AWS_6")).toMatchObject({
      severity: "LOW",
      resource: "aws_s3_bucket.logs",
      helpUri:
        "https://docs.prismacloud.io/en/enterprise-edition/policy-reference/aws-policies/aws-networking-policies/s3-bucket-should-have-public-access-blocks-defaults-to-false-if-the-public-access-block-is-not-attached",
    });
  });

  it("places the findings by repo_file_path when the report was made in another folder", () => {
    const report = ingestLocal("checkov-3.3.30-terraform.json", { repoRoot: "/somewhere/else" });
    expect(new Set(report.findings.map((f) => f.location?.file))).toEqual(new Set(["infra/main.tf"]));
  });

  it("reads one block per framework, without the file-named pseudo-resource of Dockerfile checks", () => {
    const report = ingestLocal("checkov-3.3.30-two-frameworks.json");
    expect(report.findings).toHaveLength(12);
    expect(report.findings.filter((f) => f.location?.file === "Dockerfile").map((f) => f.ruleId)).toEqual([
      "CKV_DOCKER_2",
      "CKV_DOCKER_3",
    ]);
    expect(report.findings[0]).toMatchObject({
      ruleId: "CKV_DOCKER_2",
      severity: "MEDIUM",
      location: { file: "Dockerfile" },
    });
    expect(report.findings[0]?.resource).toBeUndefined();
  });
});
