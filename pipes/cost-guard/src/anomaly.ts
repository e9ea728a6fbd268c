/**
 * Anomaly detection over a project's cost history: a run's monthly cost is an anomaly when it lies
 * far outside the last N runs, measured with robust statistics that a single earlier outlier cannot
 * drag: the median and the median absolute deviation (MAD), as the modified z-score
 * 0.6745 · (x − median) / MAD of Iglewicz and Hoaglin (threshold 3.5 by default). Pure.
 */
import type { AnomalySettings } from "./config.ts";
import { Decimal, formatMoney } from "./money.ts";

/** One run of one project, as kept in the history store. */
export interface CostRecord {
  project: string;
  /** ISO time of the run. */
  time: string;
  monthlyCost: string;
  commit?: string | undefined;
  branch?: string | undefined;
  build?: number | undefined;
}

export interface AnomalyResult {
  project: string;
  anomaly: boolean;
  /** Runs the judgement used (the last N before this one). */
  runs: number;
  median: Decimal | undefined;
  mad: Decimal | undefined;
  score: Decimal | undefined;
  explanation: string;
}

export function median(values: readonly Decimal[]): Decimal {
  const sorted = [...values].sort((a, b) => a.comparedTo(b));
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) throw new Error("median of nothing");
  if (sorted.length % 2 === 1) return sorted[mid] as Decimal;
  return (sorted[mid - 1] as Decimal).plus(sorted[mid] as Decimal).dividedBy(2);
}

const CONSISTENCY = new Decimal("0.6745");

/**
 * @param history earlier records of the project, oldest first (this run not included).
 */
export function detectAnomaly(
  project: string,
  current: Decimal,
  history: readonly CostRecord[],
  settings: AnomalySettings,
  currency: string,
): AnomalyResult {
  const window = history.slice(-settings.window).map((r) => new Decimal(r.monthlyCost));
  const money = (d: Decimal) => formatMoney(d, currency);
  if (window.length < settings.min_runs)
    return {
      project,
      anomaly: false,
      runs: window.length,
      median: undefined,
      mad: undefined,
      score: undefined,
      explanation: `${window.length} earlier run${window.length === 1 ? "" : "s"} in the history; anomaly detection starts after ${settings.min_runs}.`,
    };
  const med = median(window);
  const mad = median(window.map((v) => v.minus(med).abs()));
  const deviation = current.minus(med);
  const base = `${money(current)} against a median of ${money(med)} over the last ${window.length} runs`;
  if (mad.isZero()) {
    const anomaly = !deviation.isZero();
    return {
      project,
      anomaly,
      runs: window.length,
      median: med,
      mad,
      score: undefined,
      explanation: anomaly
        ? `${base}, which all cost about the same (MAD 0): any change of ${money(deviation.abs())} stands out.`
        : `${base}: unchanged.`,
    };
  }
  const score = CONSISTENCY.times(deviation).dividedBy(mad);
  const anomaly = score.abs().greaterThan(settings.threshold);
  const shown = score.toDecimalPlaces(1).toFixed(1);
  return {
    project,
    anomaly,
    runs: window.length,
    median: med,
    mad,
    score,
    explanation: anomaly
      ? `${base} (MAD ${money(mad)}): a modified z-score of ${shown}, beyond ±${settings.threshold}; the cost ${deviation.isPositive() ? "jumped" : "dropped"} by ${money(deviation.abs())}, far outside the recent spread.`
      : `${base} (MAD ${money(mad)}): modified z-score ${shown}, within ±${settings.threshold}.`,
  };
}
