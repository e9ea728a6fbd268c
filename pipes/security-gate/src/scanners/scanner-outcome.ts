/**
 * What running one scanner gives: its findings, the run for the report, and warnings for the log. The
 * tool's report file goes through the same parsers as an ingested report.
 */
import { readFile } from "node:fs/promises";
import { InputError, ToolError } from "@pipes/core";
import type { Finding } from "../findings.ts";
import type { ScannerRun } from "../gate.ts";
import { parseReportData } from "../ingest/parse-report.ts";
import type { ParsedReport } from "../ingest/parsed-report.ts";
import type { ReportFormat } from "../ingest/report-format.ts";
import { parseReportJson } from "../ingest/report-json.ts";
import { sourceLinesUnder } from "../ingest/source-lines.ts";
import type { ScanOptions } from "./scan-options.ts";

export interface ScannerOutcome {
  findings: Finding[];
  run: ScannerRun;
  warnings: string[];
}

/**
 * Parses a report a scanner wrote. The tool's paths are relative to `baseDir` (the scanned folder
 * for Trivy, the clone directory for the others). A report the tool did not write, or wrote badly, is
 * the tool's failure, not the user's input: a ToolError.
 */
export async function readToolReport(
  tool: string,
  file: string,
  format: ReportFormat,
  baseDir: string,
  options: ScanOptions,
): Promise<ParsedReport> {
  const reportName = `${tool}'s report`;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new ToolError(`${tool} finished without writing its report (${file})`, {
      suggestion: "Run with DEBUG=true to see the tool's output.",
    });
  }
  try {
    const context = {
      reportName,
      repoRoot: options.repoRoot,
      baseDir,
      source: sourceLinesUnder(options.repoRoot),
    };
    return parseReportData(parseReportJson(reportName, text), context, format);
  } catch (error: unknown) {
    if (error instanceof InputError) throw new ToolError(error.message, { cause: error });
    throw error;
  }
}

/** The run of a scanner that finished: its version, from `--version` or else from its report. */
export function completedRun(
  tool: string,
  version: string | undefined,
  findings: number,
  started: number,
): ScannerRun {
  return {
    tool,
    ...(version === undefined ? {} : { version }),
    status: "ok",
    findings,
    durationMs: Date.now() - started,
  };
}
