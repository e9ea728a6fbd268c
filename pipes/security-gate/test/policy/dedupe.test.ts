import { describe, expect, it } from "vitest";
import equivalentRulesFile from "../../data/equivalent-rules.json" with { type: "json" };
import {
  DEFAULT_EQUIVALENT_RULES,
  dedupeFindings,
  equivalentRuleIds,
  normalizeRuleId,
} from "../../src/dedupe.ts";
import type { Finding } from "../../src/findings.ts";
import {
  checkovNoPublicAccessBlock,
  checkovNoUser,
  checkovUnencryptedBucket,
  checkovVersioning,
  finding,
  gitleaksAwsToken,
  gitleaksGenericApiKey,
  tfsecLaunchConfigEncryption,
  tfsecPublicEgress,
  trivyAwsAccessKey,
  trivyBlockPublicAcls,
  trivyBlockPublicPolicy,
  trivyCustomerKey,
  trivyGithubPat,
  trivyNoPublicAccessBlock,
  trivyRootUser,
  trivyUnencryptedBucket,
  trivyVersioning,
} from "../real-findings.ts";

describe("dedupeFindings", () => {
  it("two tools reporting the same public bucket give one finding crediting both", () => {
    const [merged, ...rest] = dedupeFindings([trivyNoPublicAccessBlock, checkovNoPublicAccessBlock]);

    expect(rest).toEqual([]);
    expect(merged).toMatchObject({
      tool: "checkov",
      tools: ["checkov", "trivy"],
      ruleId: "CKV2_AWS_6",
      alsoKnownAs: { trivy: "AVD-AWS-0094" },
      location: { file: "main.tf", startLine: 8, endLine: 10 },
      resource: "aws_s3_bucket.bucket",
      fingerprint: checkovNoPublicAccessBlock.fingerprint,
    });
  });

  it("keeps the most severe severity and the union of the controls", () => {
    const checkov = {
      ...checkovUnencryptedBucket,
      controls: [{ framework: "SOC2" as const, control: "CC6.1" }],
    };
    const trivy = {
      ...trivyUnencryptedBucket,
      controls: [
        { framework: "SOC2" as const, control: "CC6.1" },
        { framework: "PCI-DSS" as const, control: "3.5.1" },
      ],
    };

    const [merged] = dedupeFindings([checkov, trivy]);

    expect(merged?.severity).toBe("HIGH");
    expect(merged?.controls).toEqual([
      { framework: "SOC2", control: "CC6.1" },
      { framework: "PCI-DSS", control: "3.5.1" },
    ]);
  });

  it("recognises the AWS-0xxx ids of newer Trivy releases as their AVD-AWS-0xxx equivalents", () => {
    const newerTrivy = { ...trivyUnencryptedBucket, ruleId: "AWS-0088", fingerprint: "newer-trivy" };

    const merged = dedupeFindings([checkovUnencryptedBucket, newerTrivy]);

    expect(merged).toHaveLength(1);
    expect(merged[0]?.alsoKnownAs).toEqual({ trivy: "AWS-0088" });
  });

  it("treats tfsec's rule ids and Checkov's equivalent check as one issue", () => {
    const checkov = finding({
      tool: "checkov",
      ruleId: "CKV_AWS_8",
      title: "Ensure all data stored in the Launch configuration EBS is securely encrypted",
      message: "Ensure all data stored in the Launch configuration EBS is securely encrypted",
      severity: "HIGH",
      category: "iac",
      location: { file: "modules/launch-configuration/main.tf", startLine: 1, endLine: 48 },
    });

    const merged = dedupeFindings([tfsecLaunchConfigEncryption, checkov]);

    expect(merged).toHaveLength(1);
    expect(merged[0]?.tools).toEqual(["checkov", "tfsec"]);
    expect(merged[0]?.alsoKnownAs).toEqual({ tfsec: "aws-autoscaling-enable-at-rest-encryption" });
  });

  it("merges gitleaks and Trivy secrets on the same line even though their rule ids differ", () => {
    const merged = dedupeFindings([gitleaksAwsToken, trivyAwsAccessKey]);

    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({
      tool: "trivy",
      tools: ["trivy", "gitleaks"],
      severity: "CRITICAL",
      alsoKnownAs: { gitleaks: "aws-access-token" },
    });
  });

  it("keeps secrets on different lines apart", () => {
    const otherLine = { ...trivyAwsAccessKey, location: { file: "conf/aws.tf", startLine: 9, endLine: 9 } };

    expect(dedupeFindings([gitleaksAwsToken, otherLine])).toHaveLength(2);
  });

  it("keeps different secrets in different files apart", () => {
    expect(dedupeFindings([gitleaksGenericApiKey, trivyGithubPat])).toHaveLength(2);
  });

  it("keeps equivalent rules apart when they are at different places", () => {
    // Trivy points at the aws_s3_bucket_versioning resource (line 16), Checkov at the bucket (8-10).
    const trivy = { ...trivyVersioning, resource: "aws_s3_bucket_versioning.bucket" };

    expect(dedupeFindings([checkovVersioning, trivy])).toHaveLength(2);
  });

  it("keeps different issues at the same place apart", () => {
    const merged = dedupeFindings([
      trivyBlockPublicAcls,
      trivyBlockPublicPolicy,
      checkovUnencryptedBucket,
      trivyCustomerKey,
    ]);

    expect(merged.map((f) => f.ruleId).sort()).toEqual([
      "AVD-AWS-0086",
      "AVD-AWS-0087",
      "AVD-AWS-0132",
      "CKV_AWS_19",
    ]);
  });

  it("never merges one tool's findings with each other", () => {
    const instances = ["module.SG_VPC_ACCESS", "module.SG_NAT", "module.SG_EXPOSE_APPS"].map(
      tfsecPublicEgress,
    );

    const merged = dedupeFindings(instances);

    expect(merged).toHaveLength(3);
    expect(merged.every((f) => f.tools.length === 1)).toBe(true);
  });

  it("pairs module instances on one line one to one", () => {
    const modules = ["module.SG_VPC_ACCESS", "module.SG_NAT"];
    const tfsec = modules.map(tfsecPublicEgress);
    const trivy = modules.map((module) =>
      finding({
        tool: "trivy",
        ruleId: "AVD-AWS-0104",
        title: "A security group rule should not allow unrestricted egress to any IP address.",
        message: "Security group rule allows unrestricted egress to any IP address.",
        severity: "CRITICAL",
        category: "iac",
        location: { file: "modules/security-group/main.tf", startLine: 72, endLine: 72 },
        resource: `${module}:aws_security_group_rule.egress_with_cidr_blocks[0]`,
      }),
    );

    const merged = dedupeFindings([...tfsec, ...trivy.reverse()]);

    expect(merged).toHaveLength(2);
    for (const pair of merged) expect(pair.tools).toEqual(["trivy", "tfsec"]);
    expect(new Set(merged.map((pair) => pair.resource)).size).toBe(2);
  });

  it("reports an exact duplicate (same fingerprint) once, as when a scanner's report is also ingested", () => {
    expect(dedupeFindings([trivyRootUser, { ...trivyRootUser }])).toEqual([trivyRootUser]);
  });

  it("merges a whole-file finding (Trivy: no USER in the Dockerfile) with Checkov's on that file", () => {
    const merged = dedupeFindings([trivyRootUser, checkovNoUser]);

    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({
      ruleId: "CKV_DOCKER_3",
      severity: "HIGH",
      alsoKnownAs: { trivy: "DS002" },
    });
  });

  it("gives the same result whatever order the scanners finished in", () => {
    const findings = [
      trivyNoPublicAccessBlock,
      checkovNoPublicAccessBlock,
      trivyUnencryptedBucket,
      checkovUnencryptedBucket,
      trivyBlockPublicAcls,
      gitleaksAwsToken,
      trivyAwsAccessKey,
    ];

    expect(dedupeFindings([...findings].reverse())).toEqual(dedupeFindings(findings));
  });

  it("dedupes a large generated set: every Checkov/Trivy pair merges, nothing else does", () => {
    const files = 25_000;
    const findings: Finding[] = [];
    for (let index = 0; index < files; index += 1) {
      const file = `stacks/${index}/main.tf`;
      const place = { file, startLine: 8, endLine: 10 };
      findings.push(
        { ...checkovUnencryptedBucket, location: place, fingerprint: `c-${index}` },
        { ...trivyUnencryptedBucket, location: place, fingerprint: `t-${index}` },
        { ...trivyBlockPublicAcls, location: place, fingerprint: `a-${index}` },
        { ...trivyVersioning, location: { file, startLine: 16, endLine: 16 }, fingerprint: `v-${index}` },
      );
    }

    const merged = dedupeFindings(findings);

    expect(merged).toHaveLength(files * 3);
    const credited = merged.filter((f) => f.tools.length === 2);
    expect(credited).toHaveLength(files);
    expect(credited.every((f) => f.ruleId === "CKV_AWS_19" && f.fingerprint.startsWith("c-"))).toBe(true);
  });
});

