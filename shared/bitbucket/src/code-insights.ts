/**
 * Code Insights reports and annotations as pipes describe them, and their wire form: the one place
 * where the domain meets Bitbucket's field names, enums and limits. Pure.
 *
 * Enums are the spec's (`report`, `report_annotation` in spec/bitbucket-openapi.yaml). Limits the
 * spec does not declare are the ones the API enforces: 1000 annotations per report and 100 per
 * request (the bulk endpoint's description), 10 data fields (the `data` description), 450 characters
 * of annotation summary and 2000 of report details (the API's 400 answers: "The summary field cannot
 * contain more than 450 characters", "The details field cannot contain more than 2000 characters").
 * The title and annotation details limits are not documented; they are assumed to match the others.
 */
import { createHash } from "node:crypto";

export const REPORT_TYPES = ["SECURITY", "COVERAGE", "TEST", "BUG"] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

export const REPORT_RESULTS = ["PASSED", "FAILED", "PENDING"] as const;
export type ReportResult = (typeof REPORT_RESULTS)[number];

export const ANNOTATION_TYPES = ["VULNERABILITY", "CODE_SMELL", "BUG"] as const;
export type AnnotationType = (typeof ANNOTATION_TYPES)[number];

export const ANNOTATION_RESULTS = ["PASSED", "FAILED", "SKIPPED", "IGNORED"] as const;
export type AnnotationResult = (typeof ANNOTATION_RESULTS)[number];

/** Most severe first: the order annotations are sent in. */
export const ANNOTATION_SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW"] as const;
export type AnnotationSeverity = (typeof ANNOTATION_SEVERITIES)[number];

export const CODE_INSIGHTS_LIMITS = {
  annotationsPerReport: 1000,
  annotationsPerRequest: 100,
  dataFields: 10,
  reportTitle: 450,
  reportDetails: 2000,
  annotationSummary: 450,
  annotationDetails: 2000,
} as const;

/** A field shown on the report; `type` says how Bitbucket displays the value. */
export type ReportDatum = { title: string } & (
  | { type: "BOOLEAN"; value: boolean }
  /** DATE: Unix milliseconds; DURATION: milliseconds; PERCENTAGE: 0 to 100. */
  | { type: "NUMBER" | "DURATION" | "PERCENTAGE" | "DATE"; value: number }
  | { type: "TEXT"; value: string }
  | { type: "LINK"; value: { text: string; href: string } }
);

export interface InsightReport {
  /** The report's id for this commit: stable per pipe, so a second run replaces the first. */
  id: string;
  title: string;
  details?: string;
  type: ReportType;
  result?: ReportResult;
  /** The tool or pipe that made it. */
  reporter?: string;
  link?: string;
  logoUrl?: string;
  data?: readonly ReportDatum[];
}

export interface InsightAnnotation {
  /**
   * Stable across runs for the same finding (a finding fingerprint), so a re-run updates rather than
   * duplicates. Derived from type, path, line and summary when absent.
   */
  id?: string;
  summary: string;
  details?: string;
  type: AnnotationType;
  severity?: AnnotationSeverity;
  result?: AnnotationResult;
  /** Repository-relative path; without it the annotation shows on the report only. */
  path?: string;
  line?: number;
  link?: string;
}

export interface WireReport {
  title: string;
  details?: string;
  report_type: ReportType;
  result?: ReportResult;
  reporter?: string;
  link?: string;
  logo_url?: string;
  data?: Array<{ title: string; type: ReportDatum["type"]; value: ReportDatum["value"] }>;
}

export interface WireAnnotation {
  external_id: string;
  annotation_type: AnnotationType;
  summary: string;
  details?: string;
  severity?: AnnotationSeverity;
  result?: AnnotationResult;
  path?: string;
  line?: number;
  link?: string;
}

/** Shortened to `max` UTF-16 units with an ellipsis, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

function absoluteUrl(value: string | undefined): string | undefined {
  return value !== undefined && URL.canParse(value) ? value : undefined;
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The report as Bitbucket takes it. Links that are not absolute URLs are left out: the API rejects them. */
export function toWireReport(report: InsightReport): WireReport {
  return defined({
    title: truncate(report.title, CODE_INSIGHTS_LIMITS.reportTitle),
    details:
      report.details === undefined ? undefined : truncate(report.details, CODE_INSIGHTS_LIMITS.reportDetails),
    report_type: report.type,
    result: report.result,
    reporter: report.reporter,
    link: absoluteUrl(report.link),
    logo_url: absoluteUrl(report.logoUrl),
    data: report.data
      ?.slice(0, CODE_INSIGHTS_LIMITS.dataFields)
      .map((datum) => ({ title: datum.title, type: datum.type, value: datum.value })),
  });
}

export function annotationId(annotation: InsightAnnotation): string {
  if (annotation.id) return annotation.id;
  const identity = [annotation.type, annotation.path ?? "", annotation.line ?? "", annotation.summary].join(
    "\n",
  );
  return createHash("sha256").update(identity).digest("hex").slice(0, 32);
}

export function toWireAnnotation(annotation: InsightAnnotation): WireAnnotation {
  const line = annotation.line !== undefined && Number.isInteger(annotation.line) && annotation.line >= 1;
  return defined({
    external_id: annotationId(annotation),
    annotation_type: annotation.type,
    summary: truncate(annotation.summary, CODE_INSIGHTS_LIMITS.annotationSummary),
    details:
      annotation.details === undefined
        ? undefined
        : truncate(annotation.details, CODE_INSIGHTS_LIMITS.annotationDetails),
    severity: annotation.severity,
    result: annotation.result,
    path: annotation.path,
    line: line ? annotation.line : undefined,
    link: absoluteUrl(annotation.link),
  });
}

function severityRank(annotation: InsightAnnotation): number {
  return annotation.severity === undefined
    ? ANNOTATION_SEVERITIES.length
    : ANNOTATION_SEVERITIES.indexOf(annotation.severity);
}

export interface AnnotationSelection {
  /** Most severe first, one per id, at most 1000. */
  kept: InsightAnnotation[];
  /** Left out because the report was full. */
  omitted: number;
}

/**
 * The annotations a report can hold: the most severe first (annotations without a severity last),
 * duplicates of an id dropped (the later one would overwrite the earlier), cut at 1000.
 */
export function selectAnnotations(annotations: readonly InsightAnnotation[]): AnnotationSelection {
  const seen = new Set<string>();
  const unique = [...annotations]
    .sort((a, b) => severityRank(a) - severityRank(b))
    .filter((annotation) => {
      const id = annotationId(annotation);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  const kept = unique.slice(0, CODE_INSIGHTS_LIMITS.annotationsPerReport);
  return { kept, omitted: unique.length - kept.length };
}

export function inBatches<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}
