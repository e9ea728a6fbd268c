/**
 * Retention (grandfather-father-son) for backups: a pure plan, then an adapter that deletes.
 * Buckets are UTC calendar days, ISO weeks and months, per lineage; within each bucket the newest
 * backup is kept. Globally protected, whatever the policy: the newest readable backup, the newest
 * backup of every lineage that would otherwise lose all of them, and anything timed after `now`.
 */
import { InputError } from "@pipes/core";
import type { ObjectStore } from "@pipes/storage";
import type { Backup } from "./backups.ts";

export interface RetentionPolicy {
  keepLast: number;
  daily: number;
  weekly: number;
  monthly: number;
}

export interface RetentionPlan {
  keep: { backup: Backup; reasons: string[] }[];
  remove: { backup: Backup; reason: string }[];
}

export interface RetentionOptions {
  /** Keys of backups that did not decrypt/verify: never counted as the "newest good backup". */
  unreadable?: ReadonlySet<string>;
}

/** Newest first: time, then serial, then key (a total order, so plans are deterministic). */
export function newestFirst(a: Backup, b: Backup): number {
  return b.time.getTime() - a.time.getTime() || b.serial - a.serial || b.key.localeCompare(a.key);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

export function utcDay(time: Date): string {
  return `${time.getUTCFullYear()}-${pad(time.getUTCMonth() + 1)}-${pad(time.getUTCDate())}`;
}

export function utcMonth(time: Date): string {
  return `${time.getUTCFullYear()}-${pad(time.getUTCMonth() + 1)}`;
}

/** ISO 8601 week of the UTC date, e.g. "2026-W49" (the week-year can differ from the calendar year). */
export function isoWeek(time: Date): string {
  const day = new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week decides its year
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${pad(week)}`;
}

export function checkPolicy(policy: RetentionPolicy): void {
  for (const [name, value] of Object.entries(policy))
    if (!Number.isSafeInteger(value) || value < 0)
      throw new InputError(`retention ${name} is ${String(value)}: expected a whole number ≥ 0`, {
        code: "RETENTION_POLICY",
        suggestion: "Set KEEP_LAST, KEEP_DAILY, KEEP_WEEKLY and KEEP_MONTHLY to 0 or more.",
      });
}

/** The newest backup of each of the `count` newest buckets (input sorted newest first). */
function newestPerBucket(
  sorted: readonly Backup[],
  bucketOf: (time: Date) => string,
  count: number,
): { backup: Backup; bucket: string }[] {
  const chosen: { backup: Backup; bucket: string }[] = [];
  const seen = new Set<string>();
  for (const backup of sorted) {
    if (chosen.length >= count) break;
    const bucket = bucketOf(backup.time);
    if (seen.has(bucket)) continue;
    seen.add(bucket);
    chosen.push({ backup, bucket });
  }
  return chosen;
}

/** Which backups to keep (with every reason) and which to remove (with one reason). Pure. */
export function retentionPlan(
  backups: readonly Backup[],
  policy: RetentionPolicy,
  now: Date,
  options: RetentionOptions = {},
): RetentionPlan {
  checkPolicy(policy);
  const unreadable = options.unreadable ?? new Set<string>();
  const sorted = [...backups].sort(newestFirst);
  const reasons = new Map<string, string[]>();
  const keep = (backup: Backup, reason: string) => {
    const list = reasons.get(backup.key) ?? [];
    if (!list.includes(reason)) list.push(reason);
    reasons.set(backup.key, list);
  };

  for (const backup of sorted) if (backup.time.getTime() > now.getTime()) keep(backup, "in the future");

  const lineages = new Map<string, Backup[]>();
  for (const backup of sorted) {
    if (backup.time.getTime() > now.getTime()) continue;
    const list = lineages.get(backup.lineage) ?? [];
    list.push(backup);
    lineages.set(backup.lineage, list);
  }
  for (const versions of lineages.values()) {
    for (const backup of versions.slice(0, policy.keepLast)) keep(backup, `last ${policy.keepLast}`);
    for (const { backup, bucket } of newestPerBucket(versions, utcDay, policy.daily))
      keep(backup, `daily ${bucket}`);
    for (const { backup, bucket } of newestPerBucket(versions, isoWeek, policy.weekly))
      keep(backup, `weekly ${bucket}`);
    for (const { backup, bucket } of newestPerBucket(versions, utcMonth, policy.monthly))
      keep(backup, `monthly ${bucket}`);
  }

  const newestGood = sorted.find((b) => !unreadable.has(b.key));
  if (newestGood) keep(newestGood, "newest good backup");
  const lineageNames = new Set(sorted.map((b) => b.lineage));
  for (const lineage of lineageNames) {
    const versions = sorted.filter((b) => b.lineage === lineage);
    const first = versions[0];
    if (first && !versions.some((b) => reasons.has(b.key))) keep(first, `only copy of lineage ${lineage}`);
  }

  const plan: RetentionPlan = { keep: [], remove: [] };
  for (const backup of sorted) {
    const why = reasons.get(backup.key);
    if (why) plan.keep.push({ backup, reasons: why });
    else plan.remove.push({ backup, reason: describeRemoval(policy) });
  }
  return plan;
}

function describeRemoval(policy: RetentionPolicy): string {
  return `outside the policy (last ${policy.keepLast}, daily ${policy.daily}, weekly ${policy.weekly}, monthly ${policy.monthly})`;
}

/** Deletes the plan's removals oldest first; a dry run deletes nothing and lists what it would remove. */
export async function applyRetention(
  store: ObjectStore,
  plan: RetentionPlan,
  options: { dryRun: boolean },
): Promise<{ removed: string[]; wouldRemove: string[] }> {
  const keys = plan.remove
    .map((r) => r.backup)
    .sort((a, b) => newestFirst(b, a))
    .map((b) => b.key);
  if (options.dryRun) return { removed: [], wouldRemove: keys };
  const removed: string[] = [];
  for (const key of keys) {
    await store.delete(key);
    removed.push(key);
  }
  return { removed, wouldRemove: [] };
}
