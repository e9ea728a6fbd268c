import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { LocalStore } from "@pipes/storage";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Backup } from "../src/backups.ts";
import { applyRetention, isoWeek, type RetentionPolicy, retentionPlan } from "../src/retention.ts";

const NOW = new Date("2026-12-06T12:00:00Z");
const HOUR = 3_600_000;
const RUNS = { numRuns: 250 };

function backup(lineage: string, serial: number, time: Date, index = 0): Backup {
  return {
    key: `states/${lineage}/${String(serial).padStart(12, "0")}-${String(index).padStart(16, "0")}.tfstate.sgb`,
    lineage,
    serial,
    sha256: "0".repeat(64),
    time,
    commit: "",
    terraformVersion: "1.13.3",
    size: 100,
  };
}

const backupsArb = fc
  .array(
    fc.record({
      lineage: fc.constantFrom("lin-a", "lin-b", "lin-c"),
      serial: fc.nat({ max: 500 }),
      // mostly within the last ~14 months, a few in the future
      hoursAgo: fc.integer({ min: -48, max: 24 * 420 }),
    }),
    { maxLength: 60 },
  )
  .map((rows) =>
    rows.map((r, i) => backup(r.lineage, r.serial, new Date(NOW.getTime() - r.hoursAgo * HOUR), i)),
  );

const policyArb: fc.Arbitrary<RetentionPolicy> = fc.record({
  keepLast: fc.nat({ max: 6 }),
  daily: fc.nat({ max: 10 }),
  weekly: fc.nat({ max: 6 }),
  monthly: fc.nat({ max: 14 }),
});

const inputArb = backupsArb.chain((backups) =>
  fc.record({
    backups: fc.constant(backups),
    policy: policyArb,
    unreadable: fc.subarray(backups.map((b) => b.key)).map((keys) => new Set(keys)),
  }),
);

const keysOf = (items: { backup: Backup }[]) => items.map((i) => i.backup.key);
const newestFirst = (a: Backup, b: Backup) =>
  b.time.getTime() - a.time.getTime() || b.serial - a.serial || b.key.localeCompare(a.key);

