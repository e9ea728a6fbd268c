import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { InputError } from "@pipes/core";
import { afterAll, describe, expect, it } from "vitest";
import { parseReport } from "../../src/ingest/parse-report.ts";
import { readReportFile } from "../../src/ingest/sarif-file.ts";
import { SarifLayoutScanner } from "../../src/ingest/sarif-layout.ts";
import {
  contextFor,
  localFixtures,
  readLocalFixture,
  readSharedFixture,
  sharedFixtures,
} from "./report-fixtures.ts";

const scratch = mkdtempSync(path.join(tmpdir(), "security-gate-sarif-file-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `text` written to a file named `name` in the scratch folder; its path. */
function reportFile(name: string, text: string | Buffer): string {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return file;
}

function layoutOf(text: string | Buffer, chunkBytes: number) {
  const bytes = Buffer.from(text);
  const scanner = new SarifLayoutScanner();
  for (let i = 0; i < bytes.length; i += chunkBytes) scanner.push(bytes.subarray(i, i + chunkBytes));
  return scanner.end();
}

async function errorOf(file: string, reportName: string): Promise<InputError> {
  const error = await readReportFile(file, contextFor(reportName)).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (error instanceof InputError) return error;
  throw new Error(`expected an InputError, got ${String(error)}`);
}

/** Every real SARIF and JSON report the ingest tests have. */
const realReports = [
  ...readdirSync(path.join(sharedFixtures, "sarif")).map((name) => ({
    name: `sarif/${name}`,
    text: () => readSharedFixture(`sarif/${name}`),
  })),
  ...readdirSync(localFixtures)
    .filter((name) => name.endsWith(".sarif") || name.endsWith(".json"))
    .map((name) => ({ name, text: () => readLocalFixture(name) })),
];

/** A real Trivy SARIF run with its results repeated `times` over: a large file made of real results. */
function largeTrivySarif(times: number): string {
  const log = JSON.parse(readSharedFixture("sarif/trivy-terraform-config.sarif"));
  const [run] = log.runs;
  run.results = Array.from({ length: times }, () => run.results).flat();
  return JSON.stringify(log, null, 2);
}

describe("a report file read result by result", () => {
  it.each(realReports)("reads $name exactly as its whole text reads", async ({ name, text }) => {
    const file = reportFile(path.basename(name), text());
    const streamed = await readReportFile(file, contextFor(name));
    expect(streamed).toEqual(parseReport(text(), contextFor(name)));
  });

  it("finds every result of every run in each real SARIF file, however the file is cut into chunks", () => {
    for (const { name, text } of realReports.filter((report) => report.name.endsWith(".sarif"))) {
      const whole = layoutOf(text(), Number.MAX_SAFE_INTEGER);
      const log = JSON.parse(text());
      const results = log.runs.flatMap((run: { results?: unknown[] }, index: number) =>
        (run.results ?? []).map((result) => [index, JSON.stringify(result)]),
      );
      expect(whole.unsure, name).toBe(false);
      const bytes = Buffer.from(text());
      const found = [];
      for (let i = 0; i < whole.results.length; i += 3) {
        const [runIndex = 0, from = 0, to = 0] = Array.from(whole.results).slice(i, i + 3);
        found.push([runIndex, JSON.stringify(JSON.parse(bytes.toString("utf8", from, to)))]);
      }
      expect(found, name).toEqual(results);
      // The log without its results, as JSON.parse reads it.
      const skeleton = JSON.parse(whole.skeleton.toString("utf8"));
      expect(skeleton, name).toEqual({
        ...log,
        runs: log.runs.map((run: object) => ("results" in run ? { ...run, results: [] } : run)),
      });
      for (const chunkBytes of [1, 2, 3, 7, 64]) {
        expect(layoutOf(text(), chunkBytes), `${name} in chunks of ${chunkBytes}`).toEqual(whole);
      }
    }
  });

  it("reads a large SARIF file (40,000 results) as its whole text reads", async () => {
    const text = largeTrivySarif(4_500);
    const file = reportFile("large.sarif", text);
    const streamed = await readReportFile(file, contextFor("reports/large.sarif"));
    expect(streamed.findings).toHaveLength(40_500);
    expect(streamed).toEqual(parseReport(text, contextFor("reports/large.sarif")));
  });

  it("reads a file with a UTF-8 byte order mark", async () => {
    const text = readSharedFixture("sarif/gitleaks-v8.sarif");
    const file = reportFile("bom.sarif", `\uFEFF${text}`);
    expect(layoutOf(`\uFEFF${text}`, 64).unsure).toBe(false);
    expect((await readReportFile(file, contextFor("reports/bom.sarif"))).findings).toHaveLength(1);
  });
});

describe("a report file that cannot be read", () => {
  const text = largeTrivySarif(200);

  it("names a truncated file and where it ends", async () => {
    const file = reportFile("cut.sarif", text.slice(0, 50_000));
    expect((await errorOf(file, "reports/cut.sarif")).message).toBe(
      "reports/cut.sarif is not valid JSON (truncated at byte 50000?)",
    );
  });

  it("names a file broken inside a result, and where", async () => {
    const at = text.indexOf('"ruleId"', 30_000);
    const broken = `${text.slice(0, at)},${text.slice(at)}`;
    const file = reportFile("broken.sarif", broken);
    const error = await errorOf(file, "reports/broken.sarif");
    expect(error.message).toMatch(
      /^reports\/broken\.sarif is not valid JSON: .* at byte \d+ \(line \d+, column \d+\)$/,
    );
    expect(error.message).toBe(errorOfText(broken, "reports/broken.sarif"));
  });

  it("names a file broken between results", async () => {
    const at = text.indexOf("},", 30_000) + 1;
    const broken = `${text.slice(0, at)}${text.slice(at + 1)}`;
    const file = reportFile("no-comma.sarif", broken);
    expect((await errorOf(file, "reports/no-comma.sarif")).message).toBe(
      errorOfText(broken, "reports/no-comma.sarif"),
    );
  });

  it("names the result field that does not fit SARIF", async () => {
    const log = JSON.parse(text);
    log.runs[0].results[1500].message = "a string, not a message object";
    const file = reportFile("field.sarif", JSON.stringify(log));
    expect((await errorOf(file, "reports/field.sarif")).message).toBe(
      "reports/field.sarif looks like SARIF 2.1.0, but runs[0].results[1500].message: expected object, received string",
    );
  });

  it("refuses a result whose field deep inside has the wrong type, naming the field", async () => {
    // biome-ignore lint/suspicious/noExplicitAny: a parsed SARIF result, edited field by field
    const misfits: [string, (result: Record<string, any>) => void, string][] = [
      ["ruleIndex", (r) => (r.ruleIndex = "0"), "ruleIndex: expected number, received string"],
      ["rule.id", (r) => (r.rule = { id: 5 }), "rule.id: expected string, received number"],
      ["message.arguments", (r) => (r.message.arguments = [1]), "message.arguments[0]: expected string"],
      [
        "startLine",
        (r) => (r.locations[0].physicalLocation.region.startLine = "12"),
        "locations[0].physicalLocation.region.startLine: expected number, received string",
      ],
      [
        "uri",
        (r) => (r.locations[0].physicalLocation.artifactLocation.uri = null),
        "locations[0].physicalLocation.artifactLocation.uri: expected string, received null",
      ],
      [
        "suppressions",
        (r) => (r.suppressions = [{ status: true }]),
        "suppressions[0].status: expected string",
      ],
      ["properties", (r) => (r.properties = { tags: "security" }), "properties.tags: expected array"],
      ["locations", (r) => (r.locations = {}), "locations: expected array, received object"],
    ];
    for (const [name, misfit, expected] of misfits) {
      const log = JSON.parse(text);
      misfit(log.runs[0].results[700]);
      const file = reportFile(`misfit-${name}.sarif`, JSON.stringify(log));
      expect((await errorOf(file, "reports/misfit.sarif")).message).toContain(
        `SARIF 2.1.0, but runs[0].results[700].${expected}`,
      );
    }
  });

  it("names broken JSON rather than a field that does not fit, wherever each is", async () => {
    const log = JSON.parse(text);
    log.runs[0].results[10].message = "a string, not a message object";
    const misfit = JSON.stringify(log);
    const at = misfit.lastIndexOf('"ruleId"');
    const broken = `${misfit.slice(0, at)}}${misfit.slice(at)}`;
    const file = reportFile("both.sarif", broken);
    const error = await errorOf(file, "reports/both.sarif");
    expect(error.message).toContain("is not valid JSON");
    expect(error.message).toBe(errorOfText(broken, "reports/both.sarif"));
  });

  it("names a field of the run that does not fit SARIF, after the results before it", async () => {
    const log = JSON.parse(text);
    log.runs[0].tool.driver.name = 7;
    log.runs[0].results[3].level = "severe";
    const file = reportFile("tool.sarif", JSON.stringify(log));
    const message = (await errorOf(file, "reports/tool.sarif")).message;
    expect(message).toBe(
      "reports/tool.sarif looks like SARIF 2.1.0, but runs[0].tool.driver.name: expected string, received number",
    );
    expect(message).toBe(errorOfText(JSON.stringify(log), "reports/tool.sarif"));
  });

  it("names a SARIF version other than 2.1.0", async () => {
    const log = JSON.parse(text);
    log.version = "2.0.0";
    const file = reportFile("old.sarif", JSON.stringify(log));
    expect((await errorOf(file, "reports/old.sarif")).message).toBe(
      "reports/old.sarif is SARIF 2.0.0, but only SARIF 2.1.0 is supported",
    );
  });

  it("names an empty file", async () => {
    const file = reportFile("empty.sarif", "\n");
    expect((await errorOf(file, "reports/empty.sarif")).message).toBe("reports/empty.sarif is empty");
  });
});

function errorOfText(text: string, reportName: string): string {
  try {
    parseReport(text, contextFor(reportName));
  } catch (error: unknown) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  throw new Error("expected an InputError");
}
