/**
 * Chargeback files: cost per tenant as CSV (RFC 4180, for spreadsheets and FinOps tools) and JSON.
 * Amounts are exact decimal strings, in the currency Infracost priced in.
 */
import type { TenantCost } from "../costs.ts";
import { moneyText } from "../money.ts";

export const UNTAGGED = "(untagged)";

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function renderChargebackCsv(tenants: readonly TenantCost[], currency: string): string {
  const rows = [
    [
      "tenant",
      "currency",
      "monthly_cost",
      "previous_monthly_cost",
      "change",
      "direct_cost",
      "shared_cost",
      "resources",
    ],
    ...tenants.map((t) => [
      t.tenant ?? UNTAGGED,
      currency,
      moneyText(t.current) ?? "",
      moneyText(t.past) ?? "",
      moneyText(t.delta) ?? "",
      moneyText(t.direct) ?? "",
      moneyText(t.shared) ?? "",
      String(t.resources),
    ]),
  ];
  return `${rows.map((r) => r.map(csvField).join(",")).join("\n")}\n`;
}

export interface ChargebackEntry {
  tenant: string | null;
  monthlyCost: string;
  previousMonthlyCost: string;
  change: string;
  directCost: string;
  sharedCost: string;
  resources: number;
}

export function chargebackEntries(tenants: readonly TenantCost[]): ChargebackEntry[] {
  return tenants.map((t) => ({
    tenant: t.tenant ?? null,
    monthlyCost: t.current.toFixed(),
    previousMonthlyCost: t.past.toFixed(),
    change: t.delta.toFixed(),
    directCost: t.direct.toFixed(),
    sharedCost: t.shared.toFixed(),
    resources: t.resources,
  }));
}
