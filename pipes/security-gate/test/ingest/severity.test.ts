import { describe, expect, it } from "vitest";
import {
  checkovPolicyPage,
  checkovSeverity,
  severityFromName,
  severityFromSarifLevel,
  severityFromScore,
} from "../../src/severity.ts";

describe("one severity scale over every tool", () => {
  it.each([
    [10, "CRITICAL"],
    [9.0, "CRITICAL"],
    [8.9, "HIGH"],
    [7.0, "HIGH"],
    [6.9, "MEDIUM"],
    [4.0, "MEDIUM"],
    [3.9, "LOW"],
    [0.1, "LOW"],
    [0, "INFO"],
  ] as const)("a security-severity of %s is %s", (score, severity) => {
    expect(severityFromScore(score)).toBe(severity);
  });

  it.each([
    ["error", "HIGH"],
    ["warning", "MEDIUM"],
    ["note", "LOW"],
    ["none", "INFO"],
  ] as const)("SARIF level %s is %s", (level, severity) => {
    expect(severityFromSarifLevel(level)).toBe(severity);
  });

  it.each([
    ["CRITICAL", "CRITICAL"],
    ["high", "HIGH"],
    ["Moderate", "MEDIUM"],
    ["UNKNOWN", "MEDIUM"],
    ["informational", "INFO"],
    ["severe", undefined],
  ] as const)("the word %s is %s", (word, severity) => {
    expect(severityFromName(word)).toBe(severity);
  });
});

describe("Checkov severities", () => {
  it("prefer the severity Checkov reported", () => {
    expect(checkovSeverity("CKV_AWS_24", "LOW")).toBe("LOW");
  });

  it("come from the shipped table when Checkov reports none", () => {
    expect(checkovSeverity("CKV_AWS_24", null)).toBe("HIGH");
    expect(checkovSeverity("CKV_AWS_20")).toBe("CRITICAL");
    expect(checkovSeverity("CKV_AZURE_10")).toBe("HIGH");
    expect(checkovSeverity("CKV_GCP_78")).toBe("LOW");
  });

  it("are MEDIUM for a check the table does not list", () => {
    expect(checkovSeverity("CKV_OPENAPI_4")).toBe("MEDIUM");
  });

  it("link to Prisma Cloud's policy page when the table has one", () => {
    expect(checkovPolicyPage("CKV_AZURE_9")).toBe(
      "https://docs.prismacloud.io/en/enterprise-edition/policy-reference/azure-policies/azure-networking-policies/bc-azr-networking-2",
    );
    expect(checkovPolicyPage("CKV_AWS_20")).toBeUndefined();
  });
});
