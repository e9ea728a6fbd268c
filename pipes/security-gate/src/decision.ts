/**
 * The gate's decision: one pure function from what the scanners and checks found to PASS, WARN or
 * FAIL with its reasons. In order:
 *
 *  1. findings under `exclude_paths` are dropped;
 *  2. active suppressions hide their findings (status "suppressed"); expired ones hide nothing
 *     and warn;
 *  3. with NEW_ONLY, findings already in the baseline get status "baseline";
 *  4. the remaining findings are active: they are counted per severity against `fail_on` and
 *     `warn_on` (fail when the count is greater than the threshold);
 *  5. compliance: a control fails when an active finding touches it;
 *  6. the verdict: FAIL when a fail threshold is exceeded, a zero-trust check failed, a scanner
 *     failed to run (unless `fail_on_scanner_error` is false: a gate that did not look must not
 *     pass), or a gating framework has a failed control; WARN for a warn threshold, a zero-trust
 *     warning, a scanner that failed (when allowed) or was skipped, or an expired suppression;
 *     PASS otherwise.
 *
 * An active finding is "blocking" when it is a reason for FAIL: its severity is over its fail
 * threshold, or it is behind a failed control of a gating framework. ENFORCE (exit code) is the
 * caller's business.
 */
import picomatch from "picomatch";
import { type Baseline, baselineFingerprints } from "./baseline.ts";
import {
  type ComplianceMapping,
  complianceReport,
  controlsFor,
  DEFAULT_COMPLIANCE_MAPPING,
  failsControls,
  withUserMappings,
} from "./compliance.ts";
import type { GateConfig } from "./config.ts";
import { type Finding, FRAMEWORKS, type Severity } from "./findings.ts";
import type { FrameworkReport, GateFinding, GateResult, Reason, ScannerRun, ZeroTrustCheck } from "./gate.ts";
import { countBySeverity, describeBreach, thresholdBreaches } from "./policy.ts";
import { applySuppressions, describeExpiry, normalizePath } from "./suppressions.ts";

export interface GateInput {
  /** Findings of every scanner and ingested report, already deduped (dedupeFindings). */
  findings: readonly Finding[];
  config: GateConfig;
  /** The committed baseline, or one made from the destination branch's stored result. */
  baseline?: Baseline;
  checks: readonly ZeroTrustCheck[];
  scanners: readonly ScannerRun[];
  /** The bundled mapping by default; the config's `compliance.mappings` are always added. */
  mapping?: ComplianceMapping;
}

function excludedBy(globs: readonly string[]): (finding: Finding) => boolean {
  if (globs.length === 0) return () => false;
  const matches = picomatch([...globs], { dot: true });
  return (finding) => finding.location?.file !== undefined && matches(normalizePath(finding.location.file));
}

