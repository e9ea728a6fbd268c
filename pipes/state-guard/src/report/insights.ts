/** The Code Insights report on the commit: the verdict, its reasons, and the figures of the mode. */
import type { InsightReport, ReportDatum } from "@pipes/bitbucket";
import type { GuardResult } from "../result.ts";

export const INSIGHTS_REPORT_ID = "state-guard";

export function renderInsightsReport(result: GuardResult): InsightReport {
  const data: ReportDatum[] = [{ title: "Mode", type: "TEXT", value: result.mode }];
  const version = result.backup?.version ?? result.restore?.version;
  if (version) {
    data.push({ title: "Serial", type: "NUMBER", value: version.serial });
    data.push({ title: "Lineage", type: "TEXT", value: version.lineage });
  }
  if (result.backup)
    data.push({ title: "New version", type: "BOOLEAN", value: result.backup.status === "created" });
  if (result.retention)
    data.push({
      title: result.retention.dryRun ? "Would remove" : "Removed",
      type: "NUMBER",
      value: result.retention.dryRun ? result.retention.remove.length : result.retention.removed.length,
    });
  if (result.versions) data.push({ title: "Versions", type: "NUMBER", value: result.versions.length });
  if (result.audit) {
    data.push({ title: "Intact", type: "NUMBER", value: result.audit.ok });
    data.push({ title: "Problems", type: "NUMBER", value: result.audit.problems.length });
  }
  if (result.locks) {
    data.push({ title: "Locks held", type: "NUMBER", value: result.locks.length });
    data.push({ title: "Stale locks", type: "NUMBER", value: result.locks.filter((l) => l.stale).length });
  }
  if (result.drift)
    data.push({
      title: "Drifted resources",
      type: "NUMBER",
      value: result.drift.reduce((n, t) => n + t.drifted.length, 0),
    });
  return {
    id: INSIGHTS_REPORT_ID,
    title: "State guard",
    reporter: "state-guard",
    type: "TEST",
    result: result.verdict === "FAIL" ? "FAILED" : "PASSED",
    details: result.reasons
      .map((r) => `${r.verdict}: ${r.message}`)
      .join("\n")
      .slice(0, 2000),
    data: data.slice(0, 10),
  };
}
