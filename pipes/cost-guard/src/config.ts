/**
 * The pipe's policy file, `.cost-guard.yml`: budgets, approvers, anomaly detection, tenants and
 * shared-cost rules. Only `loadConfig` touches the disk. A missing file means no budgets (every
 * change passes, costs are still reported) and the default anomaly settings.
 *
 * Amounts are written as numbers or strings in the file and held as decimals (`"1500.50"`): the
 * YAML parser reads numbers as floats, so a budget that must be exact to the cent is best quoted.
 */
import { readFile } from "node:fs/promises";
import { InputError } from "@pipes/core";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { Decimal } from "./money.ts";

export const ACTIONS = ["pass", "warn", "require-approval", "fail"] as const;
export type BudgetAction = (typeof ACTIONS)[number];

export const PROVIDERS = ["aws", "azurerm", "google"] as const;
export type Provider = (typeof PROVIDERS)[number];

const amount = z
  .union([z.number(), z.string().regex(/^\d+(\.\d+)?$/, 'expected an amount such as 1500 or "1500.50"')])
  .transform((value) => new Decimal(value))
  .refine((value) => !value.isNegative(), "must not be negative");

/** Which costs a budget covers: every field given must match (globs for project). */
const scope = z
  .object({
    environment: z.string().optional(),
    provider: z.enum(PROVIDERS).optional(),
    project: z.string().optional(),
    tenant: z.string().optional(),
  })
  .strict();

const budget = z
  .object({
    name: z.string().min(1),
    scope: scope.default({}),
    /** Ceiling on the monthly cost after the change. */
    monthly: amount.optional(),
    increase: z
      .object({ absolute: amount.optional(), percent: amount.optional() })
      .strict()
      .refine((i) => i.absolute !== undefined || i.percent !== undefined, "give absolute, percent or both")
      .optional(),
    action: z.enum(ACTIONS).default("fail"),
  })
  .strict()
  .refine(
    (b) => b.monthly !== undefined || b.increase !== undefined,
    "a budget needs monthly, increase or both",
  );

const shareRule = z
  .object({
    /** Cost of resources whose address matches (glob) is shared... */
    resources: z.array(z.string()).min(1),
    /** ...between these tenants (default: every tenant with direct cost). */
    tenants: z.array(z.string()).optional(),
    split: z.enum(["even", "proportional", "weights"]).default("even"),
    weights: z.record(z.string(), z.number().positive()).optional(),
  })
  .strict()
  .refine((r) => r.split !== "weights" || (r.weights && Object.keys(r.weights).length > 0), {
    message: "split: weights needs a weights map",
  });

const configSchema = z
  .object({
    /** Project (name or path glob) → environment. First match wins. */
    environments: z.record(z.string(), z.array(z.string())).default({}),
    budgets: z.array(budget).default([]),
    approvals: z
      .object({
        /** Bitbucket nicknames, account ids or {uuids}; `group:<name>` for a group below. */
        approvers: z.array(z.string()).default([]),
        groups: z.record(z.string(), z.array(z.string())).default({}),
        /** How many distinct allowed approvers are needed. */
        required: z.number().int().min(1).default(1),
      })
      .strict()
      .default({ approvers: [], groups: {}, required: 1 }),
    anomaly: z
      .object({
        enabled: z.boolean().default(true),
        /** The last N runs of a project make the distribution. */
        window: z.number().int().min(3).default(10),
        /** Fewer runs than this in the history: no judgement yet. */
        min_runs: z.number().int().min(3).default(5),
        /** Modified z-score (0.6745·|x − median| / MAD) above which a cost is an anomaly. */
        threshold: z.number().positive().default(3.5),
        action: z.enum(ACTIONS).default("warn"),
      })
      .strict()
      .default({ enabled: true, window: 10, min_runs: 5, threshold: 3.5, action: "warn" }),
    tenants: z
      .object({
        /** Tag (AWS), label (Google) or tag (Azure) key naming the tenant, per provider. */
        keys: z
          .partialRecord(z.enum(PROVIDERS), z.string())
          .default({ aws: "tenant", azurerm: "tenant", google: "tenant" }),
        shared: z.array(shareRule).default([]),
      })
      .strict()
      .default({ keys: { aws: "tenant", azurerm: "tenant", google: "tenant" }, shared: [] }),
    suggestions: z
      .object({ enabled: z.boolean().default(true) })
      .strict()
      .default({ enabled: true }),
  })
  .strict();

export type CostGuardConfig = z.output<typeof configSchema>;
export type Budget = CostGuardConfig["budgets"][number];
export type ShareRule = CostGuardConfig["tenants"]["shared"][number];
export type ApprovalSettings = CostGuardConfig["approvals"];
export type AnomalySettings = CostGuardConfig["anomaly"];

export const DEFAULT_CONFIG: CostGuardConfig = configSchema.parse({});

function where(issue: z.core.$ZodIssue): string {
  return issue.path.length
    ? issue.path
        .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
        .join("")
        .replace(/^\./, "")
    : "(top level)";
}

export function parseConfig(text: string, fileName: string): CostGuardConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new InputError(
      `${fileName} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${where(i)}: ${i.message}`);
    throw new InputError(`${fileName} is invalid: ${issues.join("; ")}`, {
      suggestion: 'See the pipe\'s README, section ".cost-guard.yml".',
    });
  }
  return parsed.data;
}

/** The file, or the defaults when it does not exist. */
export async function loadConfig(file: string, displayName: string): Promise<CostGuardConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return DEFAULT_CONFIG;
    throw new InputError(`${displayName} cannot be read: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  return parseConfig(text, displayName);
}