describe("equivalent rules data", () => {
  const groups = equivalentRulesFile.groups;

  it("names ids of at least two tools in every group", () => {
    for (const group of groups) {
      const tools = Object.keys(group).filter((key) => key !== "issue");
      expect(tools.length, group.issue).toBeGreaterThanOrEqual(2);
    }
  });

  it("puts no rule id in two groups", () => {
    const seen = new Map<string, string>();
    for (const group of groups) {
      for (const [key, ids] of Object.entries(group)) {
        if (key === "issue" || !Array.isArray(ids)) continue;
        for (const id of ids) {
          expect(seen.get(normalizeRuleId(id)), `${id} in "${group.issue}"`).toBeUndefined();
          seen.set(normalizeRuleId(id), group.issue);
        }
      }
    }
    expect(DEFAULT_EQUIVALENT_RULES.groupOf.size).toBe(seen.size);
  });

  it("lists a rule's equivalents in every tool", () => {
    expect(equivalentRuleIds("CKV_AWS_20")).toEqual([
      "CKV_AWS_20",
      "AVD-AWS-0092",
      "aws-s3-no-public-access-with-acl",
      "AWS001",
    ]);
    expect(equivalentRuleIds("CKV_AWS_999")).toEqual(["CKV_AWS_999"]);
  });
});
