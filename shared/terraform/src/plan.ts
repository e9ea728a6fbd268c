/**
 * Terraform/OpenTofu plan JSON (`terraform show -json <planfile>`): read it, then say what it does:
 * how many resources are created, updated, deleted, replaced, read or left alone, per provider;
 * which are replaced and why. Sensitive values are never copied out: every value that leaves this
 * module goes through `redact`, which honours `before_sensitive`/`after_sensitive`.
 * Format: https://developer.hashicorp.com/terraform/internals/json-format
 */
import { readFile } from "node:fs/promises";
import { InputError } from "@pipes/core";
import { z } from "zod";

export const CHANGE_ACTIONS = ["create", "update", "delete", "replace", "read", "no-op", "forget"] as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];
export type ActionCounts = Record<ChangeAction, number>;

/** The value put where a sensitive value was. */
export const SENSITIVE = "(sensitive)";

const changeSchema = z.looseObject({
  actions: z.array(z.string()).min(1),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  after_unknown: z.unknown().optional(),
  before_sensitive: z.unknown().optional(),
  after_sensitive: z.unknown().optional(),
  replace_paths: z.array(z.array(z.union([z.string(), z.number()]))).optional(),
});

const resourceChangeSchema = z.looseObject({
  address: z.string(),
  module_address: z.string().optional(),
  mode: z.enum(["managed", "data"]).optional(),
  type: z.string(),
  name: z.string(),
  provider_name: z.string().optional(),
  change: changeSchema,
  action_reason: z.string().optional(),
});

export const planJsonSchema = z.looseObject({
  format_version: z.string(),
  terraform_version: z.string().optional(),
  resource_changes: z.array(resourceChangeSchema).optional(),
  resource_drift: z.array(resourceChangeSchema).optional(),
  output_changes: z.record(z.string(), changeSchema).optional(),
  errored: z.boolean().optional(),
  applyable: z.boolean().optional(),
  complete: z.boolean().optional(),
  timestamp: z.string().optional(),
});
export type PlanJson = z.output<typeof planJsonSchema>;
export type ResourceChangeJson = z.output<typeof resourceChangeSchema>;

