/** The Code Insights report on the commit: the verdict and the cost figures as data fields. */
import type { InsightReport, ReportDatum } from "@pipes/bitbucket";
import type { CostResult } from "../decision.ts";
import { formatDelta, formatMoney } from "../money.ts";

export const INSIGHTS_REPORT_ID = "cost-guard";

export function renderInsightsReport(result: CostResult): InsightReport {
  const c = result.currency;
  const data: ReportDatum[] = [
    { title: "Monthly cost", type: "TEXT", value: formatMoney(result.total.current, c) },
    { title: "Change", type: "TEXT", value: formatDelta(result.total.delta, c) },
    {
      title: "Budgets broken",
      type: "NUMBER",
      value: result.budgets.filter((b) => b.action !== "pass").length,
    },
    { title: "Anomalies", type: "NUMBER", value: result.anomalies.filter((a) => a.anomaly).length },
  ];
  if (result.approval) data.push({ title: "Approved", type: "BOOLEAN", value: result.approval.satisfied });
  return {
    id: INSIGHTS_REPORT_ID,
    title: "Cost guard",
    reporter: "cost-guard",
    type: "TEST",
    result: result.verdict === "FAIL" ? "FAILED" : "PASSED",
    details: result.reasons.length
      ? result.reasons.map((r) => `${r.verdict}: ${r.message}`).join("\n")
      : `Monthly cost ${formatMoney(result.total.current, c)} (${formatDelta(result.total.delta, c)}); no budget broken.`,
    data,
  };
}
