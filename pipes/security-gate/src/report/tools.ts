/** The tools a result speaks for, and each one's findings: one SARIF run and one JUnit suite per tool. */
import type { Finding } from "../findings.ts";
import type { ScannerRun } from "../gate.ts";

export interface ToolReport<F extends Finding> {
  tool: string;
  /** Absent for a tool known only from ingested reports. */
  scanner?: ScannerRun;
  /** The findings this tool reported first (`finding.tool`), in the order given. */
  findings: F[];
}

/** The scanners in their configured order, then tools known only from their findings. */
export function toolReports<F extends Finding>(
  scanners: readonly ScannerRun[],
  findings: readonly F[],
): ToolReport<F>[] {
  const reports = new Map<string, ToolReport<F>>();
  for (const scanner of scanners) reports.set(scanner.tool, { tool: scanner.tool, scanner, findings: [] });
  for (const finding of findings) {
    let report = reports.get(finding.tool);
    if (!report) {
      report = { tool: finding.tool, findings: [] };
      reports.set(finding.tool, report);
    }
    report.findings.push(finding);
  }
  return [...reports.values()];
}