/** Tools that looked at the code: scanners that finished, reports ingested. */
function toolsThatRan(scanners: readonly ScannerRun[]): string[] {
  return scanners.filter((run) => run.status === "ok" || run.status === "ingested").map((run) => run.tool);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function scannerReasons(scanners: readonly ScannerRun[], failOnScannerError: boolean): Reason[] {
  const failed: Reason[] = scanners
    .filter((run) => run.status === "failed")
    .map((run) => ({
      verdict: failOnScannerError ? "FAIL" : "WARN",
      message: `${run.tool} failed to run${run.error === undefined ? "" : `: ${run.error}`}${
        failOnScannerError ? "" : " (not failing the gate: fail_on_scanner_error is false)"
      }`,
    }));
  const skipped: Reason[] = scanners
    .filter((run) => run.status === "skipped")
    .map((run) => ({
      verdict: "WARN",
      message: `${run.tool} was skipped${run.error === undefined ? "" : `: ${run.error}`}`,
    }));
  return [...failed, ...skipped];
}

function checkReasons(checks: readonly ZeroTrustCheck[], status: "fail" | "warn"): Reason[] {
  return checks
    .filter((check) => check.status === status)
    .map((check) => ({
      verdict: status === "fail" ? "FAIL" : "WARN",
      message: `${check.name}: ${check.message}`,
    }));
}

/** One reason per gating framework, naming its failed controls (most findings first). */
function complianceReasons(reports: readonly FrameworkReport[]): Reason[] {
  return reports
    .filter((report) => report.gating && report.failed > 0)
    .map((report) => {
      const failed = report.controls
        .filter((control) => control.status === "failed")
        .sort((a, b) => b.findings.length - a.findings.length);
      const named = failed
        .slice(0, 5)
        .map((control) => `${control.control} (${plural(control.findings.length, "finding")})`);
      const more = failed.length > named.length ? `, and ${failed.length - named.length} more` : "";
      return {
        verdict: "FAIL" as const,
        message: `${report.framework}: ${plural(failed.length, "control")} failed: ${named.join(", ")}${more}`,
      };
    });
}

export function decide(input: GateInput, now: Date): GateResult {
  const { config } = input;
  const mapping = withUserMappings(input.mapping ?? DEFAULT_COMPLIANCE_MAPPING, config.compliance.mappings);
  const warnings: string[] = [];

  // 1. exclude_paths
  const isExcluded = excludedBy(config.excludePaths);
  const kept = input.findings.filter((finding) => !isExcluded(finding));

  // 2. suppressions
  const suppression = applySuppressions(kept, config.suppressions, now);
  for (const expired of suppression.expired) warnings.push(describeExpiry(expired));
  for (const unused of suppression.unused)
    warnings.push(`suppression "${unused.id}" matched no finding: remove it?`);

  // 3. baseline
  const gateOnNewOnly = config.newOnly;
  if (gateOnNewOnly && input.baseline === undefined) {
    warnings.push("NEW_ONLY is on but no baseline was found: every finding counts as new");
  }
  const known =
    gateOnNewOnly && input.baseline !== undefined ? baselineFingerprints(input.baseline) : new Set<string>();

  // 4. statuses and counts
  // One copy of each finding, with its controls and status (100,000 findings: no copy of a copy).
  const findings: GateFinding[] = kept.map((finding, index) => {
    const suppressedBy = suppression.suppressedBy[index];
    const status =
      suppressedBy !== undefined
        ? "suppressed"
        : known.has(finding.fingerprint)
          ? "baseline"
          : "non-blocking";
    const decided: GateFinding = { ...finding, controls: controlsFor(finding, mapping), status };
    if (suppressedBy !== undefined) decided.suppression = suppressedBy;
    return decided;
  });
  const active = findings.filter((finding) => finding.status === "non-blocking");
  const counts = countBySeverity(active);
  const failBreaches = thresholdBreaches(counts, config.failOn);
  const failingSeverities = new Set<Severity>(failBreaches.map((breach) => breach.severity));
  const warnBreaches = thresholdBreaches(counts, config.warnOn).filter(
    (breach) => !failingSeverities.has(breach.severity),
  );

  // 5. compliance
  const compliance = complianceReport(findings, FRAMEWORKS, config.compliance.gating, mapping, {
    tools: toolsThatRan(input.scanners),
  });
  const behindGatingFailure = new Set(
    compliance
      .filter((report) => report.gating)
      .flatMap((report) => report.controls.flatMap((control) => control.findings)),
  );
  for (const finding of active) {
    if (
      failingSeverities.has(finding.severity) ||
      (failsControls(finding) && behindGatingFailure.has(finding.fingerprint))
    ) {
      finding.status = "blocking";
    }
  }

  // 6. verdict, reasons most important first
  const qualifier = gateOnNewOnly && input.baseline !== undefined ? "new" : undefined;
  const scanner = scannerReasons(input.scanners, config.failOnScannerError);
  const reasons: Reason[] = [
    ...failBreaches.map((breach) => ({
      verdict: "FAIL" as const,
      message: describeBreach(breach, qualifier),
    })),
    ...checkReasons(input.checks, "fail"),
    ...scanner.filter((reason) => reason.verdict === "FAIL"),
    ...complianceReasons(compliance),
    ...warnBreaches.map((breach) => ({
      verdict: "WARN" as const,
      message: describeBreach(breach, qualifier),
    })),
    ...checkReasons(input.checks, "warn"),
    ...scanner.filter((reason) => reason.verdict === "WARN"),
    ...suppression.expired.map((expired) => ({ verdict: "WARN" as const, message: describeExpiry(expired) })),
  ];
  for (const reason of scanner) warnings.push(reason.message);

  const verdict = reasons.some((reason) => reason.verdict === "FAIL")
    ? "FAIL"
    : reasons.some((reason) => reason.verdict === "WARN")
      ? "WARN"
      : "PASS";
  return {
    verdict,
    reasons,
    findings,
    counts,
    compliance,
    checks: [...input.checks],
    scanners: [...input.scanners],
    warnings,
  };
}
