/**
 * Any supported report, from its text: the format is recognised from the content, then the format's
 * parser turns it into findings.
 */
import { InputError } from "@pipes/core";
import { parseCheckov } from "./checkov.ts";
import { parseGitleaks } from "./gitleaks.ts";
import type { ParseContext, ParsedReport } from "./parsed-report.ts";
import { isOutsideRepository } from "./paths.ts";
import { detectReportFormat, type ReportFormat } from "./report-format.ts";
import { parseReportJson } from "./report-json.ts";
import { parseSarif } from "./sarif.ts";
import { parseSemgrep } from "./semgrep.ts";
import { parseTfsec } from "./tfsec.ts";
import { parseTrivy } from "./trivy.ts";

const parsers: Record<ReportFormat, (json: unknown, context: ParseContext) => ParsedReport> = {
  sarif: parseSarif,
  checkov: parseCheckov,
  trivy: parseTrivy,
  semgrep: parseSemgrep,
  gitleaks: parseGitleaks,
  tfsec: parseTfsec,
};

/** Findings of a report already parsed from JSON, in the format given or the one its content shows. */
export function parseReportData(
  json: unknown,
  context: ParseContext,
  format = detectReportFormat(json),
): ParsedReport {
  if (format === undefined) {
    throw new InputError(
      `${context.reportName} is JSON but not SARIF 2.1.0 nor a known native format (Checkov, Trivy, Semgrep, gitleaks, tfsec)`,
      {
        suggestion:
          "Write the report with the tool's JSON or SARIF output option, and do not post-process it.",
      },
    );
  }
  return withOutsideWarning(parsers[format](json, context), context);
}

/** The report, with a warning when findings point outside the clone directory. */
export function withOutsideWarning(parsed: ParsedReport, context: ParseContext): ParsedReport {
  const outside = parsed.findings.filter((f) => f.location && isOutsideRepository(f.location.file));
  if (outside.length === 0) return parsed;
  const example = outside[0]?.location?.file ?? "";
  return {
    ...parsed,
    warnings: [
      ...parsed.warnings,
      `${context.reportName}: ${outside.length} finding(s) point outside the clone directory (e.g. ${example}); ` +
        "they keep that path, so path-based suppressions and annotations will not match them. " +
        "Make the report in the clone directory, or with relative paths.",
    ],
  };
}

/** Findings of a report's text: JSON errors and unknown shapes are InputErrors naming the report. */
export function parseReport(text: string, context: ParseContext): ParsedReport {
  return parseReportData(parseReportJson(context.reportName, text), context);
}
