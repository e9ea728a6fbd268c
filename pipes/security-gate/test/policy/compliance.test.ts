import { describe, expect, it } from "vitest";
import {
  type ComplianceMapping,
  complianceReport,
  controlsFor,
  DEFAULT_COMPLIANCE_MAPPING,
  type ReportedFinding,
  themesOf,
  withUserMappings,
} from "../../src/compliance.ts";
import { DEFAULT_EQUIVALENT_RULES } from "../../src/dedupe.ts";
import { FRAMEWORKS, type Framework } from "../../src/findings.ts";
import {
  checkovPublicGcsBucket,
  checkovUnencryptedBucket,
  gitleaksGenericApiKey,
  semgrepDefusedXml,
  semgrepUselessIf,
  trivyRootUser,
  trivyUnencryptedBucket,
} from "../real-findings.ts";

const mapping = DEFAULT_COMPLIANCE_MAPPING;

function controls(
  finding: ReportedFinding,
  framework: Framework,
  using: ComplianceMapping = mapping,
): string[] {
  return controlsFor(finding, using)
    .filter((ref) => ref.framework === framework)
    .map((ref) => ref.control);
}

describe("controlsFor", () => {
  it("maps an unencrypted bucket to each framework's encryption-at-rest control, and configuration management", () => {
    expect(controls(checkovUnencryptedBucket, "SOC2")).toEqual(["CC6.1", "CC7.1"]);
    expect(controls(checkovUnencryptedBucket, "PCI-DSS")).toEqual(["2.2.1", "3.5.1"]);
    expect(controls(checkovUnencryptedBucket, "GDPR")).toEqual(["Art.32"]);
    expect(controls(checkovUnencryptedBucket, "ISO27001")).toEqual(["A.8.9", "A.8.24"]);
  });

  it("gives a Trivy finding the controls mapped to its Checkov equivalent", () => {
    expect(controlsFor(trivyUnencryptedBucket, mapping)).toEqual(
      controlsFor(checkovUnencryptedBucket, mapping),
    );
  });

  it("maps a publicly readable bucket to access control and data leakage controls", () => {
    expect(controls(checkovPublicGcsBucket, "SOC2")).toEqual(["CC6.1", "CC6.6", "CC7.1"]);
    expect(controls(checkovPublicGcsBucket, "GDPR")).toEqual(["Art.25", "Art.32"]);
    expect(controls(checkovPublicGcsBucket, "ISO27001")).toEqual(["A.5.15", "A.8.3", "A.8.9", "A.8.12"]);
  });

  it("maps any leaked secret to PCI DSS 8.6.2 by its category", () => {
    expect(controls(gitleaksGenericApiKey, "PCI-DSS")).toEqual(["8.3.2", "8.6.2"]);
    expect(controls(gitleaksGenericApiKey, "ISO27001")).toEqual(["A.5.17"]);
  });

  it("maps insecure code found by Semgrep to secure coding controls", () => {
    expect(controls(semgrepDefusedXml, "PCI-DSS")).toEqual(["6.2.4"]);
    expect(controls(semgrepDefusedXml, "ISO27001")).toEqual(["A.8.28"]);
  });

  it("keeps the controls a finding already carries", () => {
    const tagged = { ...semgrepDefusedXml, controls: [{ framework: "SOC2" as const, control: "CC6.8" }] };
    expect(controls(tagged, "SOC2")).toEqual(["CC6.8", "CC8.1"]);
  });

  it("adds the user's mappings from .security-gate.yml, for the rule and its equivalents", () => {
    const extended = withUserMappings(mapping, {
      CKV_AWS_19: { "PCI-DSS": ["3.5.1.2"] },
      DS002: { ISO27001: ["A.8.2"] },
    });
    expect(controls(trivyUnencryptedBucket, "PCI-DSS", extended)).toEqual(["2.2.1", "3.5.1", "3.5.1.2"]);
    expect(controls(trivyRootUser, "ISO27001", extended)).toContain("A.8.2");
    expect(controls(trivyUnencryptedBucket, "PCI-DSS")).not.toContain("3.5.1.2");
  });
});

