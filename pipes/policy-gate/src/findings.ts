/**
 * The policy gate's domain: the policies it evaluated, what each found, and how each finding is
 * enforced. OPA's raw answers become these types in evaluation.ts; decision, compliance and the
 * reports only ever see them.
 */
export const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Lower is more severe: sorts CRITICAL first. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export const FRAMEWORKS = ["SOC2", "PCI-DSS", "GDPR", "ISO27001"] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export interface ControlRef {
  framework: Framework;
  /** The control's id in that framework, e.g. CC6.1, 3.5.1, Art.32, A.8.24. */
  control: string;
}

/**
 * How a failed policy is enforced (Sentinel's levels): an advisory failure only warns; a
 * soft-mandatory one fails unless an approver overrides it; a hard-mandatory one always fails.
 */
export const ENFORCEMENT_LEVELS = ["advisory", "soft-mandatory", "hard-mandatory"] as const;
export type EnforcementLevel = (typeof ENFORCEMENT_LEVELS)[number];

/** Conftest's rule kinds: `deny`/`violation` rules fail, `warn` rules warn. */
export type RuleKind = "deny" | "warn";

/** One policy: a Conftest-convention rule of one namespace (`main.deny_run_as_root`). */
export interface Policy {
  /** `custom.id` of its METADATA, else `<namespace>.<rule>`. */
  id: string;
  namespace: string;
  /** The rule's name: deny, violation_foo, warn_bar, ... */
  rule: string;
  kind: RuleKind;
  title: string;
  description?: string;
  severity: Severity;
  enforcement: EnforcementLevel;
  remediation?: string;
  controls: ControlRef[];
  /** Where it came from: the built-in library, a folder, or a bundle. */
  source: string;
  /** The .rego file defining it, relative to its source. */
  file?: string;
  helpUri?: string;
}

export interface Location {
  /** Repository-relative POSIX path. */
  file: string;
  startLine?: number;
}

/** What a policy found in one input document. */
export interface Violation {
  policyId: string;
  message: string;
  severity: Severity;
  /** The Terraform resource address (or Kubernetes kind/name) the policy names, when it names one. */
  resource?: string;
  /** The input document, repository-relative. */
  input: string;
  location?: Location;
  controls: ControlRef[];
  remediation?: string;
  /** Other fields of the policy's result object, as the policy returned them. */
  metadata?: Record<string, unknown>;
}

/** An input that Conftest's `exception` rule exempted from a policy. */
export interface ConftestException {
  policyId: string;
  input: string;
}
