/**
 * Optimisation suggestions from the breakdown: what Infracost priced and a platform team commonly
 * changes. Each names the resource, says why, and estimates the monthly saving where the breakdown
 * has the price of what would change. Ratios are AWS on-demand list prices (us-east-1) of the
 * replacement against the original: estimates, and the report says so. Pure.
 */
import type { CostLine } from "./costs.ts";
import type { CostComponent, CostReport, CostResource } from "./infracost.ts";
import { Decimal, sumMoney } from "./money.ts";

export interface Suggestion {
  rule: "previous-generation" | "gp2-to-gp3" | "oversized-dev-instance" | "nat-gateway-per-zone";
  project: string;
  address: string;
  message: string;
  /** Estimated monthly saving; undefined when the breakdown has no price for it. */
  monthlySaving: Decimal | undefined;
}

/** Previous-generation family → a current one, and the price ratio of new to old at the same size. */
const PREVIOUS_GENERATION: Record<string, { to: string; ratio: string }> = {
  t2: { to: "t3", ratio: "0.9" }, // t2.medium 0.0464 → t3.medium 0.0416
  m3: { to: "m6i", ratio: "0.72" }, // m3.large 0.133 → m6i.large 0.096
  m4: { to: "m6i", ratio: "0.96" }, // m4.large 0.10 → m6i.large 0.096
  c3: { to: "c6i", ratio: "0.81" }, // c3.large 0.105 → c6i.large 0.085
  c4: { to: "c6i", ratio: "0.85" }, // c4.large 0.10 → c6i.large 0.085
  r3: { to: "r6i", ratio: "0.76" }, // r3.large 0.166 → r6i.large 0.126
  r4: { to: "r6i", ratio: "0.95" }, // r4.large 0.133 → r6i.large 0.126
};

/** gp3 storage costs 0.08 USD/GB-month against gp2's 0.10 in us-east-1. */
const GP3_RATIO = new Decimal("0.8");

/** The largest size we call reasonable for a dev environment, in units of one xlarge. */
const DEV_MAX_XLARGE = 2;

/** "Instance usage (Linux/UNIX, on-demand, m5.8xlarge)" → "m5.8xlarge"; RDS "db.t2.micro" → "t2.micro". */
export function instanceTypeOf(component: CostComponent): string | undefined {
  const match = /\(([^)]*)\)\s*$/.exec(component.name);
  const last = match?.[1]?.split(",").at(-1)?.trim();
  if (!last || !/^(db\.|cache\.)?[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(last)) return undefined;
  return last.replace(/^(db|cache)\./, "");
}

/** Size in units of one xlarge: 8xlarge → 8, large → 0.5; undefined for metal and unknown sizes. */
export function sizeInXlarge(size: string): number | undefined {
  const n = /^(\d+)xlarge$/.exec(size);
  if (n) return Number(n[1]);
  return { xlarge: 1, large: 0.5, medium: 0.25, small: 0.125, micro: 0.0625, nano: 0.03125 }[size];
}

function* walk(resource: CostResource): Generator<[CostResource, CostComponent]> {
  for (const component of resource.components) yield [resource, component];
  for (const sub of resource.subresources) yield* walk(sub);
}

const saving = (cost: Decimal | null, fraction: Decimal): Decimal | undefined =>
  cost === null ? undefined : cost.times(fraction).toDecimalPlaces(2);

/** Suggestions for every project's resources after the change. */
export function suggestOptimisations(
  reports: readonly CostReport[],
  lines: readonly CostLine[],
): Suggestion[] {
  const environmentOf = new Map(lines.map((l) => [l.project, l.environment]));
  const suggestions: Suggestion[] = [];
  for (const report of reports) {
    for (const project of report.projects) {
      const dev = /^(dev|development|sandbox|test)/i.test(environmentOf.get(project.name) ?? "");
      const natGateways: CostResource[] = [];
      for (const resource of project.breakdown.resources) {
        if (resource.resourceType === "aws_nat_gateway") natGateways.push(resource);
        for (const [owner, component] of walk(resource)) {
          const where = owner === resource ? resource.address : `${resource.address} ${owner.address}`;
          const type = instanceTypeOf(component);
          const [family = "", size = ""] = type?.split(".") ?? [];
          const next = PREVIOUS_GENERATION[family];
          if (type && next)
            suggestions.push({
              rule: "previous-generation",
              project: project.name,
              address: resource.address,
              message: `${type} is a previous-generation type: ${next.to}.${size} costs about ${Math.round((1 - Number(next.ratio)) * 100)}% less and is faster`,
              monthlySaving: saving(component.monthlyCost, new Decimal(1).minus(next.ratio)),
            });
          const units = sizeInXlarge(size);
          if (type && dev && units !== undefined && units > DEV_MAX_XLARGE)
            suggestions.push({
              rule: "oversized-dev-instance",
              project: project.name,
              address: resource.address,
              message: `${type} in a dev environment: ${family}.${DEV_MAX_XLARGE}xlarge is ${units / DEV_MAX_XLARGE}× smaller and priced in proportion`,
              monthlySaving: saving(
                component.monthlyCost,
                new Decimal(1).minus(new Decimal(DEV_MAX_XLARGE).dividedBy(units)),
              ),
            });
          if (/\bgp2\b/.test(component.name))
            suggestions.push({
              rule: "gp2-to-gp3",
              project: project.name,
              address: where,
              message: "gp2 volume: gp3 gives the same baseline performance for 20% less per GB",
              monthlySaving: saving(component.monthlyCost, new Decimal(1).minus(GP3_RATIO)),
            });
        }
      }
      if (dev && natGateways.length > 1) {
        const costs = natGateways.map((n) => n.monthlyCost);
        const known = costs.every((c) => c !== null);
        const sorted = natGateways
          .map((n) => n.monthlyCost)
          .filter((c): c is Decimal => c !== null)
          .sort((a, b) => a.comparedTo(b));
        suggestions.push({
          rule: "nat-gateway-per-zone",
          project: project.name,
          address: natGateways.map((n) => n.address).join(", "),
          message: `${natGateways.length} NAT gateways in a dev environment (one per zone): one shared gateway is enough outside production`,
          monthlySaving: known ? sumMoney(sorted.slice(1)) : undefined,
        });
      }
    }
  }
  return suggestions;
}
