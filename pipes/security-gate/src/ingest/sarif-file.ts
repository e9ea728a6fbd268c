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
  const scanned = layout ? await layout() : scanLayoutFile(file);
  const read = scanned.unsure ? undefined : await readLaidOut(file, scanned, context);
  return read ?? parseReport(await readFile(file, "utf8"), context);
}

/** Undefined when the file must be read whole after all (its JSON is broken, or it is not SARIF). */
async function readLaidOut(
  file: string,
  layout: SarifLayout,
  context: ParseContext,
): Promise<ParsedReport | undefined> {
  let json: unknown;
  try {
    json = JSON.parse(layout.skeleton.toString("utf8"));
  } catch {
    return undefined;
  }
  if (layout.results.length === 0) return parseReportData(json, context);
  if (detectReportFormat(json) !== "sarif") return undefined;
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
  // Code flows left unparsed count as broken JSON until the other thread has checked them.
  if (cut && !(await layout.codeFlowsJson)) return undefined;
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
