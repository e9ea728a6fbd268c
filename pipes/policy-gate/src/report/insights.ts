/**
 * The decision as a Code Insights report (type SECURITY) and annotations at the Terraform source
 * line of each violation's resource (or on the input file when the resource is not found), most
 * important first; the client cuts them to the API's limits.
 */
import { isAbsolute } from "node:path";
import type { AnnotationSeverity, InsightAnnotation, InsightReport } from "@pipes/bitbucket";
import type { Severity } from "../findings.ts";
import type { GateRun } from "../gate.ts";

export const INSIGHTS_REPORT_ID = "policy-gate";

const SEVERITIES: Record<Severity, AnnotationSeverity> = {
  CRITICAL: "CRITICAL",
  HIGH: "HIGH",
  MEDIUM: "MEDIUM",
  LOW: "LOW",
  INFO: "LOW",
};

export function renderInsightsReport(run: GateRun): InsightReport {
  const { decision } = run;
  return {
    id: INSIGHTS_REPORT_ID,
    title: "Policy gate",
    type: "SECURITY",
    reporter: "policy-gate",
    result: decision.verdict === "FAIL" ? "FAILED" : "PASSED",
    details: `${decision.verdict}: ${decision.reasons[0]?.message ?? "no policy violations"}. ${run.policies.length} policies over ${run.inputs.length} inputs.`,
    data: [
      { title: "Blocking", type: "NUMBER", value: decision.counts.blocking },
      { title: "Overridden", type: "NUMBER", value: decision.counts.overridden },
      { title: "Advisory", type: "NUMBER", value: decision.counts.advisory },
      { title: "Excepted", type: "NUMBER", value: decision.counts.excepted },
      { title: "Policies", type: "NUMBER", value: run.policies.length },
    ],
  };
}

export function renderInsightsAnnotations(run: GateRun): InsightAnnotation[] {
  return run.decision.violations.map((v) => ({
    id: `policy-gate-${v.policyId}-${v.resource ?? v.input}`.replace(/[^\w.-]+/g, "-").slice(0, 200),
    summary: `${v.policyId}: ${v.message}`,
    details: [
      `${v.status} (${v.enforcement})`,
      v.remediation ? `Fix: ${v.remediation}` : "",
      v.exception
        ? `Exception by ${v.exception.owner} until ${v.exception.expires.toISOString().slice(0, 10)}: ${v.exception.reason}`
        : "",
    ]
      .filter(Boolean)
      .join(". "),
    type: "VULNERABILITY",
    severity: SEVERITIES[v.severity],
    result: v.status === "blocking" ? "FAILED" : v.status === "excepted" ? "IGNORED" : "PASSED",
    ...(v.location?.file || !isAbsolute(v.input) ? { path: v.location?.file ?? v.input } : {}),
    ...(v.location?.startLine ? { line: v.location.startLine } : {}),
  }));
}
