/** result.json for later pipes: the decision and every figure as exact decimal strings. */
import { z } from "zod";
import type { CostResult } from "./decision.ts";
import { chargebackEntries } from "./report/chargeback.ts";

const money = z.string();
const sum = z.object({ current: money, past: money, delta: money });

export const costResultSchema = z.object({
  pipe: z.literal("cost-guard"),
  version: z.string(),
  verdict: z.enum(["PASS", "WARN", "FAIL"]),
  action: z.enum(["pass", "warn", "require-approval", "fail"]),
  currency: z.string(),
  total: sum,
  projects: z.array(sum.extend({ project: z.string(), environment: z.string().nullable() })),
  tenants: z.array(
    z.object({
      tenant: z.string().nullable(),
      monthlyCost: money,
      previousMonthlyCost: money,
      change: money,
      directCost: money,
      sharedCost: money,
      resources: z.number(),
    }),
  ),
  budgets: z.array(
    z.object({
      budget: z.string(),
      action: z.string(),
      cost: sum,
      breaches: z.array(z.string()),
      empty: z.boolean(),
    }),
  ),
  anomalies: z.array(
    z.object({ project: z.string(), anomaly: z.boolean(), runs: z.number(), explanation: z.string() }),
  ),
  approval: z
    .object({
      satisfied: z.boolean(),
      required: z.number(),
      approvedBy: z.array(z.string()),
      allowed: z.array(z.string()),
      how: z.array(z.string()),
    })
    .nullable(),
  suggestions: z.array(
    z.object({
      rule: z.string(),
      project: z.string(),
      address: z.string(),
      message: z.string(),
      monthlySaving: money.nullable(),
    }),
  ),
  reasons: z.array(z.object({ verdict: z.enum(["PASS", "WARN", "FAIL"]), message: z.string() })),
});

export type CostResultDocument = z.output<typeof costResultSchema>;

const sumText = (s: CostResult["total"]) => ({
  current: s.current.toFixed(),
  past: s.past.toFixed(),
  delta: s.delta.toFixed(),
});

export function resultDocument(result: CostResult, version: string): CostResultDocument {
  return {
    pipe: "cost-guard",
    version,
    verdict: result.verdict,
    action: result.action,
    currency: result.currency,
    total: sumText(result.total),
    projects: result.projects.map((p) => ({
      project: p.project,
      environment: p.environment ?? null,
      ...sumText(p),
    })),
    tenants: chargebackEntries(result.tenants),
    budgets: result.budgets.map((b) => ({
      budget: b.budget,
      action: b.action,
      cost: sumText(b.cost),
      breaches: b.breaches.map((x) => x.message),
      empty: b.empty,
    })),
    anomalies: result.anomalies.map((a) => ({
      project: a.project,
      anomaly: a.anomaly,
      runs: a.runs,
      explanation: a.explanation,
    })),
    approval: result.approval
      ? {
          satisfied: result.approval.satisfied,
          required: result.approval.required,
          approvedBy: result.approval.approvedBy,
          allowed: result.approval.allowed,
          how: result.approval.how,
        }
      : null,
    suggestions: result.suggestions.map((s) => ({
      rule: s.rule,
      project: s.project,
      address: s.address,
      message: s.message,
      monthlySaving: s.monthlySaving?.toFixed() ?? null,
    })),
    reasons: result.reasons,
  };
}
