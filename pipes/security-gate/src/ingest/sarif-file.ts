/**
 * A report file read from disk. SARIF, however large, is read in two passes that hold no more than
 * one result at a time besides the findings: the layout scan (sarif-layout.ts) finds each result's
 * bytes and the log around them; then the log is parsed, and each result parsed and read alone.
 * Other formats, and any file the scan cannot follow (or whose JSON is broken), are read whole by
 * parseReport, which names the file and what is wrong with it. Both ways give the same findings.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { parseReport, parseReportData, withOutsideWarning } from "./parse-report.ts";
import type { ParseContext, ParsedReport } from "./parsed-report.ts";
import { detectReportFormat } from "./report-format.ts";
import { readSarifLog, type SarifLogReader } from "./sarif.ts";
import { CHUNK_BYTES, type SarifLayout, scanLayoutFile } from "./sarif-layout.ts";

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
  const read = scanned.unsure ? undefined : readLaidOut(file, scanned, context);
  return read ?? parseReport(await readFile(file, "utf8"), context);
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
  // A broken result anywhere must win over a schema error (as when the file is parsed whole), so an
  // error from the reader waits until every result has been parsed.
  let failure: { error: unknown } | undefined;
  let reader: SarifLogReader | undefined;
  try {
    reader = readSarifLog(json, context);
  } catch (error: unknown) {
    failure = { error };
  }
  const parsed = eachResult(file, layout.results, (runIndex, value) => {
    if (failure || !reader) return;
    try {
      reader.add(runIndex, value);
    } catch (error: unknown) {
      failure = { error };
    }
  });
  if (!parsed) return undefined;
  if (failure) throw failure.error;
  return withOutsideWarning((reader as SarifLogReader).finish(), context);
}

/** Parses each result's bytes in file order; false when one is not JSON. */
function eachResult(
  file: string,
  results: ArrayLike<number>,
  read: (runIndex: number, value: unknown) => void,
): boolean {
  const fd = openSync(file, "r");
  try {
    let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    /** The file offset of buffer[0], and how many bytes of the buffer hold the file. */
    let start = 0;
    let length = 0;
    for (let i = 0; i < results.length; i += 3) {
      const runIndex = results[i] as number;
      const from = results[i + 1] as number;
      const to = results[i + 2] as number;
      if (to > start + length) {
        // Keep what is left from this result on, then fill the buffer from the file.
        const kept = Math.max(0, start + length - from);
        const size = Math.max(CHUNK_BYTES, to - from);
        const next = size > buffer.length ? Buffer.allocUnsafe(size) : buffer;
        if (kept > 0) buffer.copy(next, 0, from - start, length);
        buffer = next;
        start = from;
        length = kept;
        while (start + length < to) {
          const bytesRead = readSync(fd, buffer, length, buffer.length - length, start + length);
          if (bytesRead === 0) return false;
          length += bytesRead;
        }
      }
      let value: unknown;
      try {
        value = JSON.parse(buffer.toString("utf8", from - start, to - start));
      } catch {
        return false;
      }
      read(runIndex, value);
    }
    return true;
  } finally {
    closeSync(fd);
  }
}
