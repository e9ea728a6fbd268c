/**
 * One name per tool, whichever way a report spells it ("Trivy", "Semgrep OSS", "Checkov"), so a rule
 * reported by the pipe's own scanner and by an ingested report is the same rule of the same tool, for
 * dedupe, baselines and compliance mapping.
 */
const KNOWN_TOOLS = ["checkov", "trivy", "semgrep", "gitleaks", "tfsec"] as const;
export type KnownTool = (typeof KNOWN_TOOLS)[number];

/** The canonical name of a known tool ("Semgrep OSS" → "semgrep"); other names unchanged. */
export function canonicalToolName(name: string): string {
  const lower = name.trim().toLowerCase();
  return KNOWN_TOOLS.find((tool) => lower === tool || lower.startsWith(`${tool} `)) ?? name.trim();
}

/** A known tool named in a report's file name ("reports/checkov-openapi.sarif" → "checkov"). */
export function toolFromFileName(fileName: string): KnownTool | undefined {
  const base = fileName.split(/[\\/]/).pop()?.toLowerCase() ?? "";
  return KNOWN_TOOLS.find((tool) => base.includes(tool));
}