function issuesText(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "(top level)"}: ${issue.message}`)
    .join("; ");
}

/** Parses plan JSON text; `file` names the source in errors. */
export function parsePlanJson(text: string, file: string): PlanJson {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(
      `${file} is not plan JSON: ${text.trim() === "" ? "the file is empty" : `it does not parse (${reason}); a truncated file looks like this`}`,
      {
        code: "PLAN_JSON",
        suggestion: "Make it with `terraform show -json <planfile> > plan.json` and keep the whole output.",
      },
    );
  }
  const parsed = planJsonSchema.safeParse(raw);
  if (!parsed.success)
    throw new InputError(`${file} is JSON but not a Terraform plan: ${issuesText(parsed.error)}`, {
      code: "PLAN_JSON",
      suggestion:
        "Give the output of `terraform show -json <planfile>` (not of `terraform show -json` of a state).",
    });
  return parsed.data;
}

/** Reads and checks a plan JSON file; one InputError naming the file when it is missing or malformed. */
export async function readPlanFile(file: string): Promise<PlanJson> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`plan JSON ${file} cannot be read (${code ?? String(error)})`, {
      code: "PLAN_JSON",
    });
  }
  return parsePlanJson(text, file);
}

/** One resource's action: Terraform writes a replace as [delete, create] or [create, delete]. */
export function changeAction(actions: readonly string[]): ChangeAction {
  if (actions.length === 2 && actions.includes("delete") && actions.includes("create")) return "replace";
  const [only] = actions;
  if (actions.length === 1 && (CHANGE_ACTIONS as readonly string[]).includes(only as string))
    return only as ChangeAction;
  throw new InputError(`plan JSON has an unknown action list ${JSON.stringify(actions)}`, {
    code: "PLAN_JSON",
  });
}

/**
 * A copy of `value` with every part `sensitive` marks (true, or true in the same place of a nested
 * object/array) replaced by SENSITIVE. A wholly sensitive value becomes SENSITIVE.
 */
export function redact(value: unknown, sensitive: unknown): unknown {
  if (sensitive === true) return SENSITIVE;
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const marks = Array.isArray(sensitive) ? sensitive : [];
    return value.map((item, index) => redact(item, marks[index]));
  }
  const marks =
    sensitive !== null && typeof sensitive === "object" ? (sensitive as Record<string, unknown>) : {};
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redact(item, marks[key])]));
}

/** Every scalar that `sensitive` marks in `value`, to find the same secret where Terraform forgot the mark. */
function sensitiveScalars(value: unknown, sensitive: unknown, into: Set<unknown>): Set<unknown> {
  if (value === null || value === undefined || sensitive === undefined || sensitive === false) return into;
  if (typeof value !== "object") {
    if (sensitive === true && value !== "" && typeof value !== "boolean") into.add(value);
    return into;
  }
  const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
  for (const [key, item] of entries) {
    const mark =
      sensitive === true
        ? true
        : sensitive !== null && typeof sensitive === "object"
          ? (sensitive as Record<string | number, unknown>)[key]
          : undefined;
    sensitiveScalars(item, mark, into);
  }
  return into;
}

function redactKnown(value: unknown, secrets: Set<unknown>): unknown {
  if (value === null || typeof value !== "object") return secrets.has(value) ? SENSITIVE : value;
  if (Array.isArray(value)) return value.map((item) => redactKnown(item, secrets));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactKnown(item, secrets)]));
}

/**
 * The before and after values of one change with what Terraform marks sensitive redacted, and the
 * same secret values redacted wherever else they appear in the change: Terraform does not always
 * carry the mark along (`terraform_data.output` holds a sensitive `input` unmarked in `before`).
 */
export function redactChange(
  before: unknown,
  beforeSensitive: unknown,
  after: unknown,
  afterSensitive: unknown,
): { before: unknown; after: unknown } {
  const secrets = sensitiveScalars(
    after,
    afterSensitive,
    sensitiveScalars(before, beforeSensitive, new Set()),
  );
  return {
    before: redactKnown(redact(before, beforeSensitive), secrets),
    after: redactKnown(redact(after, afterSensitive), secrets),
  };
}

export interface ResourceChange {
  address: string;
  type: string;
  mode: "managed" | "data";
  /** Short provider name: `registry.terraform.io/hashicorp/aws` → `hashicorp/aws`; built-in `terraform`. */
  provider: string;
  action: ChangeAction;
  /** Why Terraform replaces or deletes it (`replace_because_tainted`, `delete_because_no_resource_config`, ...). */
  actionReason?: string;
  /** Attribute paths that force the replacement, as `ami`, `tags.Name`, `network_interface[0]`. */
  replacePaths?: string[];
  /** The planned values, sensitive parts redacted; undefined for deletes. */
  after?: unknown;
  /** The values before, sensitive parts redacted; only for deletes and replaces (what goes away). */
  before?: unknown;
}

export interface PlanAnalysis {
  formatVersion: string;
  terraformVersion: string | undefined;
  counts: ActionCounts;
  /** Counts per provider (short name). */
  byProvider: Record<string, ActionCounts>;
  /** Every resource that is not a no-op, in plan order. */
  changes: ResourceChange[];
  replaced: ResourceChange[];
  /** Resources changed outside Terraform since the last apply. */
  drifted: number;
  outputsChanged: string[];
  /** True when the plan would change something (resources or outputs). */
  hasChanges: boolean;
  /** False when Terraform says the plan cannot be applied (errored, or incomplete). */
  applyable: boolean;
}

export function emptyCounts(): ActionCounts {
  return { create: 0, update: 0, delete: 0, replace: 0, read: 0, "no-op": 0, forget: 0 };
}

export function addCounts(into: ActionCounts, from: ActionCounts): ActionCounts {
  for (const action of CHANGE_ACTIONS) into[action] += from[action];
  return into;
}

function shortProvider(name: string | undefined): string {
  if (!name) return "unknown";
  return name.replace(/^registry\.(terraform|opentofu)\.io\//, "").replace(/^terraform\.io\/builtin\//, "");
}

function pathText(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (text, step) => (typeof step === "number" ? `${text}[${step}]` : text ? `${text}.${step}` : step),
    "",
  );
}

export function analyzePlan(plan: PlanJson): PlanAnalysis {
  const counts = emptyCounts();
  const byProvider: Record<string, ActionCounts> = {};
  const changes: ResourceChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const action = changeAction(rc.change.actions);
    const provider = shortProvider(rc.provider_name);
    counts[action] += 1;
    byProvider[provider] ??= emptyCounts();
    byProvider[provider][action] += 1;
    if (action === "no-op") continue;
    const values = redactChange(
      rc.change.before,
      rc.change.before_sensitive,
      rc.change.after,
      rc.change.after_sensitive,
    );
    const change: ResourceChange = {
      address: rc.address,
      type: rc.type,
      mode: rc.mode ?? (rc.address.startsWith("data.") ? "data" : "managed"),
      provider,
      action,
      ...(rc.action_reason === undefined ? {} : { actionReason: rc.action_reason }),
      ...(rc.change.replace_paths === undefined
        ? {}
        : { replacePaths: rc.change.replace_paths.map(pathText) }),
      ...(action === "delete" || rc.change.after === undefined ? {} : { after: values.after }),
      ...((action === "delete" || action === "replace") && rc.change.before != null
        ? { before: values.before }
        : {}),
    };
    changes.push(change);
  }
  const outputsChanged = Object.entries(plan.output_changes ?? {})
    .filter(([, change]) => !(change.actions.length === 1 && change.actions[0] === "no-op"))
    .map(([name]) => name);
  const resourcesChange = changes.some((c) => c.action !== "read");
  return {
    formatVersion: plan.format_version,
    terraformVersion: plan.terraform_version,
    counts,
    byProvider,
    changes,
    replaced: changes.filter((c) => c.action === "replace"),
    drifted: (plan.resource_drift ?? []).length,
    outputsChanged,
    hasChanges: resourcesChange || outputsChanged.length > 0,
    applyable: plan.errored !== true && plan.applyable !== false,
  };
}

/** `3 to create, 1 to replace`: the non-zero counts, or `no changes`. */
export function countsText(counts: ActionCounts): string {
  const verbs: Record<ChangeAction, string> = {
    create: "to create",
    update: "to update",
    delete: "to delete",
    replace: "to replace",
    read: "to read",
    "no-op": "unchanged",
    forget: "to forget",
  };
  const parts = CHANGE_ACTIONS.filter((a) => a !== "no-op" && counts[a] > 0).map(
    (a) => `${counts[a]} ${verbs[a]}`,
  );
  return parts.length ? parts.join(", ") : "no changes";
}
