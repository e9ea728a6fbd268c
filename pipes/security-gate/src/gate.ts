/**
 * The gate's result: what the decision engine produces and every report renders. Plain data only.
 */
import type { Verdict } from "@pipes/core";
import type { ControlRef, Finding, Framework, Severity } from "./findings.ts";

export interface Suppression {
  id: string;
  /** Rule id or glob of rule ids this suppression applies to. */
  rule?: string;
  /** Glob of repository paths. */
  path?: string;
  fingerprint?: string;
  reason: string;
  /** ISO date; after it the suppression no longer applies (with a warning). */
  expires?: string;
}

/**
 * - blocking: counts towards a fail threshold and is shown as a failure;
 * - non-blocking: reported, below the thresholds (or not new with NEW_ONLY... see `baseline`);
 * - baseline: already present in the baseline, so not new (NEW_ONLY);
 * - suppressed: matched an active suppression.
 */
export type FindingStatus = "blocking" | "non-blocking" | "baseline" | "suppressed";

export interface GateFinding extends Finding {
  status: FindingStatus;
  suppression?: Suppression;
}

export interface Reason {
  verdict: Verdict;
  message: string;
}

export interface ControlResult {
  framework: Framework;
  control: string;
  title?: string;
  status: "passed" | "failed";
  /** Fingerprints of the active findings behind a failure. */
  findings: string[];
}

export interface FrameworkReport {
  framework: Framework;
  /** Picked by COMPLIANCE_FRAMEWORKS: a failed control fails the gate. */
  gating: boolean;
  checked: number;
  passed: number;
  failed: number;
  controls: ControlResult[];
}

export type CheckStatus = "pass" | "warn" | "fail" | "skipped";

export interface ZeroTrustCheck {
  name: "signed-commits" | "oidc";
  status: CheckStatus;
  message: string;
  details: string[];
}

export interface ScannerRun {
  tool: string;
  version?: string;
  status: "ok" | "failed" | "skipped" | "ingested";
  findings: number;
  durationMs: number;
  error?: string;
  /** The report file an ingested run came from. */
  report?: string;
}

export interface GateResult {
  verdict: Verdict;
  /** Most important first. */
  reasons: Reason[];
  findings: GateFinding[];
  counts: Record<Severity, number>;
  compliance: FrameworkReport[];
  checks: ZeroTrustCheck[];
  scanners: ScannerRun[];
  /** Warnings for the log and reports: expired suppressions, skipped scanners, ... */
  warnings: string[];
}

export type { ControlRef };
