/**
 * The destructive-change guard: a delete or replace of a protected resource type, or any delete or
 * replace in a protected environment, is blocked unless ALLOW_DESTROY is set or the pull request has
 * enough approvals. Pure.
 */
import type { PlanAnalysis } from "@pipes/terraform";
import type { GuardPolicy } from "./settings.ts";
import { resourceShape } from "./validation.ts";

export interface DestructiveChange {
  address: string;
  /** The cloud resource type (for terraform_data stand-ins, its input's resource_type). */
  kind: string;
  action: "delete" | "replace";
  /** Why it is protected. */
  protectedBy: string;
  actionReason?: string;
}

export interface GuardDecision {
  destructive: DestructiveChange[];
  /** "blocked" when protected changes exist and nothing allows them. */
  status: "none" | "allowed" | "blocked";
  /** What allowed them, or what would. */
  reason: string;
}

export interface GuardAllowance {
  allowDestroy: boolean;
  /** Approvals the PR needs (0: approvals never allow). */
  approvalsNeeded: number;
  /** Approvals the PR has; undefined when not a PR or not known. */
  approvals: number | undefined;
}

export function protectedChanges(
  analysis: PlanAnalysis,
  environment: string,
  policy: GuardPolicy,
): DestructiveChange[] {
  const found: DestructiveChange[] = [];
  for (const change of analysis.changes) {
    if (change.action !== "delete" && change.action !== "replace") continue;
    const kind = resourceShape(change).kind;
    const protectedBy = policy.protected_environments.includes(environment)
      ? `environment ${environment} is protected`
      : policy.protected_types.includes(kind)
        ? `type ${kind} is protected`
        : undefined;
    if (!protectedBy) continue;
    found.push({
      address: change.address,
      kind,
      action: change.action,
      protectedBy,
      ...(change.actionReason ? { actionReason: change.actionReason } : {}),
    });
  }
  return found;
}

export function guardDecision(destructive: DestructiveChange[], allowance: GuardAllowance): GuardDecision {
  if (destructive.length === 0)
    return { destructive, status: "none", reason: "no protected delete or replace" };
  if (allowance.allowDestroy) return { destructive, status: "allowed", reason: "ALLOW_DESTROY=true" };
  if (allowance.approvalsNeeded > 0 && (allowance.approvals ?? 0) >= allowance.approvalsNeeded)
    return {
      destructive,
      status: "allowed",
      reason: `the PR has ${allowance.approvals} approvals (${allowance.approvalsNeeded} needed)`,
    };
  const how =
    allowance.approvalsNeeded > 0
      ? `set ALLOW_DESTROY=true or get ${allowance.approvalsNeeded} approvals on the PR (it has ${allowance.approvals ?? 0})`
      : "set ALLOW_DESTROY=true for this run";
  return { destructive, status: "blocked", reason: `${destructive.length} protected delete/replace: ${how}` };
}
