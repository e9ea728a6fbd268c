/** How findings, checks and scanners are named for people, the same in every report. */
import type { ControlRef, Finding, Severity } from "../findings.ts";
import type { CheckStatus, FindingStatus, ScannerRun } from "../gate.ts";

export const SEVERITY_LABELS: Record<Severity, string> = {
  CRITICAL: "🔴 CRITICAL",
  HIGH: "🟠 HIGH",
  MEDIUM: "🟡 MEDIUM",
  LOW: "🔵 LOW",
  INFO: "⚪ INFO",
};

export const STATUS_LABELS: Record<FindingStatus, string> = {
  blocking: "❌ blocking",
  "non-blocking": "⚠️ non-blocking",
  baseline: "➖ baseline",
  suppressed: "🔕 suppressed",
};

export const CHECK_LABELS: Record<CheckStatus, string> = {
  pass: "✅ pass",
  warn: "⚠️ warn",
  fail: "❌ fail",
  skipped: "⏭️ skipped",
};

export const SCANNER_STATUS_LABELS: Record<ScannerRun["status"], string> = {
  ok: "✅ ran",
  ingested: "📥 ingested",
  failed: "❌ failed",
  skipped: "⏭️ skipped",
};

/** "gcs.tf:17", "requirements.txt", or the resource when the tool gave no file. */
export function locationLabel(finding: Finding): string {
  const { location } = finding;
  if (!location) return finding.resource ?? "";
  return location.startLine ? `${location.file}:${location.startLine}` : location.file;
}

/** "trivy, checkov (CKV_AWS_53)": every tool that reported the finding, with its rule id there. */
export function reportedBy(finding: Finding): string {
  const tools = finding.tools.length > 0 ? finding.tools : [finding.tool];
  return tools
    .map((tool) => {
      const ruleId = tool === finding.tool ? undefined : finding.alsoKnownAs?.[tool];
      return ruleId ? `${tool} (${ruleId})` : tool;
    })
    .join(", ");
}

/** "checkov 2.2.34" */
export function scannerLabel(scanner: ScannerRun): string {
  return scanner.version ? `${scanner.tool} ${scanner.version}` : scanner.tool;
}

/**
 * "SOC2 CC6.1" per control, as SARIF and result.json name them; made once per list, since the
 * findings of one rule share theirs (controlsFor).
 */
const labelsOf = new WeakMap<readonly ControlRef[], string[]>();

export function controlLabels(controls: readonly ControlRef[]): string[] {
  let labels = labelsOf.get(controls);
  if (labels === undefined) {
    labels = controls.map((control) => `${control.framework} ${control.control}`);
    labelsOf.set(controls, labels);
  }
  return labels;
}
