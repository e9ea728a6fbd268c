/**
 * Budget verdicts: each budget of `.cost-guard.yml` sums the cost lines in its scope and checks its
 * monthly ceiling and increase thresholds. A budget that is broken applies its action; the
 * strictest action of all budgets (and of the anomaly check) is the decision. Pure.
 */
import picomatch from "picomatch";
import type { Budget, BudgetAction } from "./config.ts";
import { type CostLine, type CostSum, sumLines } from "./costs.ts";
import { type Decimal, formatDelta, formatMoney } from "./money.ts";

const STRICTNESS: Record<BudgetAction, number> = { pass: 0, warn: 1, "require-approval": 2, fail: 3 };

export function strictest(actions: Iterable<BudgetAction>): BudgetAction {
  let result: BudgetAction = "pass";
  for (const action of actions) if (STRICTNESS[action] > STRICTNESS[result]) result = action;
  return result;
}

export interface BudgetBreach {
  limit: "monthly" | "increase.absolute" | "increase.percent";
  message: string;
}

export interface BudgetResult {
  budget: string;
  scope: Budget["scope"];
  /** The budget's action when broken, else pass. */
  action: BudgetAction;
  cost: CostSum;
  /** Percent change, undefined when the cost before was zero. */
  percent: Decimal | undefined;
  breaches: BudgetBreach[];
  /** No cost line is in the budget's scope. */
  empty: boolean;
}

export function linesInScope(lines: readonly CostLine[], scope: Budget["scope"]): CostLine[] {
  const project = scope.project ? picomatch(scope.project, { dot: true }) : undefined;
  return lines.filter(
    (l) =>
      (scope.environment === undefined || l.environment === scope.environment) &&
      (scope.provider === undefined || l.provider === scope.provider) &&
      (scope.tenant === undefined || l.tenant === scope.tenant) &&
      (project === undefined || project(l.project)),
  );
}

export function describeScope(scope: Budget["scope"]): string {
  const parts = Object.entries(scope).map(([k, v]) => `${k} ${v}`);
  return parts.length ? parts.join(", ") : "all projects";
}

/** One budget against the cost lines. */
export function budgetVerdict(budget: Budget, lines: readonly CostLine[], currency: string): BudgetResult {
  const inScope = linesInScope(lines, budget.scope);
  const cost = sumLines(inScope);
  const percent = cost.past.isZero() ? undefined : cost.delta.dividedBy(cost.past).times(100);
  const breaches: BudgetBreach[] = [];
  const money = (d: Decimal) => formatMoney(d, currency);
  if (budget.monthly !== undefined && cost.current.greaterThan(budget.monthly))
    breaches.push({
      limit: "monthly",
      message: `monthly cost ${money(cost.current)} is over the ceiling of ${money(budget.monthly)} by ${money(cost.current.minus(budget.monthly))}`,
    });
  const absolute = budget.increase?.absolute;
  if (absolute !== undefined && cost.delta.greaterThan(absolute))
    breaches.push({
      limit: "increase.absolute",
      message: `the change adds ${formatDelta(cost.delta, currency)} a month, more than the allowed ${money(absolute)}`,
    });
  const maxPercent = budget.increase?.percent;
  if (maxPercent && percent?.greaterThan(maxPercent))
    breaches.push({
      limit: "increase.percent",
      message: `the change raises the monthly cost by ${percent.toDecimalPlaces(1).toFixed(1)}% (${money(cost.past)} → ${money(cost.current)}), more than the allowed ${maxPercent.toFixed()}%`,
    });
  return {
    budget: budget.name,
    scope: budget.scope,
    action: breaches.length ? budget.action : "pass",
    cost,
    percent,
    breaches,
    empty: inScope.length === 0,
  };
}

export function budgetVerdicts(
  budgets: readonly Budget[],
  lines: readonly CostLine[],
  currency: string,
): BudgetResult[] {
  return budgets.map((b) => budgetVerdict(b, lines, currency));
}
