/**
 * What the gate needs to know of a Rego module before OPA evaluates it: its package, the rules that
 * follow Conftest's naming conventions (`deny`, `violation`, `warn`, each optionally with
 * `_suffix`; and `exception`), and the METADATA annotations above the package and those rules
 * (https://www.openpolicyagent.org/docs/policy-language#metadata). Read from the text, as
 * Conftest's engine reads rule names from the parsed module: rule heads start a line
 * (`opa fmt` writes them so). OPA itself reports syntax errors when it loads the module.
 */
import { parse as parseYaml } from "yaml";

/** Conftest's patterns (policy/engine.go `isFailure`, `isWarning`). */
const FAILURE_RULE = /^(deny|violation)(_[a-zA-Z0-9]+)*$/;
const WARNING_RULE = /^warn(_[a-zA-Z0-9]+)*$/;

export function conventionKind(rule: string): "deny" | "warn" | undefined {
  if (FAILURE_RULE.test(rule)) return "deny";
  if (WARNING_RULE.test(rule)) return "warn";
  return undefined;
}

export type Annotations = Record<string, unknown>;

export interface RegoRule {
  name: string;
  kind: "deny" | "warn";
  annotations?: Annotations;
  line: number;
}

export interface RegoModule {
  /** The package path without `data.`, e.g. `main` or `policy_gate.aws.storage_encryption`. */
  namespace: string;
  packageAnnotations?: Annotations;
  /** Convention rules, each once (a rule with several bodies is one rule). */
  rules: RegoRule[];
  /** Whether it defines Conftest's `exception` rule. */
  hasException: boolean;
  /** Whether it holds `test_` rules (a unit test file). */
  hasTests: boolean;
}

const PACKAGE = /^package\s+([A-Za-z_][\w.]*(?:\["[^"]*"\])*)/;
const RULE_HEAD = /^([A-Za-z_]\w*)\b\s*(?:contains\b|if\b|\[|\{|:=|=(?!=)|$)/;

/** Undefined for a file without a package line (OPA rejects it when loading). */
export function scanRegoModule(text: string): RegoModule | undefined {
  const lines = text.split(/\r?\n/);
  let namespace: string | undefined;
  let packageAnnotations: Annotations | undefined;
  const rules = new Map<string, RegoRule>();
  let hasException = false;
  let hasTests = false;
  let pending: Annotations | undefined;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? "";
    if (/^#\s*METADATA\s*$/.test(line)) {
      const block: string[] = [];
      while (index + 1 < lines.length && /^#/.test(lines[index + 1] ?? "")) {
        index += 1;
        block.push((lines[index] ?? "").replace(/^# ?/, ""));
      }
      pending = metadataBlock(block.join("\n"));
      continue;
    }
    if (line.startsWith("#") || line.trim() === "") continue;
    const pkg = PACKAGE.exec(line);
    if (pkg?.[1]) {
      namespace = pkg[1];
      packageAnnotations = pending;
      pending = undefined;
      continue;
    }
    const head = RULE_HEAD.exec(line);
    const name = head?.[1];
    if (name && namespace !== undefined) {
      if (name === "exception") hasException = true;
      if (name.startsWith("test_")) hasTests = true;
      const kind = conventionKind(name);
      if (kind && !rules.has(name))
        rules.set(name, { name, kind, line: index + 1, ...(pending ? { annotations: pending } : {}) });
      else if (kind && pending && !rules.get(name)?.annotations)
        rules.set(name, { ...(rules.get(name) as RegoRule), annotations: pending });
    }
    pending = undefined;
  }
  if (namespace === undefined) return undefined;
  return {
    namespace,
    ...(packageAnnotations ? { packageAnnotations } : {}),
    rules: [...rules.values()],
    hasException,
    hasTests,
  };
}

function metadataBlock(text: string): Annotations | undefined {
  try {
    const value: unknown = parseYaml(text);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Annotations)
      : undefined;
  } catch {
    // OPA rejects a malformed METADATA block itself, naming the file and line.
    return undefined;
  }
}
