/**
 * The one finding model over every scanner. Adapters turn each tool's output into `Finding`s; the
 * policy, compliance and report code only ever sees this type.
 */
export const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Lower is more severe: sorts CRITICAL first. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export const SCANNERS = ["checkov", "trivy", "semgrep", "gitleaks"] as const;
export type Scanner = (typeof SCANNERS)[number];

export type FindingCategory = "iac" | "secret" | "code" | "vulnerability" | "supply-chain";

export const FRAMEWORKS = ["SOC2", "PCI-DSS", "GDPR", "ISO27001"] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export interface ControlRef {
  framework: Framework;
  /** The control's id in that framework, e.g. CC6.1, 3.5.1, Art.32, A.8.24. */
  control: string;
}

export interface Location {
  /** Repository-relative POSIX path. */
  file: string;
  startLine?: number;
  endLine?: number;
}

export interface Finding {
  /** The tool that reported it first, e.g. checkov; any SARIF tool name when ingested. */
  tool: string;
  /** Every tool that reported the same issue at the same place (cross-tool dedupe credits them all). */
  tools: string[];
  ruleId: string;
  /** Rule ids of the same issue in the other tools that reported it, keyed by tool. */
  alsoKnownAs?: Record<string, string>;
  title: string;
  severity: Severity;
  category: FindingCategory;
  location?: Location;
  /** A resource address (aws_s3_bucket.logs) or package (openssl@1.1.1), when the tool gives one. */
  resource?: string;
  /** Never holds a secret value: adapters redact them. */
  message: string;
  helpUri?: string;
  /** Stable when lines move: for dedupe and baselines (see fingerprint.ts). */
  fingerprint: string;
  controls: ControlRef[];
}
