/**
 * What every report parser takes and gives: the context to place findings in the repository, and the
 * findings with the tool that made them.
 */
import type { Finding } from "../findings.ts";
import type { PathContext } from "./paths.ts";
import type { SourceLines } from "./source-lines.ts";

export interface ParseContext extends PathContext {
  /** How errors name the report: "reports/trivy.json", or "checkov's output". */
  reportName: string;
  /** Reads flagged lines for fingerprints; `noSourceLines` when the checkout is not at hand. */
  source: SourceLines;
}

export interface ParsedReport {
  /** The tool that wrote the report ("trivy"); several joined with ", " for a multi-run SARIF file. */
  tool: string;
  version?: string;
  findings: Finding[];
  /** Things the user should know that are not findings: files the tool could not parse, ... */
  warnings: string[];
}
