import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Backup } from "../src/backups.ts";
import { isoWeek, type RetentionPolicy, retentionPlan } from "../src/retention.ts";

const NOW = new Date("2026-12-06T12:00:00Z");
const DAY = 86_400_000;

const backupArb = fc.record({
  lineage: fc.constantFrom("aaaaaaaa-1", "bbbbbbbb-2", "cccccccc-3"),
  serial: fc.integer({ min: 0, max: 500 }),
  // Mostly the past 400 days, some in the future.
  offset: fc.integer({ min: -400 * DAY, max: 3 * DAY }),
});
const backupsArb = fc
  .uniqueArray(backupArb, { maxLength: 40, selector: (b) => `${b.lineage}/${b.serial}` })
  .map((items): Backup[] =>
    items.map(({ lineage, serial, offset }) => ({
      key: `states/${lineage}/${String(serial).padStart(12, "0")}.tfstate.sgb`,
      lineage,
      serial,
      sha256: "0".repeat(64),
      time: new Date(NOW.getTime() + offset),
      commit: "",
      terraformVersion: "1.13.3",
      size: 1,
    })),
  );
const policyArb = fc.record({
  keepLast: fc.integer({ min: 0, max: 6 }),
  daily: fc.integer({ min: 0, max: 8 }),
  weekly: fc.integer({ min: 0, max: 6 }),
  monthly: fc.integer({ min: 0, max: 13 }),
});
const unreadableArb = (backups: Backup[]) => fc.subarray(backups.map((b) => b.key)).map((k) => new Set(k));
const scenario = backupsArb.chain((backups) =>
  fc.tuple(fc.constant(backups), policyArb, unreadableArb(backups)),
);
const RUNS = { numRuns: 300 };
const newestFirst = (a: Backup, b: Backup) =>
  b.time.getTime() - a.time.getTime() || b.serial - a.serial || b.key.localeCompare(a.key);
const removedKeys = (backups: Backup[], policy: RetentionPolicy, unreadable: Set<string>) =>
  new Set(retentionPlan(backups, policy, NOW, { unreadable }).remove.map((r) => r.backup.key));

describe("GFS retention plan", () => {
  it("never removes the newest readable backup", () => {
    fc.assert(
      fc.property(scenario, ([backups, policy, unreadable]) => {
        const good = [...backups].sort(newestFirst).find((b) => !unreadable.has(b.key));
        if (good) expect(removedKeys(backups, policy, unreadable).has(good.key)).toBe(false);
      }),
      RUNS,
    );
  });

  it("never removes the last backup of a lineage", () => {
    fc.assert(
      fc.property(scenario, ([backups, policy, unreadable]) => {
        const plan = retentionPlan(backups, policy, NOW, { unreadable });
        const lineages = new Set(backups.map((b) => b.lineage));
        expect(new Set(plan.keep.map((k) => k.backup.lineage))).toEqual(lineages);
      }),
      RUNS,
    );
  });

  it("splits the input into keep and remove, disjoint", () => {
    fc.assert(
      fc.property(scenario, ([backups, policy, unreadable]) => {
        const plan = retentionPlan(backups, policy, NOW, { unreadable });
        const keep = plan.keep.map((k) => k.backup.key);
        const remove = plan.remove.map((r) => r.backup.key);
        expect(keep.length + remove.length).toBe(backups.length);
        expect(new Set([...keep, ...remove])).toEqual(new Set(backups.map((b) => b.key)));
      }),
      RUNS,
    );
  });

  it("keeps at least the min(keepLast, n) newest backups", () => {
    fc.assert(
      fc.property(scenario, ([backups, policy, unreadable]) => {
        const removed = removedKeys(backups, policy, unreadable);
        const newest = [...backups].sort(newestFirst).slice(0, policy.keepLast);
        for (const b of newest) expect(removed.has(b.key)).toBe(false);
      }),
      RUNS,
    );
  });

  it("is idempotent: planning again after applying removes nothing", () => {
    fc.assert(
      fc.property(scenario, ([backups, policy, unreadable]) => {
        const plan = retentionPlan(backups, policy, NOW, { unreadable });
        const kept = plan.keep.map((k) => k.backup);
        expect(retentionPlan(kept, policy, NOW, { unreadable }).remove).toEqual([]);
      }),
      RUNS,
    );
  });

  it("is monotone: a bigger policy never removes more", () => {
    fc.assert(
      fc.property(scenario, policyArb, ([backups, policy, unreadable], extra) => {
        const bigger = {
          keepLast: policy.keepLast + extra.keepLast,
          daily: policy.daily + extra.daily,
          weekly: policy.weekly + extra.weekly,
          monthly: policy.monthly + extra.monthly,
        };
        const small = removedKeys(backups, policy, unreadable);
        for (const key of removedKeys(backups, bigger, unreadable)) expect(small.has(key)).toBe(true);
      }),
      RUNS,
    );
  });

  it("keeps a backup timed after now with the reason 'in the future'", () => {
    const future: Backup = {
      key: "states/aaaaaaaa-1/000000000001.tfstate.sgb",
      lineage: "aaaaaaaa-1",
      serial: 1,
      sha256: "0".repeat(64),
      time: new Date(NOW.getTime() + DAY),
      commit: "",
      terraformVersion: "1.13.3",
      size: 1,
    };
    const plan = retentionPlan([future], { keepLast: 0, daily: 0, weekly: 0, monthly: 0 }, NOW);
    expect(plan.keep[0]?.reasons).toContain("in the future");
  });

  it("names daily, weekly and monthly buckets by UTC day, ISO week and month", () => {
    const mk = (serial: number, iso: string): Backup => ({
      key: `states/aaaaaaaa-1/${serial}.tfstate.sgb`,
      lineage: "aaaaaaaa-1",
      serial,
      sha256: "0".repeat(64),
      time: new Date(iso),
      commit: "",
      terraformVersion: "1.13.3",
      size: 1,
    });
    const backups = [
      mk(1, "2026-12-05T08:00:00Z"),
      mk(2, "2026-12-05T09:00:00Z"),
      mk(3, "2026-11-20T09:00:00Z"),
    ];
    const plan = retentionPlan(backups, { keepLast: 0, daily: 2, weekly: 1, monthly: 2 }, NOW);
    const reasons = Object.fromEntries(plan.keep.map((k) => [k.backup.serial, k.reasons]));
    expect(reasons[2]).toEqual(
      expect.arrayContaining(["daily 2026-12-05", "weekly 2026-W49", "monthly 2026-12"]),
    );
    expect(reasons[3]).toEqual(expect.arrayContaining(["daily 2026-11-20", "monthly 2026-11"]));
    expect(plan.remove.map((r) => r.backup.serial)).toEqual([1]);
    expect(isoWeek(new Date("2027-01-01T00:00:00Z"))).toBe("2026-W53");
  });
});
