/**
 * One severity scale over every tool. Each tool grades findings its own way (CVSS-like scores, SARIF
 * levels, ERROR/WARNING/INFO, or nothing at all); these functions map each onto `Severity`.
 */
import checkovSeverities from "../data/checkov-severity.json" with { type: "json" };
import { SEVERITIES, type Severity } from "./findings.ts";

/**
 * A CVSS-like score (SARIF `security-severity`, 0.0–10.0) on the CVSS v3 qualitative scale, as GitHub code
 * scanning reads it: https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#reportingdescriptor-object
 */
export function severityFromScore(score: number): Severity {
  if (score >= 9) return "CRITICAL";
  if (score >= 7) return "HIGH";
  if (score >= 4) return "MEDIUM";
  if (score > 0) return "LOW";
  return "INFO";
}

export const SARIF_LEVELS = ["error", "warning", "note", "none"] as const;
export type SarifLevel = (typeof SARIF_LEVELS)[number];

/** A SARIF level, for results without a `security-severity`. */
export function severityFromSarifLevel(level: SarifLevel): Severity {
  const byLevel = { error: "HIGH", warning: "MEDIUM", note: "LOW", none: "INFO" } as const;
  return byLevel[level];
}

/**
 * A severity written as a word, as Trivy, tfsec, Checkov and most advisories do. Trivy's UNKNOWN (a
 * vulnerability nobody has scored yet) is MEDIUM: not known to be harmless.
 */
export function severityFromName(name: string): Severity | undefined {
  const word = name.trim().toUpperCase();
  if ((SEVERITIES as readonly string[]).includes(word)) return word as Severity;
  const aliases: Record<string, Severity> = {
    MODERATE: "MEDIUM",
    INFORMATIONAL: "INFO",
    NOTE: "INFO",
    NONE: "INFO",
    UNKNOWN: "MEDIUM",
  };
  return aliases[word];
}

interface CheckovSeverityEntry {
  severity: string;
  source: string;
  reference?: string;
  reason?: string;
}

const checkovTable: { default: string; checks: Record<string, CheckovSeverityEntry> } = checkovSeverities;

/**
 * A Checkov check's severity: the one Checkov reported (only with a Prisma Cloud API key), else the
 * shipped table `data/checkov-severity.json`, else MEDIUM. Sources of the table: data/README.md.
 */
export function checkovSeverity(checkId: string, reported?: string | null): Severity {
  const fromReport = reported ? severityFromName(reported) : undefined;
  if (fromReport) return fromReport;
  const listed = checkovTable.checks[checkId]?.severity ?? checkovTable.default;
  return severityFromName(listed) ?? "MEDIUM";
}

/** The Prisma Cloud policy page of a Checkov check, when the table has one: Checkov offline gives no link. */
export function checkovPolicyPage(checkId: string): string | undefined {
  return checkovTable.checks[checkId]?.reference?.startsWith("https://")
    ? checkovTable.checks[checkId]?.reference
    : undefined;
}
