/** One verdict over every target: a failed plan, a blocked guard or (enforced) validation fails. Pure. */
import type { Verdict } from "@pipes/core";
import { addCounts, countsText, emptyCounts } from "@pipes/terraform";
import type { TargetOutcome } from "./result.ts";

export interface RunVerdict {
  verdict: Verdict;
  summary: string;
  reasons: string[];
  /** A target's tool failed: exit 3 rather than 1. */
  toolFailed: boolean;
}

export function runVerdict(
  outcomes: readonly TargetOutcome[],
  validation: "enforce" | "warn" | "off",
): RunVerdict {
  const fail: string[] = [];
  const warn: string[] = [];
  for (const outcome of outcomes) {
    const name = outcome.target.name;
    if (outcome.status === "failed") fail.push(`${name}: ${outcome.error ?? "failed"}`);
    if (outcome.guard?.status === "blocked") fail.push(`${name}: ${outcome.guard.reason}`);
    const problems = outcome.validation?.length ?? 0;
    if (problems > 0 && validation !== "off")
      (validation === "enforce" ? fail : warn).push(
        `${name}: ${problems} tag/region/naming problem${problems === 1 ? "" : "s"}`,
      );
  }
  const totals = outcomes.reduce((sum, o) => (o.counts ? addCounts(sum, o.counts) : sum), emptyCounts());
  const what = `${outcomes.length} target${outcomes.length === 1 ? "" : "s"} (${outcomes.map((o) => o.target.name).join(", ")}): ${countsText(totals)}`;
  const verdict: Verdict = fail.length > 0 ? "FAIL" : warn.length > 0 ? "WARN" : "PASS";
  return {
    verdict,
    summary: fail[0] ?? warn[0] ?? what,
    reasons: [...fail, ...warn],
    toolFailed: outcomes.some((o) => o.status === "failed"),
  };
}