describe("retentionPlan properties", () => {
  it("never removes the newest readable backup", () => {
    fc.assert(
      fc.property(inputArb, ({ backups, policy, unreadable }) => {
        const good = [...backups].filter((b) => !unreadable.has(b.key)).sort(newestFirst)[0];
        const plan = retentionPlan(backups, policy, NOW, { unreadable });
        if (good) expect(keysOf(plan.remove)).not.toContain(good.key);
      }),
      RUNS,
    );
  });

  it("never removes the last backup of any lineage", () => {
    fc.assert(
      fc.property(inputArb, ({ backups, policy, unreadable }) => {
        const plan = retentionPlan(backups, policy, NOW, { unreadable });
        const keptLineages = new Set(plan.keep.map((k) => k.backup.lineage));
        for (const b of backups) expect(keptLineages.has(b.lineage)).toBe(true);
      }),
      RUNS,
    );
  });

  it("partitions the input: keep and remove are disjoint and together are every backup", () => {
    fc.assert(
      fc.property(inputArb, ({ backups, policy, unreadable }) => {
        const plan = retentionPlan(backups, policy, NOW, { unreadable });
        const kept = keysOf(plan.keep);
        const removed = keysOf(plan.remove);
        expect(kept.filter((k) => removed.includes(k))).toEqual([]);
        expect([...kept, ...removed].sort()).toEqual(backups.map((b) => b.key).sort());
      }),
      RUNS,
    );
  });

  it("keeps at least the min(keepLast, n) newest backups of each lineage", () => {
    fc.assert(
      fc.property(inputArb, ({ backups, policy, unreadable }) => {
        const plan = retentionPlan(backups, policy, NOW, { unreadable });
        const kept = new Set(keysOf(plan.keep));
        for (const lineage of new Set(backups.map((b) => b.lineage))) {
          const versions = backups.filter((b) => b.lineage === lineage).sort(newestFirst);
          for (const b of versions.slice(0, policy.keepLast)) expect(kept.has(b.key)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("is idempotent: planning again over what was kept removes nothing", () => {
    fc.assert(
      fc.property(inputArb, ({ backups, policy, unreadable }) => {
        const first = retentionPlan(backups, policy, NOW, { unreadable });
        const remaining = first.keep.map((k) => k.backup);
        const second = retentionPlan(remaining, policy, NOW, { unreadable });
        expect(second.remove).toEqual([]);
      }),
      RUNS,
    );
  });

  it("is monotone in the policy: a bigger policy never removes more", () => {
    const growArb = fc.record({
      keepLast: fc.nat({ max: 4 }),
      daily: fc.nat({ max: 4 }),
      weekly: fc.nat({ max: 4 }),
      monthly: fc.nat({ max: 4 }),
    });
    fc.assert(
      fc.property(inputArb, growArb, ({ backups, policy, unreadable }, grow) => {
        const bigger: RetentionPolicy = {
          keepLast: policy.keepLast + grow.keepLast,
          daily: policy.daily + grow.daily,
          weekly: policy.weekly + grow.weekly,
          monthly: policy.monthly + grow.monthly,
        };
        const small = new Set(keysOf(retentionPlan(backups, policy, NOW, { unreadable }).remove));
        for (const key of keysOf(retentionPlan(backups, bigger, NOW, { unreadable }).remove))
          expect(small.has(key)).toBe(true);
      }),
      RUNS,
    );
  });

  it("keeps every backup timed after now, with the reason 'in the future'", () => {
    fc.assert(
      fc.property(inputArb, ({ backups, policy, unreadable }) => {
        const plan = retentionPlan(backups, policy, NOW, { unreadable });
        for (const b of backups.filter((x) => x.time > NOW))
          expect(plan.keep.find((k) => k.backup.key === b.key)?.reasons).toContain("in the future");
      }),
      RUNS,
    );
  });
});

const none: RetentionPolicy = { keepLast: 0, daily: 0, weekly: 0, monthly: 0 };

describe("retentionPlan examples", () => {
  it("keeps the newest backup of each of the last 7 days", () => {
    // three backups a day for 10 days, the newest at 11:00 each day
    const backups = Array.from({ length: 10 }, (_, day) =>
      [9, 10, 11].map((hour) =>
        backup("lin-a", day * 3 + hour - 9, new Date(Date.UTC(2026, 11, 6 - day, hour - 1))),
      ),
    ).flat();
    const plan = retentionPlan(backups, { ...none, daily: 7 }, NOW);
    expect(plan.keep.map((k) => k.backup.time.toISOString())).toEqual(
      Array.from({ length: 7 }, (_, day) => new Date(Date.UTC(2026, 11, 6 - day, 10)).toISOString()),
    );
    expect(plan.keep[0]?.reasons).toEqual(["daily 2026-12-06", "newest good backup"]);
    expect(plan.keep[6]?.reasons).toEqual(["daily 2026-11-30"]);
    expect(plan.remove).toHaveLength(23);
  });

  it("names ISO weeks and months in its reasons, across a year boundary", () => {
    expect(isoWeek(new Date("2026-12-06T00:00:00Z"))).toBe("2026-W49");
    expect(isoWeek(new Date("2027-01-01T00:00:00Z"))).toBe("2026-W53");
    expect(isoWeek(new Date("2025-12-29T00:00:00Z"))).toBe("2026-W01");
    const backups = [
      backup("lin-a", 1, new Date("2026-10-15T08:00:00Z")),
      backup("lin-a", 2, new Date("2026-11-20T08:00:00Z")),
      backup("lin-a", 3, new Date("2026-12-01T08:00:00Z")),
      backup("lin-a", 4, new Date("2026-12-05T08:00:00Z")),
    ];
    const plan = retentionPlan(backups, { ...none, weekly: 2, monthly: 3 }, NOW);
    const reasons = Object.fromEntries(plan.keep.map((k) => [k.backup.serial, k.reasons]));
    expect(reasons).toEqual({
      4: ["weekly 2026-W49", "monthly 2026-12", "newest good backup"],
      2: ["weekly 2026-W47", "monthly 2026-11"],
      1: ["monthly 2026-10"],
    });
    expect(plan.remove.map((r) => r.backup.serial)).toEqual([3]);
  });

  it("keeps the newest readable backup when the newest ones do not decrypt, and one copy of every lineage", () => {
    const backups = [
      backup("old", 7, new Date("2026-01-01T00:00:00Z")),
      backup("lin-a", 1, new Date("2026-12-01T00:00:00Z")),
      backup("lin-a", 2, new Date("2026-12-02T00:00:00Z")),
      backup("lin-a", 3, new Date("2026-12-03T00:00:00Z")),
    ];
    const unreadable = new Set([backups[3]?.key ?? "", backups[2]?.key ?? ""]);
    const plan = retentionPlan(backups, { ...none, keepLast: 1 }, NOW, { unreadable });
    const reasons = Object.fromEntries(
      plan.keep.map((k) => [`${k.backup.lineage}/${k.backup.serial}`, k.reasons]),
    );
    expect(reasons).toEqual({
      "lin-a/3": ["last 1"],
      "lin-a/1": ["newest good backup"],
      "old/7": ["last 1"],
    });
    expect(plan.remove.map((r) => r.backup.serial)).toEqual([2]);
    const bare = retentionPlan(backups, none, NOW, { unreadable });
    expect(bare.keep.map((k) => k.reasons)).toEqual([["newest good backup"], ["only copy of lineage old"]]);
    expect(bare.remove.map((r) => r.backup.serial)).toEqual([3, 2]);
  });

  it("refuses a negative or fractional policy with RETENTION_POLICY", () => {
    expect(() => retentionPlan([], { ...none, daily: -1 }, NOW)).toThrow(
      expect.objectContaining({ code: "RETENTION_POLICY" }),
    );
    expect(() => retentionPlan([], { ...none, weekly: 1.5 }, NOW)).toThrow(/weekly/);
  });
});

describe("applyRetention", () => {
  it("deletes oldest first, and a dry run deletes nothing", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "retention-"));
    try {
      const store = new LocalStore(dir);
      const backups = [1, 2, 3, 4].map((serial) =>
        backup("lin-a", serial, new Date(Date.UTC(2026, 11, serial, 12))),
      );
      for (const b of backups) await store.put(b.key, new Uint8Array([1]), { lineage: b.lineage });
      const plan = retentionPlan(backups, { ...none, keepLast: 1 }, NOW);
      const oldestFirst = backups.slice(0, 3).map((b) => b.key);

      expect(await applyRetention(store, plan, { dryRun: true })).toEqual({
        removed: [],
        wouldRemove: oldestFirst,
      });
      expect(await store.list("states/")).toHaveLength(4);

      expect(await applyRetention(store, plan, { dryRun: false })).toEqual({
        removed: oldestFirst,
        wouldRemove: [],
      });
      expect((await store.list("states/")).map((o) => o.key)).toEqual([backups[3]?.key]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
