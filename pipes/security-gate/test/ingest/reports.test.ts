import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { InputError } from "@pipes/core";
import { afterAll, describe, expect, it } from "vitest";
import { ingestReports, reportFiles } from "../../src/ingest/reports.ts";
import { localFixtures, readSharedFixture, repeatedResults, sharedFixtures } from "./report-fixtures.ts";

const clones: string[] = [];
afterAll(() => {
  for (const clone of clones) rmSync(clone, { recursive: true, force: true });
});

/** A clone directory where earlier steps left their reports. */
function cloneWithReports(): string {
  const clone = mkdtempSync(path.join(tmpdir(), "security-gate-reports-"));
  clones.push(clone);
  mkdirSync(path.join(clone, "reports/nested"), { recursive: true });
  cpSync(
    path.join(sharedFixtures, "sarif/trivy-terraform-config.sarif"),
    path.join(clone, "reports/trivy.sarif"),
  );
  cpSync(path.join(sharedFixtures, "native/checkov-severity.json"), path.join(clone, "reports/checkov.json"));
  cpSync(path.join(localFixtures, "semgrep-1.185.0.json"), path.join(clone, "reports/nested/semgrep.json"));
  // A page saved instead of the report, as when a download step fetched an error page.
  writeFileSync(
    path.join(clone, "reports/page.html"),
    "<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>\n",
  );
  return clone;
}

describe("REPORTS: reports of earlier steps", () => {
  it("ingests every file the globs match, one ingested run per file", async () => {
    const clone = cloneWithReports();
    const result = await ingestReports(["reports/*.sarif", "reports/**/*.json"], clone);
    expect(result.runs).toEqual([
      {
        tool: "trivy",
        status: "ingested",
        findings: 9,
        durationMs: expect.any(Number),
        report: "reports/trivy.sarif",
      },
      {
        tool: "checkov",
        version: "2.2.34",
        status: "ingested",
        findings: 4,
        durationMs: expect.any(Number),
        report: "reports/checkov.json",
      },
      {
        tool: "semgrep",
        version: "1.185.0",
        status: "ingested",
        findings: 1,
        durationMs: expect.any(Number),
        report: "reports/nested/semgrep.json",
      },
    ]);
    expect(result.findings).toHaveLength(14);
    expect(result.warnings).toEqual([]);
  });

  it("reads a file matched by two globs once", async () => {
    const clone = cloneWithReports();
    expect(await reportFiles(["reports/trivy.sarif", "reports/*.sarif"], clone)).toEqual([
      "reports/trivy.sarif",
    ]);
  });

  it("fails, naming the pattern, when a glob matches nothing", async () => {
    const clone = cloneWithReports();
    const error = await ingestReports(["reports/*.sarif", "reports/gitleaks-*.json"], clone).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(
      `REPORTS: no file matches "reports/gitleaks-*.json" in ${clone}`,
    );
  });

  it("fails, naming the file, when a matched file is not a report", async () => {
    const clone = cloneWithReports();
    const error = await ingestReports(["reports/*.html"], clone).catch((e: unknown) => e);
    expect((error as InputError).message).toBe("reports/page.html is not valid JSON: unexpected token '<'");
  });

  it("names the first broken report in file order, though the code flows of an earlier one are checked last", async () => {
    const clone = mkdtempSync(path.join(tmpdir(), "security-gate-reports-"));
    clones.push(clone);
    mkdirSync(path.join(clone, "reports"));
    // The first file large enough for the layout thread to take the next one.
    writeFileSync(
      path.join(clone, "reports/a.sarif"),
      repeatedResults("sarif/trivy-terraform-config.sarif", 1_000),
    );
    const flows = repeatedResults("sarif/semgrep-test_sarif_output-True-rule_and_target3.sarif", 2_000);
    const at = flows.lastIndexOf('"nestingLevel"');
    const brokenFlows = `${flows.slice(0, at)}x${flows.slice(at)}`;
    writeFileSync(path.join(clone, "reports/b.sarif"), brokenFlows);
    writeFileSync(path.join(clone, "reports/c.sarif"), "<html>502 Bad Gateway</html>\n");

    const error = await ingestReports(["reports/*.sarif"], clone).catch((e: unknown) => e);
    expect((error as InputError).message).toMatch(/^reports\/b\.sarif is not valid JSON: .* at byte \d+/);

    writeFileSync(path.join(clone, "reports/b.sarif"), flows);
    const later = await ingestReports(["reports/*.sarif"], clone).catch((e: unknown) => e);
    expect((later as InputError).message).toBe("reports/c.sarif is not valid JSON: unexpected token '<'");

    rmSync(path.join(clone, "reports/c.sarif"));
    const read = await ingestReports(["reports/*.sarif"], clone);
    expect(read.runs.map((run) => [run.report, run.tool, run.findings])).toEqual([
      [
        "reports/a.sarif",
        "trivy",
        1_000 * JSON.parse(readSharedFixture("sarif/trivy-terraform-config.sarif")).runs[0].results.length,
      ],
      ["reports/b.sarif", "semgrep", 2_000],
    ]);
  });
});
