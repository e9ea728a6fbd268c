import { describe, expect, it } from "vitest";
import { detectReportFormat } from "../../src/ingest/report-format.ts";
import { readLocalFixture, readSharedFixture } from "./report-fixtures.ts";

describe("recognising a report's format from its content", () => {
  it.each([
    ["sarif/checkov-openapi.sarif", "sarif"],
    ["sarif/gitleaks-v8.sarif", "sarif"],
    ["sarif/semgrep-test_sarif_output-True-rule_and_target3.sarif", "sarif"],
    ["sarif/semgrep-test_sarif_output_osemfail-True-rule_and_target0.sarif", "sarif"],
    ["sarif/trivy-image-alpine.sarif", "sarif"],
    ["sarif/trivy-terraform-config.sarif", "sarif"],
    ["native/checkov-severity.json", "checkov"],
    ["native/checkov-no-findings.json", "checkov"],
    ["native/trivy-misconfig-secrets.json", "trivy"],
    ["native/semgrep-many.json", "semgrep"],
    ["native/gitleaks-v8-many.json", "gitleaks"],
    ["native/tfsec-many.json", "tfsec"],
    ["terraform-plan/basic.json", undefined],
    ["infracost/simple-breakdown.json", undefined],
  ])("shared fixture %s is %s", (file, format) => {
    expect(detectReportFormat(JSON.parse(readSharedFixture(file)))).toBe(format);
  });

  it.each([
    ["checkov-3.3.30-terraform.json", "checkov"],
    ["checkov-3.3.30-two-frameworks.json", "checkov"],
    ["checkov-3.3.30.sarif", "sarif"],
    ["trivy-0.74.0.json", "trivy"],
    ["trivy-0.74.0.sarif", "sarif"],
    ["semgrep-1.185.0.json", "semgrep"],
    ["semgrep-1.185.0-rule-error.json", "semgrep"],
    ["semgrep-1.185.0.sarif", "sarif"],
    ["gitleaks-8.30.1-redacted.json", "gitleaks"],
    ["gitleaks-8.30.1-redacted.sarif", "sarif"],
  ])("%s is %s", (file, format) => {
    expect(detectReportFormat(JSON.parse(readLocalFixture(file)))).toBe(format);
  });

  it.each([
    ["an empty array, as gitleaks writes when clean", [], "gitleaks"],
    ["tfsec's clean report", { results: null }, "tfsec"],
    ["Semgrep with nothing found", { results: [], errors: [] }, "semgrep"],
    [
      "Trivy with nothing found",
      { SchemaVersion: 2, ArtifactName: ".", ArtifactType: "filesystem" },
      "trivy",
    ],
    ["a number", 42, undefined],
    ["an array of anything else", [{ id: 1 }], undefined],
  ])("%s", (_label, json, format) => {
    expect(detectReportFormat(json)).toBe(format);
  });
});
