/**
 * The cost table every decision reads: one line per resource of each project, with its provider,
 * environment and tenant, cost before and after the change. Shared resources are split into one line
 * per tenant by the shared-cost rules. Pure: tags come in as data (from the plan JSONs).
 */
import picomatch from "picomatch";
import type { CostGuardConfig, Provider, ShareRule } from "./config.ts";
import { type CostProject, type CostReport, type CostResource, resourceMonthlyCost } from "./infracost.ts";
import { Decimal, sumMoney, ZERO } from "./money.ts";

/** Address → tags (AWS, Azure) or labels (Google) of the planned resource. */
export type ResourceTags = ReadonlyMap<string, Readonly<Record<string, string>>>;

export interface CostLine {
  project: string;
  environment: string | undefined;
  provider: Provider | undefined;
  address: string;
  resourceType: string;
  /** Undefined: untagged, shown apart. */
  tenant: string | undefined;
  /** The line is a tenant's share of a shared resource. */
  shared: boolean;
  current: Decimal;
  past: Decimal;
}

export function providerOf(resourceType: string): Provider | undefined {
  if (resourceType.startsWith("aws_")) return "aws";
  if (resourceType.startsWith("azurerm_")) return "azurerm";
  if (resourceType.startsWith("google_")) return "google";
  return undefined;
}

/** The environment of a project: the first `environments` entry whose glob matches its name or path. */
export function projectEnvironment(
  project: Pick<CostProject, "name" | "path">,
  environments: CostGuardConfig["environments"],
  fallback: string | undefined,
): string | undefined {
  for (const [environment, globs] of Object.entries(environments)) {
    const matches = picomatch(globs, { dot: true });
    if (matches(project.name) || (project.path !== undefined && matches(project.path))) return environment;
  }
  return fallback;
}

function tenantOf(
  resource: CostResource,
  provider: Provider | undefined,
  keys: CostGuardConfig["tenants"]["keys"],
  tags: ResourceTags,
): string | undefined {
  if (!provider) return undefined;
  const key = keys[provider];
  if (!key) return undefined;
  const value = resource.tags[key] ?? tags.get(resource.address)?.[key];
  return value === undefined || value === "" ? undefined : value;
}

interface DirectLine extends CostLine {
  rule: ShareRule | undefined;
}

/** Splits `amount` by weights, the rounding remainder to the last part, so the parts add up exactly. */
export function splitAmount(amount: Decimal, weights: readonly Decimal[]): Decimal[] {
  const total = sumMoney(weights);
  if (weights.length === 0) return [];
  const even = total.isZero();
  const parts = weights.map((w) =>
    (even ? amount.dividedBy(weights.length) : amount.times(w).dividedBy(total)).toDecimalPlaces(
      10,
      Decimal.ROUND_DOWN,
    ),
  );
  const rest = amount.minus(sumMoney(parts));
  parts[parts.length - 1] = (parts.at(-1) ?? ZERO).plus(rest);
  return parts;
}

function shareWeights(
  rule: ShareRule,
  tenants: readonly string[],
  directCost: ReadonlyMap<string, { current: Decimal; past: Decimal }>,
  side: "current" | "past",
): Decimal[] {
  if (rule.split === "even") return tenants.map(() => new Decimal(1));
  if (rule.split === "weights") return tenants.map((t) => new Decimal(rule.weights?.[t] ?? 0));
  return tenants.map((t) => directCost.get(t)?.[side] ?? ZERO);
}

/** Each tenant's cost of the resources that are not shared: the weights of a proportional split. */
function directCosts(direct: readonly DirectLine[]): Map<string, { current: Decimal; past: Decimal }> {
  const totals = new Map<string, { current: Decimal; past: Decimal }>();
  for (const line of direct) {
    if (line.rule || line.tenant === undefined) continue;
    const total = totals.get(line.tenant) ?? { current: ZERO, past: ZERO };
    totals.set(line.tenant, { current: total.current.plus(line.current), past: total.past.plus(line.past) });
  }
  return totals;
}

export interface CostTableInput {
  reports: readonly CostReport[];
  config: CostGuardConfig;
  tags: ResourceTags;
  /** Environment of projects no `environments` glob matches (ENVIRONMENT or the deployment). */
  environment: string | undefined;
}

