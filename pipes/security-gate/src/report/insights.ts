/**
 * GateResult → a Bitbucket Code Insights report and its annotations, as @pipes/bitbucket's domain
 * types. The client maps them to the wire (field names, absolute links, text and data-field limits,
 * batches of 100) in `toWireReport` and `toWireAnnotation`; this file decides only what they say.
 */
import { createHash } from "node:crypto";
import {
  type AnnotationResult,
  type AnnotationSeverity,
  type AnnotationType,
  CODE_INSIGHTS_LIMITS,
  type InsightAnnotation,
  type InsightReport,
  type ReportDatum,
  type ReportResult,
} from "@pipes/bitbucket";
import type { Verdict } from "@pipes/core";
import { printableText, webLink } from "@pipes/reports";
import type { Severity } from "../findings.ts";
import type { FindingStatus, GateFinding, GateResult } from "../gate.ts";
import { mostImportantFirst } from "./importance.ts";
import { reportedBy, scannerLabel } from "./labels.ts";

export interface InsightsOptions {
  /** The report's id for this commit. Default "security-gate". */
  externalId?: string;
  /** Where the full results are, such as the pipeline step's URL. */
  link?: string;
}

const REPORTER = "security-gate";

/** Annotation ids are `security-gate-<fingerprint>`: a later run reads fingerprints back from them. */
export const ANNOTATION_ID_PREFIX = `${REPORTER}-`;
/** The Code Insights report id of this pipe on a commit. */
export const INSIGHTS_REPORT_ID = REPORTER;
const TITLE = "Security gate";

/** WARN passes: the gate let the change through; the details say what to look at. */
const REPORT_RESULTS: Record<Verdict, ReportResult> = { PASS: "PASSED", WARN: "PASSED", FAIL: "FAILED" };

const ANNOTATION_SEVERITIES: Record<Severity, AnnotationSeverity> = {
  CRITICAL: "CRITICAL",
  HIGH: "HIGH",
  MEDIUM: "MEDIUM",
  LOW: "LOW",
  INFO: "LOW",
};

const ANNOTATION_RESULTS: Record<FindingStatus, AnnotationResult> = {
  blocking: "FAILED",
  "non-blocking": "PASSED",
  baseline: "PASSED",
  suppressed: "IGNORED",
};

const VERDICT_DETAILS: Record<Verdict, string> = {
  PASS: "✅ Passed",
  WARN: "⚠️ Passed with warnings",
  FAIL: "❌ Failed",
};

/** The report to PUT on the commit. */
export function renderInsightsReport(result: GateResult, options: InsightsOptions = {}): InsightReport {
  const reasons = result.reasons.map((reason) => reason.message);
  const explanation = reasons.length > 0 ? reasons.join("; ") : "no findings above the thresholds";
  return {
    ...reportHeader(options),
    details: plain(`${VERDICT_DETAILS[result.verdict]}: ${explanation}.`),
    result: REPORT_RESULTS[result.verdict],
    data: reportData(result),
  };
}

/** A report saying the gate is running, to PUT before the scanners start; the final one replaces it. */
export function renderPendingInsightsReport(options: InsightsOptions = {}): InsightReport {
  return { ...reportHeader(options), details: "Scanning…", result: "PENDING", data: [] };
}

function reportHeader(options: InsightsOptions): Omit<InsightReport, "details" | "result" | "data"> {
  const link = webLink(options.link);
  return {
    id: options.externalId ?? INSIGHTS_REPORT_ID,
    title: TITLE,
    reporter: REPORTER,
    type: "SECURITY",
    ...(link ? { link } : {}),
  };
}

