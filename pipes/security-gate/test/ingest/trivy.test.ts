import { describe, expect, it } from "vitest";
import { unmaskSecret } from "../../src/ingest/trivy.ts";
import { FINGERPRINT, ingestLocal, ingestShared } from "./report-fixtures.ts";

describe("Trivy JSON", () => {
  it("reads vulnerabilities with the package as resource, misconfigurations, and secrets without their match", () => {
    const report = ingestShared("native/trivy-misconfig-secrets.json");
    expect(report).toMatchObject({ tool: "trivy", warnings: [] });
    expect(report.findings.map((f) => [f.category, f.ruleId, f.severity, f.location?.file])).toEqual([
      ["vulnerability", "CVE-2021-33503", "HIGH", "requirements.txt"],
      ["vulnerability", "CVE-2021-28363", "MEDIUM", "requirements.txt"],
      ["iac", "DS002", "HIGH", "Dockerfile"],
      ["secret", "github-pat", "CRITICAL", "Dockerfile"],
      ["secret", "github-pat", "CRITICAL", "secret.txt"],
    ]);
    expect(report.findings[0]).toEqual({
      tool: "trivy",
      tools: ["trivy"],
      ruleId: "CVE-2021-33503",
      title: "CVE-2021-33503: python-urllib3: ReDoS in the parsing of authority part of URL",
      severity: "HIGH",
      category: "vulnerability",
      location: { file: "requirements.txt" },
      resource: "urllib3@1.26.3",
      message: "urllib3 1.26.3 is affected by CVE-2021-33503 (fixed in 1.26.5)",
      helpUri: "https://avd.aquasec.com/nvd/cve-2021-33503",
      fingerprint: expect.stringMatching(FINGERPRINT),
      controls: [],
    });
    expect(report.findings[3]).toEqual({
      tool: "trivy",
      tools: ["trivy"],
      ruleId: "github-pat",
      title: "GitHub Personal Access Token",
      severity: "CRITICAL",
      category: "secret",
      location: { file: "Dockerfile", startLine: 24, endLine: 24 },
      message: "GitHub Personal Access Token (value redacted)",
      fingerprint: expect.stringMatching(FINGERPRINT),
      controls: [],
    });
    expect(JSON.stringify(report.findings)).not.toContain("GITHUB_PAT");
  });

  it("reads Trivy 0.74's misconfigurations with the resource and the lines of the cause", () => {
    const report = ingestLocal("trivy-0.74.0.json");
    expect(report).toMatchObject({ tool: "trivy", version: "0.74.0" });
    expect(report.findings).toHaveLength(15);
    expect(report.findings.find((f) => f.ruleId === "AWS-0107")).toEqual({
      tool: "trivy",
      tools: ["trivy"],
      ruleId: "AWS-0107",
      title: "Security groups should not allow unrestricted ingress to SSH or RDP from any IP address.",
      severity: "HIGH",
      category: "iac",
      location: { file: "infra/main.tf", startLine: 12, endLine: 12 },
      resource: "aws_security_group.ssh",
      message: "Security group rule allows unrestricted ingress from any IP address.",
      helpUri: "https://avd.aquasec.com/misconfig/aws-0107",
      fingerprint: expect.stringMatching(FINGERPRINT),
      controls: [],
    });
  });

  it("places targets relative to the scanned folder", () => {
    const report = ingestLocal("trivy-0.74.0.json", { baseDir: "services/api" });
    expect(report.findings.find((f) => f.ruleId === "AWS-0107")?.location?.file).toBe(
      "services/api/infra/main.tf",
    );
  });

  it("fingerprints a masked secret by the value under the mask when the file is in the checkout", () => {
    const key = `AKIA${"Z4ORWB3NPQ7XKT2M"}`;
    const lineWith = (value: string) => ({ read: () => `aws_access_key_id = "${value}"` });
    const [first, again, rotated] = [key, key, `AKIA${"Q7XKT2MZ4ORWB3NP"}`].map((value) =>
      ingestLocal("trivy-0.74.0.json", { source: lineWith(value) }).findings.find(
        (f) => f.category === "secret",
      ),
    );
    expect(first?.fingerprint).toBe(again?.fingerprint);
    expect(rotated?.fingerprint).not.toBe(first?.fingerprint);
    expect(JSON.stringify(first)).not.toContain(key);
  });

  it("recovers the secret only when the line under the mask is unchanged", () => {
    expect(unmaskSecret('key = "********"', 'key = "abcd1234"')).toBe("abcd1234");
    expect(unmaskSecret('key = "********"', 'token = "abcd1234"')).toBeUndefined();
    expect(unmaskSecret('key = "********"', 'key = "abcd12345"')).toBeUndefined();
  });
});
