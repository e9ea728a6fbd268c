/**
 * Drift: what changed outside Terraform since the last apply, read from the plan JSON of a
 * `plan -refresh-only` (`resource_drift`: the state's values as `before`, the real world's as
 * `after`), down to the attributes that differ, sensitive values masked with the shared `redact`.
 * And whether a remediation may run. Pure: the adapter (drift-run.ts) runs terraform/tofu.
 * Format: https://developer.hashicorp.com/terraform/internals/json-format#plan-representation
 */
import { InputError } from "@pipes/core";
import { changeAction, planJsonSchema, redactChange } from "@pipes/terraform";
import picomatch from "picomatch";

export interface DriftedAttribute {
  /** As Terraform prints it: `content`, `tags.owner`, `ingress[0].cidr_blocks`. */
  path: string;
  /** In the state; null when absent. SENSITIVE when sensitive. */
  before: unknown;
  /** In the real world; null when absent. SENSITIVE when sensitive. */
  after: unknown;
  sensitive: boolean;
}

export interface DriftedResource {
  address: string;
  type: string;
  /** `update`: changed outside Terraform; `delete`: gone outside Terraform (no attributes listed). */
  action: "update" | "delete" | "create" | string;
  attributes: DriftedAttribute[];
}

export interface DriftReport {
  target: string;
  drifted: DriftedResource[];
}

type Step = string | number;

function pathText(path: readonly Step[]): string {
  return path.reduce<string>(
    (text, step) => (typeof step === "number" ? `${text}[${step}]` : text ? `${text}.${step}` : step),
    "",
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The part of `value` at `step`; undefined when there is none. */
function at(value: unknown, step: Step): unknown {
  if (Array.isArray(value)) return typeof step === "number" ? value[step] : undefined;
  return isObject(value) && typeof step === "string" ? value[step] : undefined;
}

/** True when `marks` (a before_sensitive/after_sensitive tree) marks `path` or a part above it. */
function markedSensitive(marks: unknown, path: readonly Step[]): boolean {
  let mark = marks;
  for (const step of path) {
    if (mark === true) return true;
    mark = at(mark, step);
  }
  return mark === true;
}

/**
 * The paths of the leaves where `before` and `after` differ; objects and lists are walked, except
 * where `isSensitive` says a path is sensitive: a sensitive map or list is one masked attribute, so
 * neither its keys nor which of its items changed show.
 */
function changedPaths(
  before: unknown,
  after: unknown,
  isSensitive: (path: readonly Step[]) => boolean,
  path: Step[] = [],
): Step[][] {
  const walk = !isSensitive(path);
  if (walk && Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) =>
      changedPaths(before[i], after[i], isSensitive, [...path, i]),
    ).flat();
  }
  if (walk && isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => changedPaths(before[key], after[key], isSensitive, [...path, key]));
  }
  return JSON.stringify(before ?? null) === JSON.stringify(after ?? null) ? [] : [path];
}

function valueAt(value: unknown, path: readonly Step[]): unknown {
  return path.reduce<unknown>((part, step) => at(part, step), value) ?? null;
}

function notAPlan(target: string, detail: string): InputError {
  return new InputError(`the drift plan JSON of target ${target} ${detail}`, {
    code: "PLAN_JSON",
    suggestion:
      "Give the output of `terraform show -json <planfile>` of a `plan -refresh-only -out=<planfile>`, whole.",
  });
}

/**
 * The resources of `planJson` (a `show -json` of a refresh-only plan) changed or deleted outside
 * Terraform, with each differing attribute; values Terraform marks sensitive (and the same secret
 * values wherever they appear unmarked) are SENSITIVE. Throws InputError PLAN_JSON when it is not
 * a plan.
 */
export function driftFromPlan(planJson: unknown, target: string): DriftReport {
  const parsed = planJsonSchema.safeParse(planJson);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw notAPlan(
      target,
      `is not a Terraform plan: ${issue ? `${issue.path.join(".") || "(top level)"}: ${issue.message}` : "invalid"}`,
    );
  }
  const plan = parsed.data;
  // A `show -json` of a state passes the loose schema: it has `values` where a plan has `planned_values`.
  if (!("planned_values" in plan) && !("configuration" in plan) && plan.resource_drift === undefined)
    throw notAPlan(target, "has no planned_values: it looks like the JSON of a state, not of a plan");
  if (plan.errored === true) throw notAPlan(target, "is of a plan that errored");

  const drifted = (plan.resource_drift ?? [])
    .filter((rc) => rc.mode !== "data")
    .map((rc): DriftedResource => {
      const action = changeAction(rc.change.actions);
      const { before, after, before_sensitive: beforeMarks, after_sensitive: afterMarks } = rc.change;
      const shown = redactChange(before, beforeMarks, after, afterMarks);
      const isSensitive = (path: readonly Step[]) =>
        markedSensitive(beforeMarks, path) || markedSensitive(afterMarks, path);
      const attributes =
        action === "update"
          ? changedPaths(before, after, isSensitive).map(
              (path): DriftedAttribute => ({
                path: pathText(path),
                before: valueAt(shown.before, path),
                after: valueAt(shown.after, path),
                sensitive: isSensitive(path),
              }),
            )
          : [];
      return { address: rc.address, type: rc.type, action, attributes };
    });
  return { target, drifted };
}

export type Remediation = "report" | "accept" | "revert";

/**
 * Whether `mode` may run: `report` always; `accept` and `revert` change the state or the real
 * world, so only when approved (REMEDIATION_APPROVED) and on a branch matching one of
 * PROTECTED_BRANCHES (picomatch globs). The reason names the variables to set.
 */
export function remediationAllowed(
  mode: Remediation,
  opts: { approved: boolean; branch: string | undefined; protectedBranches: readonly string[] },
): { allowed: true } | { allowed: false; reason: string } {
  if (mode === "report") return { allowed: true };
  const globs = opts.protectedBranches.filter((glob) => glob.trim() !== "");
  const reasons: string[] = [];
  if (!opts.approved) reasons.push(`REMEDIATION=${mode} needs REMEDIATION_APPROVED=true`);
  const listed = globs.length ? globs.join(", ") : "empty";
  if (opts.branch === undefined)
    reasons.push(
      `this run has no branch (a tag or custom run), and only branches in PROTECTED_BRANCHES (${listed}) may remediate`,
    );
  else if (!globs.length || !picomatch.isMatch(opts.branch, globs, { dot: true }))
    reasons.push(`branch ${opts.branch} is not in PROTECTED_BRANCHES (${listed})`);
  return reasons.length ? { allowed: false, reason: reasons.join("; ") } : { allowed: true };
}
