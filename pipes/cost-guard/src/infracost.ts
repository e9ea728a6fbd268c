/**
 * Infracost's JSON output (format 0.2: `infracost breakdown --format json` and `infracost diff
 * --format json`, https://www.infracost.io/docs/features/cli_commands/), parsed at the edge with zod.
 * A breakdown and a diff share the format: a diff fills `pastBreakdown` and `diff` of each project.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { InputError } from "@pipes/core";
import { z } from "zod";
import { type Decimal, type Money, moneySchema, sumMoney } from "./money.ts";

const costComponent = z.object({
  name: z.string(),
  unit: z.string().default(""),
  price: moneySchema.default(null),
  monthlyQuantity: moneySchema.default(null),
  monthlyCost: moneySchema.default(null),
});

interface RawResource {
  name: string;
  resourceType?: string | undefined;
  tags?: Record<string, string> | undefined;
  monthlyCost: Money;
  costComponents: z.output<typeof costComponent>[];
  subresources: RawResource[];
}

const resource: z.ZodType<RawResource, unknown> = z.lazy(() =>
  z.object({
    name: z.string(),
    resourceType: z.string().optional(),
    tags: z
      .record(z.string(), z.string())
      .nullish()
      .transform((t) => t ?? undefined),
    monthlyCost: moneySchema.default(null),
    costComponents: z
      .array(costComponent)
      .nullish()
      .transform((c) => c ?? []),
    subresources: z
      .array(resource)
      .nullish()
      .transform((s) => s ?? []),
  }),
);

const breakdown = z.object({
  resources: z
    .array(resource)
    .nullish()
    .transform((r) => r ?? []),
  totalMonthlyCost: moneySchema.default(null),
});

const project = z.object({
  name: z.string(),
  metadata: z
    .object({ path: z.string().optional(), terraformWorkspace: z.string().optional() })
    .loose()
    .default({}),
  breakdown: breakdown.nullish(),
  pastBreakdown: breakdown.nullish(),
  diff: breakdown.nullish(),
});

const infracostOutput = z.object({
  version: z.string(),
  currency: z.string().default("USD"),
  projects: z.array(project),
  totalMonthlyCost: moneySchema.default(null),
  pastTotalMonthlyCost: moneySchema.default(null),
  diffTotalMonthlyCost: moneySchema.default(null),
  timeGenerated: z.string().optional(),
});

export interface CostComponent {
  name: string;
  unit: string;
  price: Money;
  monthlyQuantity: Money;
  monthlyCost: Money;
}

export interface CostResource {
  /** Terraform address, e.g. `aws_instance.web_app` or `module.vpc.aws_nat_gateway.this[0]`. */
  address: string;
  /** `aws_instance`: from Infracost when it says, else from the address. */
  resourceType: string;
  /** Tags Infracost read from the plan, if its version writes them. */
  tags: Record<string, string>;
  monthlyCost: Money;
  components: CostComponent[];
  subresources: CostResource[];
}

export interface CostBreakdown {
  resources: CostResource[];
  totalMonthlyCost: Money;
}

export interface CostProject {
  name: string;
  path: string | undefined;
  workspace: string | undefined;
  breakdown: CostBreakdown;
  /** Only in a diff: the cost before the change. */
  pastBreakdown: CostBreakdown | undefined;
  diff: CostBreakdown | undefined;
}

export interface CostReport {
  file: string;
  currency: string;
  projects: CostProject[];
  totalMonthlyCost: Money;
  pastTotalMonthlyCost: Money;
  diffTotalMonthlyCost: Money;
  /** True when the file holds a diff (`pastBreakdown` of some project). */
  isDiff: boolean;
}

/** The resource type of a Terraform address: the last `type.name` pair, module path and index dropped. */
export function resourceTypeOf(address: string): string {
  const parts = address.replace(/\[[^\]]*\]/g, "").split(".");
  return parts.at(-2) ?? address;
}

