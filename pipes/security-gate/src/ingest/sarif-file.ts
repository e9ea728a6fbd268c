/**
 * A report file read from disk. SARIF, however large, is read in two passes that hold no more than
 * one result at a time besides the findings: the layout scan (sarif-layout.ts) finds each result's
 * bytes and the log around them; then the log is parsed, and each result parsed and read alone.
 * Other formats, and any file the scan cannot follow (or whose JSON is broken), are read whole by
 * parseReport, which names the file and what is wrong with it. Both ways give the same findings.
 */
import { readFile } from "node:fs/promises";
import { cutCodeFlows } from "./code-flows.ts";
import { FileRanges } from "./file-ranges.ts";
import { parseReport, parseReportData, withOutsideWarning } from "./parse-report.ts";
import type { ParseContext, ParsedReport } from "./parsed-report.ts";
import { detectReportFormat } from "./report-format.ts";
import { readSarifLog, type SarifLogReader } from "./sarif.ts";
import { RESULT_FIELDS, type SarifLayout, scanLayoutFile } from "./sarif-layout.ts";

/**
 * Findings of the report in `file` (an absolute path); errors name it as `context.reportName`.
 * `layout` gives the file's layout when another thread has scanned it (layouts.ts).
 */
export async function readReportFile(
  file: string,
  context: ParseContext,
  layout?: () => Promise<SarifLayout>,
): Promise<ParsedReport> {
  return (await readReportFileUnchecked(file, context, layout)).checked();
}

/** A report read while another thread may still be checking the code flows it skipped (code-flows.ts). */
export interface UncheckedReport {
  /**
   * The report once its code flows are known to be JSON: as read, or else the file read whole,
   * which rejects with the error that names what is broken. Nothing is checked until it is called.
   */
  checked(): Promise<ParsedReport>;
}

/**
 * readReportFile without waiting for the check of the code flows, so the next file can be read
 * meanwhile. Three ways out: no code flows skipped (the report as read); a schema error while they
 * were skipped (it waits for the check, since broken JSON is the error to name); or the report, to
 * be confirmed by `checked()`.
 */
export async function readReportFileUnchecked(
  file: string,
  context: ParseContext,
  layout?: () => Promise<SarifLayout>,
): Promise<UncheckedReport> {
  const scanned = layout ? await layout() : scanLayoutFile(file);
  const { codeFlowsJson } = scanned;
  const whole = async () => parseReport(await readFile(file, "utf8"), context);
  let laidOut: ParsedReport | undefined;
  try {
    laidOut = scanned.unsure ? undefined : readLaidOut(file, scanned, context);
  } catch (error: unknown) {
    // Broken JSON in the code flows wins over what does not fit the schema, as in the whole file.
    if (codeFlowsJson === undefined || (await codeFlowsJson())) throw error;
    laidOut = undefined;
  }
  const report = laidOut ?? (await whole());
  if (laidOut === undefined || codeFlowsJson === undefined) return { checked: async () => report };
  return { checked: async () => ((await codeFlowsJson()) ? report : whole()) };
}

/** Undefined when the file must be read whole after all (its JSON is broken, or it is not SARIF). */
function readLaidOut(file: string, layout: SarifLayout, context: ParseContext): ParsedReport | undefined {
  let json: unknown;
  try {
    json = JSON.parse(layout.skeleton.toString("utf8"));
  } catch {
    return undefined;
  }
  if (layout.results.length === 0) return parseReportData(json, context);
  if (detectReportFormat(json) !== "sarif") return undefined;
  // Results are parsed without their code flows when another thread checks those.
  const cut = layout.codeFlowsJson !== undefined;
  // A broken result anywhere must win over a schema error (as when the file is parsed whole), so an
  // error from the reader waits until every result has been parsed.
  let failure: { error: unknown } | undefined;
  let reader: SarifLogReader | undefined;
  try {
    reader = readSarifLog(json, context);
  } catch (error: unknown) {
    failure = { error };
  }
  const parsed = eachResult(
    file,
    layout.results,
    (runIndex, value) => {
      if (failure || !reader) return;
      try {
        reader.add(runIndex, value);
      } catch (error: unknown) {
        failure = { error };
      }
    },
    cut,
  );
  if (!parsed) return undefined;
  if (failure) throw failure.error;
  return withOutsideWarning((reader as SarifLogReader).finish(), context);
}

/** Parses each result's bytes in file order (without its code flows if `cut`); false when one is not JSON. */
function eachResult(
  file: string,
  results: ArrayLike<number>,
  read: (runIndex: number, value: unknown) => void,
  cut: boolean,
): boolean {
  const ranges = new FileRanges(file);
  try {
    for (let i = 0; i < results.length; i += RESULT_FIELDS) {
      const from = results[i + 1] as number;
      const to = results[i + 2] as number;
      const at = ranges.read(from, to);
      if (at < 0) return false;
      let end = at + to - from;
      const codeFlowsFrom = results[i + 3] as number;
      if (cut && codeFlowsFrom >= 0) {
        const codeFlowsTo = results[i + 4] as number;
        end = cutCodeFlows(ranges.buffer, at + codeFlowsFrom - from, at + codeFlowsTo - from, end);
      }
      let value: unknown;
      try {
        value = JSON.parse(ranges.buffer.toString("utf8", at, end));
      } catch {
        return false;
      }
      read(results[i] as number, value);
    }
    return true;
  } finally {
    ranges.close();
  }
}
