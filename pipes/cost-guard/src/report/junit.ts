/** One JUnit test per budget, per project's anomaly check, and the approval: failures are what blocked. */
import { buildJUnitXml, type JUnitTestCase } from "@pipes/reports";
import type { CostResult } from "../decision.ts";

export function renderJUnit(result: CostResult): string {
  const budgets: JUnitTestCase[] = result.budgets.map((b) => ({
    name: b.budget,
    classname: "cost-guard.budgets",
    outcome:
      b.action === "pass" ||
      b.action === "warn" ||
      (b.action === "require-approval" && result.approval?.satisfied)
        ? { status: "passed" }
        : { status: "failed", message: b.breaches.map((x) => x.message).join("; "), type: b.action },
    ...(b.action === "warn" ? { output: b.breaches.map((x) => x.message).join("\n") } : {}),
  }));
  const anomalies: JUnitTestCase[] = result.anomalies.map((a) => ({
    name: a.project,
    classname: "cost-guard.anomalies",
    outcome: a.anomaly ? { status: "failed", message: a.explanation, type: "anomaly" } : { status: "passed" },
    output: a.explanation,
  }));
  const approval: JUnitTestCase[] = result.approval
    ? [
        {
          name: "approval",
          classname: "cost-guard.approval",
          outcome: result.approval.satisfied
            ? { status: "passed" }
            : { status: "failed", message: result.approval.how.join("; "), type: "approval-required" },
        },
      ]
    : [];
  return buildJUnitXml("cost-guard", [
    { name: "cost-guard.budgets", cases: budgets },
    { name: "cost-guard.anomalies", cases: anomalies },
    { name: "cost-guard.approval", cases: approval },
  ]);
}