function toResource(raw: RawResource): CostResource {
  return {
    address: raw.name,
    resourceType: raw.resourceType ?? resourceTypeOf(raw.name),
    tags: raw.tags ?? {},
    monthlyCost: raw.monthlyCost,
    components: raw.costComponents,
    subresources: raw.subresources.map(toResource),
  };
}

function toBreakdown(raw: z.output<typeof breakdown>): CostBreakdown {
  return { resources: raw.resources.map(toResource), totalMonthlyCost: raw.totalMonthlyCost };
}

function issueText(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? issue.path.map(String).join(".") : "(top level)";
  return `${where}: ${issue.message}`;
}

/** Parses Infracost JSON text. `file` names the input in errors (relative to the clone). */
export function parseInfracost(text: string, file: string): CostReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}); expected Infracost JSON output (infracost breakdown/diff --format json).`,
      { suggestion: "Write it with `infracost breakdown --path ... --format json --out-file <file>`." },
    );
  }
  const parsed = infracostOutput.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map(issueText).join("; ");
    throw new InputError(`${file} is not Infracost JSON output (format 0.2): ${issues}.`, {
      suggestion: "Pass the file written by `infracost breakdown` or `infracost diff` with `--format json`.",
    });
  }
  const raw = parsed.data;
  const projects = raw.projects.map(
    (p): CostProject => ({
      name: p.name,
      path: p.metadata.path,
      workspace: p.metadata.terraformWorkspace,
      breakdown: p.breakdown ? toBreakdown(p.breakdown) : { resources: [], totalMonthlyCost: null },
      pastBreakdown: p.pastBreakdown ? toBreakdown(p.pastBreakdown) : undefined,
      diff: p.diff ? toBreakdown(p.diff) : undefined,
    }),
  );
  return {
    file,
    currency: raw.currency,
    projects,
    totalMonthlyCost: raw.totalMonthlyCost,
    pastTotalMonthlyCost: raw.pastTotalMonthlyCost,
    diffTotalMonthlyCost: raw.diffTotalMonthlyCost,
    isDiff: projects.some((p) => p.pastBreakdown !== undefined),
  };
}

/** Reads and parses one Infracost JSON file; `cloneDir` makes the name in errors relative. */
export async function readInfracostFile(file: string, cloneDir: string): Promise<CostReport> {
  const shown = path.relative(cloneDir, file) || file;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new InputError(`${shown} cannot be read: ${(error as NodeJS.ErrnoException).code ?? error}`, {
      suggestion: "Check INFRACOST_FILE: a path relative to the clone directory, written by an earlier step.",
    });
  }
  return parseInfracost(text, shown);
}

/** A resource's own cost plus its subresources' (null parts count as zero). */
export function resourceMonthlyCost(resource: CostResource): Decimal {
  if (resource.monthlyCost !== null) return resource.monthlyCost;
  return sumMoney([
    sumMoney(resource.components.map((c) => c.monthlyCost)),
    ...resource.subresources.map(resourceMonthlyCost),
  ]);
}

/** Sum of the resources of a breakdown: checks the total Infracost wrote. */
export function breakdownMonthlyCost(b: CostBreakdown): Decimal {
  return sumMoney(b.resources.map(resourceMonthlyCost));
}

/** A project's cost now, before, and the change (a breakdown's past is zero). */
export interface ProjectCost {
  project: string;
  current: Decimal;
  past: Decimal;
  delta: Decimal;
}

export function projectCost(p: CostProject): ProjectCost {
  const current = p.breakdown.totalMonthlyCost ?? breakdownMonthlyCost(p.breakdown);
  const diff = p.diff ? (p.diff.totalMonthlyCost ?? breakdownMonthlyCost(p.diff)) : undefined;
  const past = p.pastBreakdown
    ? (p.pastBreakdown.totalMonthlyCost ?? breakdownMonthlyCost(p.pastBreakdown))
    : current.minus(diff ?? 0);
  return { project: p.name, current, past, delta: diff ?? current.minus(past) };
}
