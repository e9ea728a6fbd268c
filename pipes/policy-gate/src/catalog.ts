/**
 * The policies the gate evaluates, read from the Rego modules of every source: one policy per
 * Conftest-convention rule and namespace, described by its METADATA annotations (rule scope over
 * package scope):
 *
 *   # METADATA
 *   # title: S3 buckets are encrypted at rest
 *   # description: ...
 *   # related_resources: [{ref: https://...}]
 *   # custom:
 *   #   id: AWS-S3-ENCRYPTION         (default: <namespace>.<rule>)
 *   #   severity: HIGH                (default: HIGH for deny/violation, MEDIUM for warn)
 *   #   enforcement: hard-mandatory   (default: hard-mandatory for deny/violation, advisory for warn)
 *   #   remediation: Set server_side_encryption_configuration ...
 *   #   controls: {SOC2: [CC6.1], PCI-DSS: ["3.5.1"], GDPR: [Art.32], ISO27001: [A.8.24]}
 *
 * Conftest policies without annotations work as they are: their id is `<namespace>.<rule>`.
 */

import {
  type ControlRef,
  ENFORCEMENT_LEVELS,
  type EnforcementLevel,
  FRAMEWORKS,
  type Framework,
  type Policy,
  SEVERITIES,
  type Severity,
} from "./findings.ts";
import type { Annotations, RegoModule, RegoRule } from "./rego-source.ts";

export interface SourceModule {
  /** The source's label: "built-in", a folder, a bundle URL. */
  source: string;
  /** Path of the module inside its source. */
  file: string;
  module: RegoModule;
}

/** Policies of these modules, restricted to `namespaces` when given; sorted by id. */
export function buildCatalog(modules: readonly SourceModule[], namespaces?: readonly string[]): Policy[] {
  const byKey = new Map<string, Policy>();
  const annotated = new Set<string>();
  const conventionRulesOf = new Map<string, Set<string>>();
  for (const { module } of modules) {
    const names = conventionRulesOf.get(module.namespace) ?? new Set<string>();
    for (const rule of module.rules) names.add(rule.name);
    conventionRulesOf.set(module.namespace, names);
  }
  for (const { source, file, module } of modules) {
    if (namespaces && namespaces.length > 0 && !namespaces.includes(module.namespace)) continue;
    const single = (conventionRulesOf.get(module.namespace)?.size ?? 0) === 1;
    for (const rule of module.rules) {
      const key = `${module.namespace}.${rule.name}`;
      // A rule with bodies in several files is one policy, described by the body that has METADATA.
      if (byKey.has(key) && (annotated.has(key) || !rule.annotations)) continue;
      if (rule.annotations) annotated.add(key);
      byKey.set(key, policyOf(source, file, module, rule, single));
    }
  }
  return [...byKey.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function policyOf(
  source: string,
  file: string,
  module: RegoModule,
  rule: RegoRule,
  onlyRuleOfPackage: boolean,
): Policy {
  const ruleNotes = rule.annotations ?? {};
  const packageNotes = module.packageAnnotations ?? {};
  const custom = { ...record(packageNotes.custom), ...record(ruleNotes.custom) };
  const key = `${module.namespace}.${rule.name}`;
  const ruleId = text(record(ruleNotes.custom).id);
  const packageId = text(record(packageNotes.custom).id);
  const id = ruleId ?? (onlyRuleOfPackage ? packageId : undefined) ?? key;
  const title = text(ruleNotes.title) ?? text(packageNotes.title) ?? key;
  const description = text(ruleNotes.description) ?? text(packageNotes.description);
  const remediation = text(custom.remediation);
  const helpUri = firstRef(ruleNotes.related_resources) ?? firstRef(packageNotes.related_resources);
  return {
    id,
    namespace: module.namespace,
    rule: rule.name,
    kind: rule.kind,
    title,
    ...(description ? { description } : {}),
    severity: parseSeverity(custom.severity) ?? (rule.kind === "deny" ? "HIGH" : "MEDIUM"),
    enforcement:
      parseEnforcement(custom.enforcement) ?? (rule.kind === "deny" ? "hard-mandatory" : "advisory"),
    ...(remediation ? { remediation } : {}),
    controls: parseControls(custom.controls),
    source,
    file,
    ...(helpUri ? { helpUri } : {}),
  };
}

export function parseSeverity(value: unknown): Severity | undefined {
  if (typeof value !== "string") return undefined;
  const upper = value.trim().toUpperCase();
  if (upper === "ERROR") return "HIGH";
  if (upper === "WARNING") return "MEDIUM";
  return SEVERITIES.find((severity) => severity === upper);
}

export function parseEnforcement(value: unknown): EnforcementLevel | undefined {
  if (typeof value !== "string") return undefined;
  const lower = value.trim().toLowerCase();
  return ENFORCEMENT_LEVELS.find((level) => level === lower);
}

const FRAMEWORK_ALIASES: Record<string, Framework> = {
  SOC2: "SOC2",
  "SOC 2": "SOC2",
  "PCI-DSS": "PCI-DSS",
  PCI: "PCI-DSS",
  PCIDSS: "PCI-DSS",
  GDPR: "GDPR",
  ISO27001: "ISO27001",
  "ISO 27001": "ISO27001",
  "ISO-27001": "ISO27001",
};

export function frameworkOf(name: string): Framework | undefined {
  return FRAMEWORK_ALIASES[name.trim().toUpperCase()] ?? FRAMEWORKS.find((f) => f === name);
}

/**
 * Controls as `{SOC2: [CC6.1], ...}`, or as a list of `"SOC2 CC6.1"` strings or
 * `{framework, control}` objects (the form a policy's result object may carry).
 */
export function parseControls(value: unknown): ControlRef[] {
  const controls: ControlRef[] = [];
  const add = (frameworkName: string, control: unknown) => {
    const framework = frameworkOf(frameworkName);
    if (framework && (typeof control === "string" || typeof control === "number"))
      controls.push({ framework, control: String(control) });
  };
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item === "string") {
        const match = /^(.+?)[\s:]+(\S+)$/.exec(item.trim());
        if (match?.[1] && match[2]) add(match[1], match[2]);
      } else if (item && typeof item === "object") {
        const entry = item as Record<string, unknown>;
        if (typeof entry.framework === "string") add(entry.framework, entry.control);
      }
    }
  } else if (value && typeof value === "object") {
    for (const [framework, list] of Object.entries(value)) {
      for (const control of Array.isArray(list) ? list : [list]) add(framework, control);
    }
  }
  const seen = new Set<string>();
  return controls.filter((control) => {
    const key = `${control.framework} ${control.control}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function record(value: unknown): Annotations {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Annotations) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function firstRef(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  for (const item of value) {
    const ref = text(record(item).ref);
    if (ref) return ref;
  }
  return undefined;
}
