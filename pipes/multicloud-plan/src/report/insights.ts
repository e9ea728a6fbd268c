/** The Code Insights report of the commit: verdict, totals, one data field per target. */
import { createHash } from "node:crypto";
import type { InsightAnnotation, InsightReport, ReportDatum } from "@pipes/bitbucket";
import { countsText } from "@pipes/terraform";
import type { RunResult } from "../result.ts";

export const INSIGHTS_REPORT_ID = "multicloud-plan";

export function renderInsightsReport(result: RunResult): InsightReport {
  const data: ReportDatum[] = [
    { title: "To create", type: "NUMBER", value: result.totals.create },
    { title: "To update", type: "NUMBER", value: result.totals.update },
    { title: "To replace", type: "NUMBER", value: result.totals.replace },
    { title: "To delete", type: "NUMBER", value: result.totals.delete },
    ...result.targets.slice(0, 6).map(
      (o): ReportDatum => ({
        title: o.target.name,
        type: "TEXT",
        value: o.status === "failed" ? "plan failed" : countsText(o.counts ?? result.totals),
      }),
    ),
  ];
  return {
    id: INSIGHTS_REPORT_ID,
    title: "Multi-cloud plan",
    details: result.summary,
    type: "BUG",
    result: result.verdict === "FAIL" ? "FAILED" : "PASSED",
    reporter: "multicloud-plan",
    data,
  };
}

/** Stable per check, target and resource, so a re-run replaces rather than duplicates. */
function annotationId(check: string, target: string, address: string): string {
  return `multicloud-plan-${createHash("sha256").update(`${check}\0${target}\0${address}`).digest("hex").slice(0, 32)}`;
}

/** One annotation per blocked destructive change and per validation problem (on the report: a plan has no source line). */
export function renderInsightsAnnotations(result: RunResult): InsightAnnotation[] {
  const annotations: InsightAnnotation[] = [];
  for (const o of result.targets) {
    for (const change of o.guard?.status === "blocked" ? o.guard.changes : [])
      annotations.push({
        id: annotationId("guard", o.target.name, change.address),
        summary: `${o.target.name}: ${change.action} of ${change.address} is blocked (${change.protectedBy})`,
        type: "BUG",
        severity: "HIGH",
        result: "FAILED",
      });
    for (const problem of o.validation ?? [])
      annotations.push({
        id: annotationId(problem.check, o.target.name, problem.address),
        summary: `${o.target.name}: ${problem.address}: ${problem.message}`,
        type: "CODE_SMELL",
        severity: "MEDIUM",
        result: "FAILED",
      });
  }
  return annotations;
}