/** The cost lines of every project, shared resources split between tenants. */
export function costTable({ reports, config, tags, environment }: CostTableInput): CostLine[] {
  const rules = config.tenants.shared.map((rule) => ({
    rule,
    matches: picomatch(rule.resources, { dot: true }),
  }));
  const direct: DirectLine[] = [];
  for (const report of reports) {
    for (const project of report.projects) {
      const env = projectEnvironment(project, config.environments, environment);
      const before = new Map((project.pastBreakdown?.resources ?? []).map((r) => [r.address, r]));
      const after = new Map(project.breakdown.resources.map((r) => [r.address, r]));
      for (const address of new Set([...before.keys(), ...after.keys()])) {
        const now = after.get(address);
        const then = before.get(address);
        const resource = (now ?? then) as CostResource;
        const provider = providerOf(resource.resourceType);
        direct.push({
          project: project.name,
          environment: env,
          provider,
          address,
          resourceType: resource.resourceType,
          tenant: tenantOf(resource, provider, config.tenants.keys, tags),
          shared: false,
          current: now ? resourceMonthlyCost(now) : ZERO,
          past: then
            ? resourceMonthlyCost(then)
            : project.pastBreakdown
              ? ZERO
              : now
                ? resourceMonthlyCost(now)
                : ZERO,
          rule: rules.find((r) => r.matches(address))?.rule,
        });
      }
    }
  }
  const tenantsWithCost = [
    ...new Set(direct.filter((l) => l.tenant && !l.rule).map((l) => l.tenant as string)),
  ].sort();
  const totals = directCosts(direct);
  const lines: CostLine[] = [];
  for (const line of direct) {
    const { rule, ...plain } = line;
    if (!rule) {
      lines.push(plain);
      continue;
    }
    const tenants =
      rule.tenants ?? (rule.split === "weights" ? Object.keys(rule.weights ?? {}).sort() : tenantsWithCost);
    if (tenants.length === 0) {
      lines.push(plain);
      continue;
    }
    const current = splitAmount(line.current, shareWeights(rule, tenants, totals, "current"));
    const past = splitAmount(line.past, shareWeights(rule, tenants, totals, "past"));
    tenants.forEach((tenant, i) => {
      lines.push({ ...plain, tenant, shared: true, current: current[i] ?? ZERO, past: past[i] ?? ZERO });
    });
  }
  return lines;
}

export interface CostSum {
  current: Decimal;
  past: Decimal;
  delta: Decimal;
}

export function sumLines(lines: readonly CostLine[]): CostSum {
  const current = sumMoney(lines.map((l) => l.current));
  const past = sumMoney(lines.map((l) => l.past));
  return { current, past, delta: current.minus(past) };
}

export interface TenantCost extends CostSum {
  /** Undefined: the untagged cost. */
  tenant: string | undefined;
  direct: Decimal;
  shared: Decimal;
  resources: number;
}

/** Cost per tenant (sorted by name), the untagged cost last. */
export function tenantCosts(lines: readonly CostLine[]): TenantCost[] {
  const groups = new Map<string | undefined, CostLine[]>();
  for (const line of lines) {
    const group = groups.get(line.tenant);
    if (group) group.push(line);
    else groups.set(line.tenant, [line]);
  }
  const keys = [...groups.keys()].sort((a, b) =>
    a === undefined ? 1 : b === undefined ? -1 : a.localeCompare(b),
  );
  return keys.map((tenant) => {
    const group = groups.get(tenant) ?? [];
    return {
      tenant,
      ...sumLines(group),
      direct: sumMoney(group.filter((l) => !l.shared).map((l) => l.current)),
      shared: sumMoney(group.filter((l) => l.shared).map((l) => l.current)),
      resources: new Set(group.map((l) => `${l.project}\u0000${l.address}`)).size,
    };
  });
}

export interface ProjectSum extends CostSum {
  project: string;
  environment: string | undefined;
}

export function projectCosts(lines: readonly CostLine[]): ProjectSum[] {
  const groups = new Map<string, CostLine[]>();
  for (const line of lines) {
    const group = groups.get(line.project);
    if (group) group.push(line);
    else groups.set(line.project, [line]);
  }
  return [...groups].map(([project, group]) => ({
    project,
    environment: group[0]?.environment,
    ...sumLines(group),
  }));
}
