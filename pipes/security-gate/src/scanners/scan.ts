/**
 * The selected scanners, run in parallel. A scanner that fails (missing, timed out, crashed) becomes a
 * ScannerRun with status "failed" and the reason; the others' findings still count, and the gate
 * decides what a failure means (FAIL_ON_SCANNER_ERROR).
 */
import { errorMessage, type Logger, PipeError } from "@pipes/core";
import type { Finding, Scanner } from "../findings.ts";
import type { ScannerRun } from "../gate.ts";
import { runCheckov } from "./checkov.ts";
import { runGitleaks } from "./gitleaks.ts";
import type { ScanOptions } from "./scan-options.ts";
import type { ScannerOutcome } from "./scanner-outcome.ts";
import { runSemgrep } from "./semgrep.ts";
import { withoutSkippedPaths } from "./skip-paths.ts";
import { runTrivy } from "./trivy.ts";

export type ScannerAdapter = (options: ScanOptions, log: Logger) => Promise<ScannerOutcome>;

export const SCANNER_ADAPTERS: Record<Scanner, ScannerAdapter> = {
  checkov: runCheckov,
  trivy: runTrivy,
  semgrep: runSemgrep,
  gitleaks: runGitleaks,
};

export interface ScanResult {
  findings: Finding[];
  /** One per selected scanner, in the order selected. */
  runs: ScannerRun[];
  warnings: string[];
}

function failedRun(scanner: Scanner, error: unknown, started: number): ScannerRun {
  const suggestion = error instanceof PipeError && error.suggestion ? ` (${error.suggestion})` : "";
  return {
    tool: scanner,
    status: "failed",
    findings: 0,
    durationMs: Date.now() - started,
    error: `${errorMessage(error)}${suggestion}`,
  };
}

export async function runScanners(
  selected: readonly Scanner[],
  options: ScanOptions,
  log: Logger,
  adapters: Record<Scanner, ScannerAdapter> = SCANNER_ADAPTERS,
): Promise<ScanResult> {
  const started = Date.now();
  const settled = await Promise.allSettled(selected.map((scanner) => adapters[scanner](options, log)));
  const result: ScanResult = { findings: [], runs: [], warnings: [] };
  settled.forEach((outcome, index) => {
    const scanner = selected[index] as Scanner;
    if (outcome.status === "rejected") {
      const run = failedRun(scanner, outcome.reason, started);
      log.warn(`${scanner} failed: ${run.error}`);
      result.runs.push(run);
      return;
    }
    const findings = withoutSkippedPaths(outcome.value.findings, options.skipPaths);
    log.info(
      `${scanner}${outcome.value.run.version ? ` ${outcome.value.run.version}` : ""}: ${findings.length} finding(s) in ${(outcome.value.run.durationMs / 1000).toFixed(1)}s`,
    );
    result.findings.push(...findings);
    result.warnings.push(...outcome.value.warnings);
    result.runs.push({ ...outcome.value.run, findings: findings.length });
  });
  return result;
}
