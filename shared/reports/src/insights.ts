/**
 * Bitbucket Code Insights in the wire shape of the Bitbucket Cloud OpenAPI document (schemas
 * `report`, `report_data` and `report_annotation`), as plain objects a client PUTs and POSTs
 * unchanged. API: https://developer.atlassian.com/cloud/bitbucket/rest/api-group-reports/
 */

export const REPORT_TYPES = ["SECURITY", "COVERAGE", "TEST", "BUG"] as const;
export const REPORT_RESULTS = ["PASSED", "FAILED", "PENDING"] as const;
export const REPORT_DATA_TYPES = [
  "BOOLEAN",
  "DATE",
  "DURATION",
  "LINK",
  "NUMBER",
  "PERCENTAGE",
  "TEXT",
] as const;
export const ANNOTATION_TYPES = ["VULNERABILITY", "CODE_SMELL", "BUG"] as const;
export const ANNOTATION_RESULTS = ["PASSED", "FAILED", "SKIPPED", "IGNORED"] as const;
export const ANNOTATION_SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW"] as const;

export type ReportType = (typeof REPORT_TYPES)[number];
export type ReportResult = (typeof REPORT_RESULTS)[number];
export type AnnotationType = (typeof ANNOTATION_TYPES)[number];
export type AnnotationResult = (typeof ANNOTATION_RESULTS)[number];
export type AnnotationSeverity = (typeof ANNOTATION_SEVERITIES)[number];

/**
 * Limits Bitbucket enforces. The OpenAPI document states the counts (annotations per report and per
 * request, data fields); the text limits are what the API answers with a 400:
 * "The summary field cannot contain more than 450 characters."
 * (https://github.com/reviewdog/reviewdog/issues/1285) and "The details field cannot contain more
 * than 2000 characters." (https://github.com/saibotsivad/bpr-npm-audit/pull/3). The document gives
 * no limit for titles and external ids; we keep both short.
 */
export const INSIGHTS_LIMITS = {
  annotationsPerReport: 1000,
  annotationsPerRequest: 100,
  dataFields: 10,
  summary: 450,
  details: 2000,
} as const;

/** The `value` each data `type` takes, per the createOrUpdateReport operation's table. */
export type ReportData =
  | { title: string; type: "BOOLEAN"; value: boolean }
  | { title: string; type: "DATE" | "DURATION" | "NUMBER" | "PERCENTAGE"; value: number }
  | { title: string; type: "TEXT"; value: string }
  | { title: string; type: "LINK"; value: { text: string; href: string } };

/**
 * `type` is the discriminator every Bitbucket object carries (schema `object` requires it);
 * Bitbucket accepts it on requests and it keeps them valid against the document.
 */
export interface InsightsReport {
  type: "report";
  external_id?: string;
  title: string;
  details: string;
  reporter: string;
  report_type: ReportType;
  result: ReportResult;
  link?: string;
  logo_url?: string;
  data: ReportData[];
}

export interface InsightsAnnotation {
  type: "report_annotation";
  /** Unique within the report: Bitbucket updates an annotation with the same id in place. */
  external_id: string;
  annotation_type: AnnotationType;
  /** Repository-relative; without it the annotation shows on the PR's overview. */
  path?: string;
  /** 1-based; without it the annotation sits at the top of the file. */
  line?: number;
  summary: string;
  details?: string;
  result?: AnnotationResult;
  severity?: AnnotationSeverity;
  link?: string;
}
