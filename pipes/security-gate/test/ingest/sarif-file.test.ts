import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { InputError } from "@pipes/core";
import { afterAll, describe, expect, it } from "vitest";
import { layoutScans } from "../../src/ingest/layouts.ts";
import { parseReport } from "../../src/ingest/parse-report.ts";
import { readReportFile } from "../../src/ingest/sarif-file.ts";
import { RESULT_FIELDS, SarifLayoutScanner } from "../../src/ingest/sarif-layout.ts";
import {
  contextFor,
  localFixtures,
  readLocalFixture,
  readSharedFixture,
  repeatedResults,
  sharedFixtures,
  until,
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

/** The real Trivy SARIF run, its results repeated. */
const largeTrivySarif = (times: number) => repeatedResults("sarif/trivy-terraform-config.sarif", times);

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
      const results = log.runs.flatMap((run: { results?: { codeFlows?: unknown }[] }, index: number) =>
        (run.results ?? []).map((result) => [
          index,
          JSON.stringify(result),
          result.codeFlows === undefined ? null : JSON.stringify(result.codeFlows),
        ]),
      );
      expect(whole.unsure, name).toBe(false);
      const bytes = Buffer.from(text());
      const json = (from: number, to: number) => JSON.stringify(JSON.parse(bytes.toString("utf8", from, to)));
      const found = [];
      for (let i = 0; i < whole.results.length; i += RESULT_FIELDS) {
        const [runIndex = 0, from = 0, to = 0, flowsFrom = -1, flowsTo = -1] = Array.from(
          whole.results,
        ).slice(i, i + RESULT_FIELDS);
        found.push([runIndex, json(from, to), flowsFrom < 0 ? null : json(flowsFrom, flowsTo)]);
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

describe("code flows, which the layout thread checks and the reader skips", () => {
  // The real Semgrep run of a taint trace: one result with code flows, repeated.
  const text = repeatedResults("sarif/semgrep-test_sarif_output-True-rule_and_target3.sarif", 3_000);

  /** The report read as ingestReports reads its second file: laid out, and checked, by the thread. */
  async function readAsSecond(name: string, report: string, options: { stopThread?: boolean } = {}) {
    const first = reportFile("first.sarif", readSharedFixture("sarif/gitleaks-v8.sarif"));
    const file = reportFile(name, report);
    const scans = layoutScans([first, file], { cores: 2 });
    try {
      await until(() => scans.fromThread() === 2, "the layout thread posted nothing");
      const layout = await scans.layoutOf(1);
      expect(layout.codeFlowsJson).toBeDefined();
      if (options.stopThread) scans.close();
      return await readReportFile(file, contextFor(`reports/${name}`), async () => layout);
    } finally {
      scans.close();
    }
  }

  it("reads a Semgrep taint trace exactly as its whole text reads", async () => {
    const read = await readAsSecond("flows.sarif", text);
    expect(read.findings).toHaveLength(3_000);
    expect(read).toEqual(parseReport(text, contextFor("reports/flows.sarif")));
  });

  it("names broken JSON inside a result's code flows, and where", async () => {
    // A comma gone between two steps of the trace of the 2,000th result.
    let at = 0;
    for (let n = 0; n < 2_000; n += 1) at = text.indexOf('"codeFlows"', at + 1);
    at = text.indexOf("},\n", text.indexOf('"threadFlows"', at)) + 1;
    const broken = `${text.slice(0, at)}${text.slice(at + 1)}`;
    const error = await readAsSecond("broken-flows.sarif", broken).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(
      /^reports\/broken-flows\.sarif is not valid JSON: .* at byte \d+/,
    );
    expect((error as InputError).message).toBe(errorOfText(broken, "reports/broken-flows.sarif"));
  });

  it("names broken code flows when the thread stops before it has checked them", async () => {
    const at = text.lastIndexOf('"nestingLevel"');
    const broken = `${text.slice(0, at)}x${text.slice(at)}`;
    for (let run = 0; run < 5; run += 1) {
      const error = await readAsSecond("stopped.sarif", broken, { stopThread: true }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect((error as InputError).message).toBe(errorOfText(broken, "reports/stopped.sarif"));
    }
    const read = await readAsSecond("stopped-whole.sarif", text, { stopThread: true });
    expect(read.findings).toHaveLength(3_000);
  });

  it("names broken code flows rather than a field that does not fit before them", async () => {
    const log = JSON.parse(text);
    log.runs[0].results[5].message = "a string, not a message object";
    const misfit = JSON.stringify(log);
    const at = misfit.lastIndexOf('"nestingLevel"');
    const broken = `${misfit.slice(0, at)}tru${misfit.slice(at)}`;
    const error = await readAsSecond("misfit-flows.sarif", broken).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect((error as InputError).message).toContain("is not valid JSON");
    expect((error as InputError).message).toBe(errorOfText(broken, "reports/misfit-flows.sarif"));
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
