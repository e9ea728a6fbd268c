/**
 * Money as Infracost writes it: a decimal string, or null when a cost depends on usage Infracost was
 * not given. Held as decimal.js values, never floats: 0.1 + 0.2 must stay 0.3 on a chargeback sheet.
 */
import { Decimal } from "decimal.js";
import { z } from "zod";

export { Decimal };

/** A cost, or null when unknown (usage-based without usage data). */
export type Money = Decimal | null;

const DECIMAL_TEXT = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** A decimal string (or null) as Infracost writes it, parsed into a Decimal. */
export const moneySchema = z
  .string()
  .regex(DECIMAL_TEXT, 'expected a decimal string such as "12.34"')
  .nullable()
  .transform((text): Money => (text === null ? null : new Decimal(text)));

export const ZERO = new Decimal(0);

/** Sum where null counts as zero: a known total of the known parts. */
export function sumMoney(values: Iterable<Money>): Decimal {
  let total = ZERO;
  for (const value of values) if (value !== null) total = total.plus(value);
  return total;
}

/** "1,303.28" style amount with two decimals (half-up), sign kept. */
export function formatMoney(value: Money, currency: string): string {
  if (value === null) return "unknown";
  const fixed = value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
  const [whole = "0", cents = "00"] = fixed.replace("-", "").split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${value.isNegative() && !value.isZero() ? "-" : ""}${grouped}.${cents} ${currency}`;
}

/** Signed form for diffs: "+12.00 USD", "-560.64 USD". */
export function formatDelta(value: Money, currency: string): string {
  if (value === null) return "unknown";
  const text = formatMoney(value, currency);
  return value.isPositive() && !value.isZero() ? `+${text}` : text;
}

/** A decimal in JSON and CSV: the exact digits, two decimals at least kept as Infracost wrote them. */
export function moneyText(value: Money): string | null {
  return value === null ? null : value.toFixed();
}
