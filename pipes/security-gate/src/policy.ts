/**
 * Severity thresholds: how many active findings of each severity the gate tolerates. A threshold
 * of N is exceeded when there are more than N, so `critical: 0` means "any CRITICAL fails".
 */

import type { SeverityThresholds } from "./config.ts";
import { SEVERITIES, type Severity } from "./findings.ts";

export type SeverityCounts = Record<Severity, number>;

export interface ThresholdBreach {
  severity: Severity;
  count: number;
  threshold: number;
}

export function emptyCounts(): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFO: 0 };
}

export function countBySeverity(findings: Iterable<{ severity: Severity }>): SeverityCounts {
  const counts = emptyCounts();
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

/** The severities whose count is over their threshold, most severe first. */
export function thresholdBreaches(counts: SeverityCounts, thresholds: SeverityThresholds): ThresholdBreach[] {
  const breaches: ThresholdBreach[] = [];
  for (const severity of SEVERITIES) {
    const threshold = thresholds[severity];
    if (threshold !== undefined && counts[severity] > threshold) {
      breaches.push({ severity, count: counts[severity], threshold });
    }
  }
  return breaches;
}

/** "2 new CRITICAL findings (threshold: 0)": `qualifier` is "new" when only new findings count. */
export function describeBreach(breach: ThresholdBreach, qualifier?: string): string {
  const noun = breach.count === 1 ? "finding" : "findings";
  const what = qualifier === undefined ? breach.severity : `${qualifier} ${breach.severity}`;
  return `${breach.count} ${what} ${noun} (threshold: ${breach.threshold})`;
}
