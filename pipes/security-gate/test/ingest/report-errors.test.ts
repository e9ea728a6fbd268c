import { InputError } from "@pipes/core";
import { describe, expect, it } from "vitest";
import { parseReport } from "../../src/ingest/parse-report.ts";
import { contextFor, readLocalFixture, readSharedFixture } from "./report-fixtures.ts";

function errorOf(text: string, reportName = "reports/scan.sarif"): InputError {
  try {
    parseReport(text, contextFor(reportName));
  } catch (error: unknown) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("reports that cannot be read", () => {
  it("names a truncated file and where it ends", () => {
    const whole = readSharedFixture("sarif/trivy-terraform-config.sarif");
    const error = errorOf(whole.slice(0, 1234), "reports/x.sarif");
    expect(error.message).toBe("reports/x.sarif is not valid JSON (truncated at byte 1234?)");
    expect(error.exitCode).toBe(2);
  });

  it("counts the truncation point in bytes, not characters", () => {
    const text = '{"runs": [{"message": "naïve →';
    expect(errorOf(text).message).toBe(
      `reports/scan.sarif is not valid JSON (truncated at byte ${Buffer.byteLength(text)}?)`,
    );
  });

  it("names a malformed file and where it breaks", () => {
    const error = errorOf('{"version": "2.1.0",,\n "runs": []}', "reports/bad.json");
    expect(error.message).toBe(
      "reports/bad.json is not valid JSON: expected double-quoted property name at byte 20 (line 1, column 21)",
    );
  });

  it("names an empty file", () => {
    expect(errorOf("  \n", "reports/empty.json").message).toBe("reports/empty.json is empty");
  });

  it("names JSON of a shape no supported tool writes", () => {
    const error = errorOf(readSharedFixture("terraform-plan/basic.json"), "reports/plan.json");
    expect(error.message).toBe(
      "reports/plan.json is JSON but not SARIF 2.1.0 nor a known native format (Checkov, Trivy, Semgrep, gitleaks, tfsec)",
    );
    expect(errorOf('"just a string"', "reports/x.json").message).toContain("is JSON but not SARIF 2.1.0");
  });

  it("names a SARIF version other than 2.1.0", () => {
    const json = JSON.parse(readSharedFixture("sarif/gitleaks-v8.sarif"));
    json.version = "2.0.0";
    expect(errorOf(JSON.stringify(json), "reports/old.sarif").message).toBe(
      "reports/old.sarif is SARIF 2.0.0, but only SARIF 2.1.0 is supported",
    );
  });

  it("names the field that does not fit the format it looks like", () => {
    const json = JSON.parse(readSharedFixture("native/trivy-misconfig-secrets.json"));
    delete json.Results[1].Misconfigurations[0].Severity;
    expect(errorOf(JSON.stringify(json), "reports/trivy.json").message).toBe(
      "reports/trivy.json looks like Trivy JSON, but Results[1].Misconfigurations[0].Severity: expected string, received undefined",
    );
  });

  it("names a Trivy schema version it does not read", () => {
    const json = JSON.parse(readLocalFixture("trivy-0.74.0.json"));
    json.SchemaVersion = 1;
    expect(errorOf(JSON.stringify(json), "reports/trivy.json").message).toBe(
      "reports/trivy.json is Trivy JSON with SchemaVersion 1, but only SchemaVersion 2 is supported",
    );
  });

  it("reads a report written with a UTF-8 byte order mark", () => {
    const text = `\uFEFF${readSharedFixture("sarif/gitleaks-v8.sarif")}`;
    expect(parseReport(text, contextFor("reports/gitleaks.sarif")).findings).toHaveLength(1);
  });
});
