/**
 * Which format a report is in, from its content: file extensions lie (`.json` SARIF, `results.txt`),
 * and each format has keys no other one has.
 */
export const REPORT_FORMATS = ["sarif", "checkov", "trivy", "semgrep", "gitleaks", "tfsec"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** How error messages name each format. */
export const REPORT_FORMAT_NAMES: Record<ReportFormat, string> = {
  sarif: "SARIF",
  checkov: "Checkov JSON",
  trivy: "Trivy JSON",
  semgrep: "Semgrep JSON",
  gitleaks: "gitleaks JSON",
  tfsec: "tfsec JSON",
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A Checkov report block: one per framework (`check_type`), or only a summary when nothing was scanned. */
function isCheckovBlock(value: unknown): boolean {
  if (!isRecord(value)) return false;
  if ("check_type" in value && "results" in value) return true;
  if ("checkov_version" in value) return true;
  return isRecord(value.summary) && "checkov_version" in value.summary;
}

/**
 * The format of parsed report JSON, or undefined for JSON of no known shape. An empty array is taken
 * for gitleaks: it is what gitleaks writes when it finds nothing (Checkov writes a summary instead).
 */
export function detectReportFormat(json: unknown): ReportFormat | undefined {
  if (Array.isArray(json)) {
    if (json.length === 0) return "gitleaks";
    if (json.every(isCheckovBlock)) return "checkov";
    if (json.every((item) => isRecord(item) && "RuleID" in item)) return "gitleaks";
    return undefined;
  }
  if (!isRecord(json)) return undefined;
  if (Array.isArray(json.runs) && ("version" in json || String(json.$schema ?? "").includes("sarif")))
    return "sarif";
  if (typeof json.SchemaVersion === "number" && ("Results" in json || "ArtifactName" in json)) return "trivy";
  if (isCheckovBlock(json)) return "checkov";
  // Semgrep always writes `errors` beside `results`; tfsec writes `results` alone (null when clean).
  if (Array.isArray(json.results) && Array.isArray(json.errors)) return "semgrep";
  if ("results" in json && (json.results === null || Array.isArray(json.results))) {
    const results: unknown[] = Array.isArray(json.results) ? json.results : [];
    if (results.every((result) => isRecord(result) && "rule_id" in result && "location" in result))
      return "tfsec";
    if (results.every((result) => isRecord(result) && "check_id" in result)) return "semgrep";
  }
  return undefined;
}
