/**
 * Grandfather-father-son retention, pure: which backups to keep and why. Per lineage: the `keepLast`
 * newest, the newest of each of the `daily` newest UTC days, `weekly` newest ISO weeks and `monthly`
 * newest months. Always kept: the newest readable backup overall, the newest of every lineage, and
 * anything timed after `now`.
 */
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

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

export const utcDay = (t: Date) => `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
export const utcMonth = (t: Date) => `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}`;

/** ISO 8601 week, e.g. 2026-W49 (the week's Thursday decides the year). */
export function isoWeek(t: Date): string {
  const day = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${pad(week)}`;
}

/** Newest first: time, then serial, then key. */
const newestFirst = (a: Backup, b: Backup) =>
  b.time.getTime() - a.time.getTime() || b.serial - a.serial || b.key.localeCompare(a.key);

function keepBuckets(
  sorted: readonly Backup[],
  count: number,
  bucketOf: (t: Date) => string,
  label: string,
  add: (b: Backup, reason: string) => void,
): void {
  const seen = new Set<string>();
  for (const backup of sorted) {
    if (seen.size >= count) return;
    const bucket = bucketOf(backup.time);
    if (seen.has(bucket)) continue;
    seen.add(bucket);
    add(backup, `${label} ${bucket}`);
  }
}

export function retentionPlan(
  backups: readonly Backup[],
  policy: RetentionPolicy,
  now: Date,
  options: { unreadable?: ReadonlySet<string> } = {},
): RetentionPlan {
  const reasons = new Map<string, string[]>();
  const add = (backup: Backup, reason: string) => {
    const list = reasons.get(backup.key) ?? [];
    list.push(reason);
    reasons.set(backup.key, list);
  };
  const sorted = [...backups].sort(newestFirst);
  const good = sorted.find((b) => !options.unreadable?.has(b.key));
  if (good) add(good, "newest good backup");
  const lineages = new Map<string, Backup[]>();
  for (const backup of sorted) {
    if (backup.time.getTime() > now.getTime()) add(backup, "in the future");
    lineages.set(backup.lineage, [...(lineages.get(backup.lineage) ?? []), backup]);
  }
  for (const [lineage, list] of lineages) {
    const [first] = list;
    if (first) add(first, `only copy of lineage ${lineage}`);
    for (const b of list.slice(0, Math.max(0, policy.keepLast))) add(b, `last ${policy.keepLast}`);
    keepBuckets(list, policy.daily, utcDay, "daily", add);
    keepBuckets(list, policy.weekly, isoWeek, "weekly", add);
    keepBuckets(list, policy.monthly, utcMonth, "monthly", add);
  }
  const plan: RetentionPlan = { keep: [], remove: [] };
  for (const backup of sorted) {
    const why = reasons.get(backup.key);
    if (why) plan.keep.push({ backup, reasons: why });
    else plan.remove.push({ backup, reason: "outside the retention policy" });
  }
  return plan;
}

/** Deletes the plan's removals oldest first; a dry run deletes nothing and lists what it would remove. */
export async function applyRetention(
  store: ObjectStore,
  plan: RetentionPlan,
  { dryRun }: { dryRun: boolean },
): Promise<{ removed: string[]; wouldRemove: string[] }> {
  const oldestFirst = plan.remove.map((r) => r.backup).sort((a, b) => newestFirst(b, a));
  const keys = oldestFirst.map((b) => b.key);
  if (dryRun) return { removed: [], wouldRemove: keys };
  const removed: string[] = [];
  for (const key of keys) {
    await store.delete(key);
    removed.push(key);
  }
  return { removed, wouldRemove: [] };
}