function reportData(result: GateResult): ReportDatum[] {
  const blocking = result.findings.filter((finding) => finding.status === "blocking").length;
  const suppressed = result.findings.filter((finding) => finding.status === "suppressed").length;
  const scanners = result.scanners
    .map((scanner) =>
      scanner.status === "ok" ? scannerLabel(scanner) : `${scannerLabel(scanner)} (${scanner.status})`,
    )
    .join(", ");
  return [
    { title: "Verdict", type: "TEXT", value: result.verdict },
    { title: "Blocking findings", type: "NUMBER", value: blocking },
    { title: "Critical", type: "NUMBER", value: result.counts.CRITICAL },
    { title: "High", type: "NUMBER", value: result.counts.HIGH },
    { title: "Medium", type: "NUMBER", value: result.counts.MEDIUM },
    { title: "Low", type: "NUMBER", value: result.counts.LOW },
    { title: "Info", type: "NUMBER", value: result.counts.INFO },
    { title: "Suppressed", type: "NUMBER", value: suppressed },
    { title: "Scanners", type: "TEXT", value: plain(scanners || "none") },
  ];
}

/**
 * The annotations to POST: blocking findings first, then by severity, at most the 1,000 a report
 * can hold. The cut is made here because the client's `selectAnnotations` would cut by severity
 * alone, dropping blocking LOW findings for baseline or suppressed CRITICAL ones.
 */
export function renderInsightsAnnotations(result: GateResult): InsightAnnotation[] {
  const usedIds = new Set<string>();
  return mostImportantFirst(result.findings)
    .slice(0, CODE_INSIGHTS_LIMITS.annotationsPerReport)
    .map((finding) => annotation(finding, uniqueId(finding, usedIds)));
}

function annotation(finding: GateFinding, id: string): InsightAnnotation {
  const link = webLink(finding.helpUri);
  const line = finding.location?.startLine;
  return {
    id,
    type: annotationType(finding),
    ...(finding.location ? { path: finding.location.file } : {}),
    ...(line !== undefined ? { line } : {}),
    summary: plain(`${finding.ruleId}: ${finding.title || finding.message}`),
    details: plain(annotationDetails(finding)),
    result: ANNOTATION_RESULTS[finding.status],
    severity: ANNOTATION_SEVERITIES[finding.severity],
    ...(link ? { link } : {}),
  };
}

function annotationDetails(finding: GateFinding): string {
  return [
    finding.message || finding.title,
    finding.resource ? `Resource: ${finding.resource}` : "",
    `Reported by: ${reportedBy(finding)}`,
    finding.status === "suppressed" && finding.suppression
      ? `Suppressed (${finding.suppression.id}): ${finding.suppression.reason}`
      : "",
    finding.status === "baseline" ? "Already in the baseline." : "",
    finding.controls.length > 0
      ? `Controls: ${finding.controls.map((control) => `${control.framework} ${control.control}`).join(", ")}`
      : "",
  ]
    .filter(Boolean)
    .join("\n");
}

/**
 * Semgrep registry rule ids name their category (`python.lang.correctness.…`,
 * `….best-practice.…`, `….security.…`); other code findings, and every misconfiguration, secret and
 * vulnerability, are vulnerabilities.
 */
function annotationType(finding: GateFinding): AnnotationType {
  if (finding.category !== "code") return "VULNERABILITY";
  const segments = finding.ruleId.split(".");
  if (segments.includes("security")) return "VULNERABILITY";
  if (segments.includes("correctness")) return "BUG";
  if (
    segments.some((segment) => ["best-practice", "maintainability", "performance", "style"].includes(segment))
  ) {
    return "CODE_SMELL";
  }
  return "VULNERABILITY";
}

/**
 * Bitbucket updates an annotation with the same external id in place (and the client drops repeats),
 * so ids must be unique in the report and stable across runs: the finding's fingerprint, hashed when
 * long, numbered on a clash.
 */
function uniqueId(finding: GateFinding, usedIds: Set<string>): string {
  const fingerprint =
    finding.fingerprint.length <= 64
      ? finding.fingerprint
      : createHash("sha256").update(finding.fingerprint).digest("hex");
  const base = `${ANNOTATION_ID_PREFIX}${fingerprint}`;
  let id = base;
  for (let n = 2; usedIds.has(id); n += 1) id = `${base}-${n}`;
  usedIds.add(id);
  return id;
}

/** Scanner output carries colour codes and control characters; the wire mapping shortens the rest. */
function plain(text: string): string {
  return printableText(text).trim();
}
