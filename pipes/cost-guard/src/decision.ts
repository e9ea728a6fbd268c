/**
 * The decision over everything the pipe knows: budget verdicts, anomalies, approvals. The strictest
 * action wins; `require-approval` passes when the approvals are there and fails otherwise. Pure.
 */
import type { Verdict } from "@pipes/core";
import type { AnomalyResult } from "./anomaly.ts";
import type { ApprovalStatus } from "./approvals.ts";
import { type BudgetResult, describeScope, strictest } from "./budgets.ts";
import type { BudgetAction, CostGuardConfig } from "./config.ts";
import type { CostSum, ProjectSum, TenantCost } from "./costs.ts";
import type { Suggestion } from "./suggestions.ts";

export interface Reason {
  verdict: Verdict;
  message: string;
}

export interface CostResult {
  verdict: Verdict;
  /** The strictest action the budgets and anomalies asked for. */
  action: BudgetAction;
  currency: string;
  total: CostSum;
  projects: ProjectSum[];
  tenants: TenantCost[];
  budgets: BudgetResult[];
  anomalies: AnomalyResult[];
  /** Present when a budget or anomaly requires approval. */
  approval: ApprovalStatus | undefined;
  suggestions: Suggestion[];
  reasons: Reason[];
}

export interface DecisionInput {
  currency: string;
  total: CostSum;
  projects: ProjectSum[];
  tenants: TenantCost[];
  budgets: BudgetResult[];
  anomalies: AnomalyResult[];
  suggestions: Suggestion[];
  config: CostGuardConfig;
  /** Called only when approval is required (it may read the PR). */
  approval: ApprovalStatus | undefined;
}

const VERDICT_OF: Record<Exclude<BudgetAction, "require-approval">, Verdict> = {
  pass: "PASS",
  warn: "WARN",
  fail: "FAIL",
};

/** The action an anomaly asks for. */
export function anomalyActions(anomalies: readonly AnomalyResult[], config: CostGuardConfig): BudgetAction[] {
  return anomalies.filter((a) => a.anomaly).map(() => config.anomaly.action);
}

export function requiredAction(
  budgets: readonly BudgetResult[],
  anomalies: readonly AnomalyResult[],
  config: CostGuardConfig,
): BudgetAction {
  return strictest([...budgets.map((b) => b.action), ...anomalyActions(anomalies, config)]);
}

export function decide(input: DecisionInput): CostResult {
  const action = requiredAction(input.budgets, input.anomalies, input.config);
  const reasons: Reason[] = [];
  for (const budget of input.budgets) {
    if (budget.action === "pass") continue;
    const verdict: Verdict =
      budget.action === "require-approval"
        ? input.approval?.satisfied
          ? "PASS"
          : "FAIL"
        : VERDICT_OF[budget.action];
    for (const breach of budget.breaches)
      reasons.push({
        verdict,
        message: `budget "${budget.budget}" (${describeScope(budget.scope)}): ${breach.message} → ${budget.action}`,
      });
  }
  for (const anomaly of input.anomalies.filter((a) => a.anomaly)) {
    const a = input.config.anomaly.action;
    const verdict: Verdict =
      a === "require-approval" ? (input.approval?.satisfied ? "PASS" : "FAIL") : VERDICT_OF[a];
    reasons.push({ verdict, message: `anomaly in "${anomaly.project}": ${anomaly.explanation} → ${a}` });
  }
  let verdict: Verdict;
  if (action === "require-approval") {
    const approval = input.approval;
    verdict = approval?.satisfied ? "PASS" : "FAIL";
    reasons.unshift(
      approval?.satisfied
        ? { verdict: "PASS", message: `approval required and given by ${approval.approvedBy.join(", ")}` }
        : {
            verdict: "FAIL",
            message: `approval required: ${approval?.approvedBy.length ?? 0} of ${approval?.required ?? 1} allowed approvals; ${approval?.how[0] ?? "approve the PR"}`,
          },
    );
  } else verdict = VERDICT_OF[action];
  return {
    verdict,
    action,
    currency: input.currency,
    total: input.total,
    projects: input.projects,
    tenants: input.tenants,
    budgets: input.budgets,
    anomalies: input.anomalies,
    approval: input.approval,
    suggestions: input.suggestions,
    reasons: reasons.sort((a, b) => order(a.verdict) - order(b.verdict)),
  };
}

const order = (v: Verdict) => ({ FAIL: 0, WARN: 1, PASS: 2 })[v];
