/**
 * Violations → the gate's decision. Pure: `now` is an argument.
 *
 * Each violation gets one status, by its policy's enforcement level (the config's level over the
 * policy's own METADATA) and the exceptions of the config:
 * - `excepted`: an unexpired exception covers it (it is reported, it does not fail);
 * - `advisory`: its policy is advisory (a warning);
 * - `overridden`: soft-mandatory and `APPROVED_BY` names who approved the override (a warning);
 * - `blocking`: hard-mandatory, or soft-mandatory without an approval (fails the gate).
 * An expired exception no longer applies: the violation is enforced again, with a warning.
 */
import type { Verdict } from "@pipes/core";
import picomatch from "picomatch";
import type { GateConfig, PolicyException } from "./config.ts";
import type { ConftestException, EnforcementLevel, Policy, Violation } from "./findings.ts";
import { severityRank } from "./findings.ts";

export type ViolationStatus = "blocking" | "overridden" | "advisory" | "excepted";

export interface JudgedViolation extends Violation {
  status: ViolationStatus;
  enforcement: EnforcementLevel;
  /** The exception that covers it. */
  exception?: PolicyException;
}

export interface Reason {
  verdict: Verdict;
  message: string;
}

export interface GateDecision {
  verdict: Verdict;
  reasons: Reason[];
  violations: JudgedViolation[];
  warnings: string[];
  counts: Record<ViolationStatus, number>;
}

export interface DecisionInput {
  policies: readonly Policy[];
  violations: readonly Violation[];
  conftestExceptions: readonly ConftestException[];
  config: GateConfig;
  approvedBy: string | undefined;
  now: Date;
}

/** The config's level for a policy id: an exact id first, then the first glob that matches. */
export function enforcementOf(policy: Policy, overrides: Record<string, EnforcementLevel>): EnforcementLevel {
  const exact = overrides[policy.id];
  if (exact) return exact;
  for (const [pattern, level] of Object.entries(overrides))
    if (picomatch.isMatch(policy.id, pattern)) return level;
  return policy.enforcement;
}

function covers(exception: PolicyException, violation: Violation): boolean {
  if (!picomatch.isMatch(violation.policyId, exception.policy)) return false;
  if (
    exception.resource &&
    !(violation.resource && picomatch.isMatch(violation.resource, exception.resource))
  )
    return false;
  if (exception.input && !picomatch.isMatch(violation.input, exception.input)) return false;
  return true;
}

/** An exception applies through the whole of its `expires` day (UTC). */
export function isExpired(exception: PolicyException, now: Date): boolean {
  return now.getTime() >= exception.expires.getTime() + 24 * 60 * 60 * 1000;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

export function decide(input: DecisionInput): GateDecision {
  const { config, now } = input;
  const byId = new Map(input.policies.map((p) => [p.id, p]));
  const warnings: string[] = [];
  const expiredSeen = new Set<PolicyException>();
  const violations: JudgedViolation[] = input.violations.map((violation) => {
    const policy = byId.get(violation.policyId);
    const enforcement = policy ? enforcementOf(policy, config.enforcement) : "hard-mandatory";
    const matching = config.exceptions.filter((e) => covers(e, violation));
    const active = matching.find((e) => !isExpired(e, now));
    for (const expired of matching.filter((e) => isExpired(e, now))) {
      if (!active && !expiredSeen.has(expired)) {
        expiredSeen.add(expired);
        warnings.push(
          `exception for ${expired.policy}${expired.resource ? ` on ${expired.resource}` : ""} (owner ${expired.owner}) expired on ${day(expired.expires)}: the policy is enforced again`,
        );
      }
    }
    if (active) return { ...violation, enforcement, status: "excepted", exception: active };
    const status: ViolationStatus =
      enforcement === "advisory" || policy?.kind === "warn"
        ? "advisory"
        : enforcement === "soft-mandatory" && input.approvedBy
          ? "overridden"
          : "blocking";
    return { ...violation, enforcement, status };
  });
  violations.sort(
    (a, b) =>
      statusRank(a.status) - statusRank(b.status) ||
      severityRank(a.severity) - severityRank(b.severity) ||
      a.policyId.localeCompare(b.policyId) ||
      (a.resource ?? a.input).localeCompare(b.resource ?? b.input),
  );
  const counts: Record<ViolationStatus, number> = { blocking: 0, overridden: 0, advisory: 0, excepted: 0 };
  for (const v of violations) counts[v.status] += 1;

  const reasons: Reason[] = [];
  const policiesWith = (status: ViolationStatus) => [
    ...new Set(violations.filter((v) => v.status === status).map((v) => v.policyId)),
  ];
  const hard = violations.filter((v) => v.status === "blocking" && v.enforcement !== "soft-mandatory");
  const soft = violations.filter((v) => v.status === "blocking" && v.enforcement === "soft-mandatory");
  if (hard.length > 0)
    reasons.push({
      verdict: "FAIL",
      message: `${hard.length} hard-mandatory violation${hard.length === 1 ? "" : "s"} (${[...new Set(hard.map((v) => v.policyId))].join(", ")})`,
    });
  if (soft.length > 0)
    reasons.push({
      verdict: "FAIL",
      message: `${soft.length} soft-mandatory violation${soft.length === 1 ? "" : "s"} without an approval (${[...new Set(soft.map((v) => v.policyId))].join(", ")}); an approver can override them by running the manual step with APPROVED_BY`,
    });
  if (counts.overridden > 0)
    reasons.push({
      verdict: "WARN",
      message: `${counts.overridden} soft-mandatory violation${counts.overridden === 1 ? "" : "s"} overridden by ${input.approvedBy} (${policiesWith("overridden").join(", ")})`,
    });
  if (counts.advisory > 0)
    reasons.push({
      verdict: "WARN",
      message: `${counts.advisory} advisory violation${counts.advisory === 1 ? "" : "s"} (${policiesWith("advisory").join(", ")})`,
    });
  if (expiredSeen.size > 0)
    reasons.push({
      verdict: "WARN",
      message: `${expiredSeen.size} expired exception${expiredSeen.size === 1 ? "" : "s"}`,
    });
  const verdict: Verdict = reasons.some((r) => r.verdict === "FAIL")
    ? "FAIL"
    : reasons.some((r) => r.verdict === "WARN")
      ? "WARN"
      : "PASS";
  if (input.conftestExceptions.length > 0)
    warnings.push(
      `${input.conftestExceptions.length} input${input.conftestExceptions.length === 1 ? " was" : "s were"} exempted by Conftest \`exception\` rules`,
    );
  return { verdict, reasons, violations, warnings, counts };
}

function statusRank(status: ViolationStatus): number {
  return ["blocking", "overridden", "advisory", "excepted"].indexOf(status);
}
