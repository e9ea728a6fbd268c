/**
 * GateResult → one SARIF 2.1.0 log for all tools, for code scanning UIs and the artifacts. A finding
 * several tools reported sits in its first tool's run, with the others in its properties, so it is
 * counted once. GitHub's reading of the fields used here:
 * https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */
import {
  type SarifBaselineState,
  type SarifLevel,
  type SarifResultInput,
  type SarifRunInput,
  sarifLogChunks,
} from "@pipes/reports";
import type { Severity } from "../findings.ts";
import type { GateFinding, GateResult, ScannerRun } from "../gate.ts";
import { mostImportantFirst } from "./importance.ts";
import { controlLabels } from "./labels.ts";
import { type ToolReport, toolReports } from "./tools.ts";

export interface SarifOptions {
  /**
   * Whether findings were compared with a baseline (NEW_ONLY with a baseline found). Then each
   * unsuppressed result says whether it is new or unchanged. Default: whether any finding is in
   * the baseline.
   */
  baselineUsed?: boolean;
  /** Absolute path of the clone, written as the %SRCROOT% all paths are relative to. */
  sourceRoot?: string;
}

/** The key of our fingerprint in `partialFingerprints`: versioned, as SARIF §3.27.17 asks. */
export const FINGERPRINT_KEY = "securityGate/v1";

const LEVELS: Record<Severity, SarifLevel> = {
  CRITICAL: "error",
  HIGH: "error",
  MEDIUM: "warning",
  LOW: "note",
  INFO: "note",
};

/** GitHub's `security-severity` bands (≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low), at Trivy's values. */
const SECURITY_SEVERITY: Record<Severity, number> = {
  CRITICAL: 9.5,
  HIGH: 8.0,
  MEDIUM: 5.5,
  LOW: 2.0,
  INFO: 0.0,
};

const INFORMATION_URIS: Record<string, string> = {
  checkov: "https://www.checkov.io/",
  trivy: "https://trivy.dev/",
  semgrep: "https://semgrep.dev/",
  gitleaks: "https://github.com/gitleaks/gitleaks",
};

/** The SARIF file's content. */
export function renderSarif(result: GateResult, options: SarifOptions = {}): string {
  return [...renderSarifChunks(result, options)].join("");
}

/** The SARIF file's content as chunks, one run built at a time: for writing 100,000 findings. */
export function renderSarifChunks(result: GateResult, options: SarifOptions = {}): Iterable<string> {
  const baselineUsed =
    options.baselineUsed ?? result.findings.some((finding) => finding.status === "baseline");
  const reports = toolReports(result.scanners, mostImportantFirst(result.findings))
    // A scanner that was not run has nothing to say; one that failed gets a run with its error.
    .filter((report) => report.scanner?.status !== "skipped" || report.findings.length > 0);
  return sarifLogChunks(runsOf(reports, baselineUsed), { sourceRoot: options.sourceRoot });
}

function* runsOf(
  reports: readonly ToolReport<GateFinding>[],
  baselineUsed: boolean,
): Generator<SarifRunInput> {
  for (const report of reports) {
    yield {
      tool: {
        name: report.tool,
        version: report.scanner?.version,
        informationUri: INFORMATION_URIS[report.tool],
      },
      execution: execution(report.scanner),
      // Made as they are written (sarifLogChunks reads them twice: rules, then results), so a run's
      // 40,000 results are never all held.
      results: {
        *[Symbol.iterator]() {
          for (const finding of report.findings) yield sarifResult(finding, baselineUsed);
        },
      },
      // The first pass only looks for the rules: it need not make whole results.
      rules: {
        *[Symbol.iterator]() {
          for (const finding of report.findings) yield sarifRule(finding);
        },
      },
    };
  }
}

function execution(scanner: ScannerRun | undefined): SarifRunInput["execution"] {
  if (!scanner) return undefined;
  return scanner.status === "failed"
    ? { successful: false, error: scanner.error ?? `${scanner.tool} failed` }
    : { successful: true };
}

function sarifResult(finding: GateFinding, baselineUsed: boolean): SarifResultInput {
  const { location } = finding;
  return {
    rule: sarifRule(finding),
    level: LEVELS[finding.severity],
    message: finding.message || finding.title,
    location: location && { path: location.file, startLine: location.startLine, endLine: location.endLine },
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    baselineState: baselineUsed ? baselineState(finding) : undefined,
    suppression: suppression(finding),
    properties: resultProperties(finding),
  };
}

function sarifRule(finding: GateFinding): SarifResultInput["rule"] {
  return {
    id: finding.ruleId,
    shortDescription: finding.title,
    helpUri: finding.helpUri,
    defaultLevel: LEVELS[finding.severity],
    securitySeverity: SECURITY_SEVERITY[finding.severity],
    tags: ["security", finding.category],
  };
}

/**
 * Compared with a baseline, an active finding is new and a baseline one unchanged. Suppressions
 * apply before the baseline (see decision.ts), so whether a suppressed finding is in the baseline
 * is unknown: it gets no state.
 */
function baselineState(finding: GateFinding): SarifBaselineState | undefined {
  if (finding.status === "suppressed") return undefined;
  return finding.status === "baseline" ? "unchanged" : "new";
}

function suppression(finding: GateFinding): SarifResultInput["suppression"] {
  if (finding.status !== "suppressed") return undefined;
  const { suppression: matched } = finding;
  if (!matched) return { justification: "Suppressed by the security gate's policy." };
  return {
    justification: matched.reason,
    properties: { id: matched.id, ...(matched.expires ? { expires: matched.expires } : {}) },
  };
}

function resultProperties(finding: GateFinding): Record<string, unknown> {
  // Set field by field (not spread from conditional objects): made for each of 100,000 findings.
  const properties: Record<string, unknown> = {
    severity: finding.severity,
    status: finding.status,
    category: finding.category,
  };
  if (finding.resource) properties.resource = finding.resource;
  if (finding.tools.length > 1 || finding.tools[0] !== finding.tool) {
    const otherTools = finding.tools.filter((tool) => tool !== finding.tool);
    if (otherTools.length > 0) properties.alsoReportedBy = otherTools;
  }
  if (finding.alsoKnownAs && Object.keys(finding.alsoKnownAs).length > 0)
    properties.alsoKnownAs = finding.alsoKnownAs;
  if (finding.controls.length > 0) properties.controls = controlLabels(finding.controls);
  return properties;
}
