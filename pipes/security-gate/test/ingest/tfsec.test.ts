import { describe, expect, it } from "vitest";
import { FINGERPRINT, ingestShared } from "./report-fixtures.ts";

describe("tfsec JSON", () => {
  it("reads findings with the resource named in the description", () => {
    const report = ingestShared("native/tfsec-many.json", { repoRoot: "/tmp/aws-eks" });
    expect(report).toMatchObject({ tool: "tfsec", warnings: [] });
    expect(report.findings).toHaveLength(19);
    const severities: Record<string, number> = {};
    for (const f of report.findings) severities[f.severity] = (severities[f.severity] ?? 0) + 1;
    expect(severities).toEqual({ CRITICAL: 14, HIGH: 3, MEDIUM: 1, LOW: 1 });
    expect(report.findings[0]).toEqual({
      tool: "tfsec",
      tools: ["tfsec"],
      ruleId: "aws-vpc-no-excessive-port-access",
      title: "An ingress Network ACL rule allows ALL ports.",
      severity: "CRITICAL",
      category: "iac",
      location: { file: "modules/vpc-subnets/resources.tf", startLine: 155, endLine: 155 },
      resource: "module.SUBNETS:aws_network_acl_rule.public_inbound[0]",
      message:
        "Resource 'module.SUBNETS:aws_network_acl_rule.public_inbound[0]' defines a fully open ingress Network ACL rule with ALL ports open.",
      helpUri: "https://tfsec.dev/docs/aws/vpc/no-excessive-port-access#aws/vpc",
      fingerprint: expect.stringMatching(FINGERPRINT),
      controls: [],
    });
  });

  it("tells apart one rule on five module instances of the same line", () => {
    const report = ingestShared("native/tfsec-many.json", { repoRoot: "/tmp/aws-eks" });
    const egress = report.findings.filter((f) => f.ruleId === "aws-vpc-no-public-egress-sgr");
    expect(egress).toHaveLength(6);
    expect(new Set(egress.map((f) => f.location?.startLine))).toEqual(new Set([72]));
    expect(new Set(egress.map((f) => f.fingerprint)).size).toBe(6);
  });

  it("keeps absolute paths from another machine, with a warning", () => {
    const report = ingestShared("native/tfsec-many.json");
    expect(report.findings[0]?.location?.file).toBe("/tmp/aws-eks/modules/vpc-subnets/resources.tf");
    expect(report.warnings[0]).toContain("19 finding(s) point outside the clone directory");
  });
});