describe("complianceReport", () => {
  it("counts the controls checked, passed and failed, with the findings behind each failure", () => {
    const [, pci] = complianceReport(
      [checkovUnencryptedBucket, gitleaksGenericApiKey],
      ["SOC2", "PCI-DSS"],
      ["PCI-DSS"],
      mapping,
      { tools: ["checkov", "gitleaks"] },
    );

    // 16 PCI controls are mapped; 6.2.4 (Semgrep) and 6.3.3 (Trivy's vulnerabilities) were not looked at.
    expect(pci).toMatchObject({ framework: "PCI-DSS", gating: true, checked: 14, passed: 10, failed: 4 });
    expect(pci?.controls.map((c) => c.control)).not.toContain("6.3.3");
    expect(pci?.controls.filter((c) => c.status === "failed")).toEqual([
      {
        framework: "PCI-DSS",
        control: "2.2.1",
        title: "Configuration standards are developed, implemented and maintained",
        status: "failed",
        findings: [checkovUnencryptedBucket.fingerprint],
      },
      {
        framework: "PCI-DSS",
        control: "3.5.1",
        title: "PAN is rendered unreadable anywhere it is stored",
        status: "failed",
        findings: [checkovUnencryptedBucket.fingerprint],
      },
      expect.objectContaining({ control: "8.3.2", findings: [gitleaksGenericApiKey.fingerprint] }),
      expect.objectContaining({ control: "8.6.2", findings: [gitleaksGenericApiKey.fingerprint] }),
    ]);
  });

  it("lists each failed control's findings in fingerprint order, however alike their fingerprints", () => {
    const real = checkovUnencryptedBucket.fingerprint;
    // Fingerprints that share their first 8 digits or more, in shuffled order, a few not hex at all.
    const fingerprints = [
      `${real.slice(0, 8)}ffff${real.slice(12)}`,
      real,
      `${real.slice(0, 8)}0000${real.slice(12)}`,
      `${real.slice(0, 63)}0`,
      "0".repeat(64),
      "f".repeat(64),
      `${real.slice(0, 10)}00${real.slice(12)}`,
    ];
    const failingOf = (prints: string[]) => {
      const findings = prints.map((fingerprint) => ({ ...checkovUnencryptedBucket, fingerprint }));
      const [pci] = complianceReport(findings, ["PCI-DSS"], [], mapping, { tools: ["checkov"] });
      return pci?.controls.find((control) => control.control === "3.5.1")?.findings;
    };
    expect(failingOf(fingerprints)).toEqual([...fingerprints].sort());
    const other = [...fingerprints, "not-a-digest", "ABCDEF"];
    expect(failingOf(other)).toEqual([...other].sort());
  });

  it("checks only the controls of themes a scanner that ran looks at", () => {
    const [soc2] = complianceReport([], ["SOC2"], [], mapping, { tools: ["gitleaks"] });
    expect(soc2?.controls).toEqual([
      {
        framework: "SOC2",
        control: "CC6.1",
        title:
          "Logical access security software, infrastructure and architectures protect information assets",
        status: "passed",
        findings: [],
      },
    ]);
  });

  it("does not fail controls with suppressed or baseline findings", () => {
    const reports = complianceReport(
      [
        { ...checkovUnencryptedBucket, status: "suppressed" },
        { ...gitleaksGenericApiKey, status: "baseline" },
      ],
      FRAMEWORKS,
      [],
      mapping,
    );
    expect(reports.map((report) => report.failed)).toEqual([0, 0, 0, 0]);
    expect(reports.every((report) => report.checked > 0 && report.passed === report.checked)).toBe(true);
  });

  it("does not fail controls with INFO findings", () => {
    const [iso] = complianceReport([{ ...semgrepUselessIf, severity: "INFO" }], ["ISO27001"], [], mapping);
    expect(iso?.failed).toBe(0);
  });

  it("marks a framework as gating only when it was picked", () => {
    const reports = complianceReport([], FRAMEWORKS, ["GDPR"], mapping);
    expect(reports.map((report) => [report.framework, report.gating])).toEqual([
      ["SOC2", false],
      ["PCI-DSS", false],
      ["GDPR", true],
      ["ISO27001", false],
    ]);
  });
});

describe("compliance data", () => {
  it("maps every theme in every framework, and gives every mapped control a title", () => {
    for (const framework of FRAMEWORKS) {
      const data = mapping.frameworks[framework];
      expect(Object.keys(data.themes).sort(), framework).toEqual(Object.keys(mapping.themes).sort());
      for (const [theme, ids] of Object.entries(data.themes)) {
        for (const id of ids) expect(data.controls[id], `${framework} ${id} (${theme})`).toBeDefined();
      }
    }
  });

  it("maps every issue of the equivalent-rules data by its rule id, not only by its category", () => {
    const byCategoryOnly = themesOf({ ...gitleaksGenericApiKey, ruleId: "no-such-rule" }, mapping);
    for (const group of DEFAULT_EQUIVALENT_RULES.groups) {
      const ruleId = group.checkov?.[0] ?? group.trivy?.[0] ?? "";
      const themes = themesOf({ ...gitleaksGenericApiKey, ruleId }, mapping);
      expect(
        [...themes].filter((theme) => !byCategoryOnly.has(theme)),
        group.issue,
      ).not.toEqual([]);
    }
  });
});
