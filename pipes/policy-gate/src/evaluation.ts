/**
 * OPA's answers → violations, by Conftest's conventions (policy/engine.go): a rule's value is a set
 * of messages or of objects with a `msg` (the other fields are metadata); any other value passes. A
 * namespace's `exception` rule lists, for an input, the rules it exempts that input from, named
 * without their `deny_`/`violation_` prefix (`""` exempts `deny` and `violation` themselves); an
 * exempted input's results of that rule are dropped and counted as exceptions.
 *
 * The OPA-native form is the same rule returning objects with more fields, read here:
 * `{"msg", "severity", "resource", "controls", "remediation"}`.
 */
import { parseControls, parseSeverity } from "./catalog.ts";
import type { ConftestException, Policy, Violation } from "./findings.ts";
import type { EntryResults, RuleQuery } from "./opa/entry.ts";

/** One input file and the documents it holds (a multi-document YAML file holds several). */
export interface InputFile {
  /** Repository-relative path (or the path given, for files outside the clone). */
  path: string;
  kind: InputKind;
  documents: unknown[];
}

export const INPUT_KINDS = ["plan", "terraform", "config", "kubernetes", "infracost"] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

export interface EvaluationOutcome {
  violations: Violation[];
  exceptions: ConftestException[];
  /** Problems with what policies returned (a result object without `msg`, ...). */
  warnings: string[];
}

/** The queries for a catalog: each policy's rule, then each namespace's `exception` rule. */
export function queriesFor(policies: readonly Policy[], exceptionNamespaces: readonly string[]): RuleQuery[] {
  return [
    ...policies.map((policy) => ({ namespace: policy.namespace, rule: policy.rule })),
    ...exceptionNamespaces.map((namespace) => ({ namespace, rule: "exception" })),
  ];
}

/** The documents of the files, in order, and which file each belongs to. */
export function flattenDocuments(files: readonly InputFile[]): { documents: unknown[]; owner: number[] } {
  const documents: unknown[] = [];
  const owner: number[] = [];
  files.forEach((file, index) => {
    for (const document of file.documents) {
      documents.push(document);
      owner.push(index);
    }
  });
  return { documents, owner };
}

/** Conftest's `removeFailurePrefix`: the name an `exception` rule lists for a rule. */
export function exceptionName(rule: string): string {
  return rule.replace(/^(deny|violation)(_|$)/, "");
}

export function interpretResults(
  policies: readonly Policy[],
  exceptionNamespaces: readonly string[],
  files: readonly InputFile[],
  results: EntryResults,
): EvaluationOutcome {
  const { documents, owner } = flattenDocuments(files);
  const exemptions = new Map<string, Map<number, Set<string>>>();
  exceptionNamespaces.forEach((namespace, offset) => {
    const answers = results[policies.length + offset] ?? [];
    const byDocument = new Map<number, Set<string>>();
    for (const [index, value] of answers) byDocument.set(index, exemptedNames(value));
    exemptions.set(namespace, byDocument);
  });
  const outcome: EvaluationOutcome = { violations: [], exceptions: [], warnings: [] };
  policies.forEach((policy, position) => {
    const answers = results[position] ?? [];
    for (const [index, value] of answers) {
      if (!Array.isArray(value) || value.length === 0) continue;
      const file = files[owner[index] ?? -1];
      if (!file) continue;
      if (exemptions.get(policy.namespace)?.get(index)?.has(exceptionName(policy.rule))) {
        outcome.exceptions.push({ policyId: policy.id, input: file.path });
        continue;
      }
      for (const item of value) {
        const violation = violationOf(policy, item, file, documents[index]);
        if (typeof violation === "string") outcome.warnings.push(violation);
        else if (violation) outcome.violations.push(violation);
      }
    }
  });
  return outcome;
}

/** `exception` is a set of lists of rule names. */
function exemptedNames(value: unknown): Set<string> {
  const names = new Set<string>();
  if (!Array.isArray(value)) return names;
  for (const list of value) {
    if (!Array.isArray(list)) continue;
    for (const name of list) if (typeof name === "string") names.add(name);
  }
  return names;
}

const KNOWN_FIELDS = new Set(["msg", "severity", "resource", "address", "controls", "remediation"]);

function violationOf(
  policy: Policy,
  item: unknown,
  file: InputFile,
  document: unknown,
): Violation | string | undefined {
  if (typeof item === "string") return base(policy, item, file, document);
  if (!item || typeof item !== "object" || Array.isArray(item)) return undefined;
  const fields = item as Record<string, unknown>;
  if (typeof fields.msg !== "string")
    return `${policy.id}: a result for ${file.path} has no "msg" string; it was left out (${JSON.stringify(item).slice(0, 120)})`;
  const violation = base(policy, fields.msg, file, document);
  const severity = parseSeverity(fields.severity);
  if (severity) violation.severity = severity;
  const resource = textField(fields.resource) ?? textField(fields.address);
  if (resource) violation.resource = resource;
  const controls = parseControls(fields.controls);
  if (controls.length > 0) violation.controls = controls;
  const remediation = textField(fields.remediation);
  if (remediation) violation.remediation = remediation;
  const metadata = Object.fromEntries(Object.entries(fields).filter(([key]) => !KNOWN_FIELDS.has(key)));
  if (Object.keys(metadata).length > 0) violation.metadata = metadata;
  return violation;
}

function base(policy: Policy, message: string, file: InputFile, document: unknown): Violation {
  const resource = file.kind === "kubernetes" ? kubernetesName(document) : undefined;
  return {
    policyId: policy.id,
    message,
    severity: policy.severity,
    ...(resource ? { resource } : {}),
    input: file.path,
    controls: policy.controls,
    ...(policy.remediation ? { remediation: policy.remediation } : {}),
  };
}

/** `Deployment/web` (with its namespace when it has one): how kubectl names an object. */
function kubernetesName(document: unknown): string | undefined {
  if (!document || typeof document !== "object") return undefined;
  const object = document as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  if (typeof object.kind !== "string" || typeof object.metadata?.name !== "string") return undefined;
  const namespace = typeof object.metadata.namespace === "string" ? `${object.metadata.namespace}/` : "";
  return `${object.kind}/${namespace}${object.metadata.name}`;
}

function textField(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}
