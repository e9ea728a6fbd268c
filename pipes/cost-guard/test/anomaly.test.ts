import { describe, expect, it } from "vitest";
import { type CostRecord, detectAnomaly } from "../src/anomaly.ts";
import { DEFAULT_CONFIG } from "../src/config.ts";
import { appendHistory, type HistoryStore, readHistory } from "../src/history.ts";
import { Decimal } from "../src/money.ts";

/** A store with the @pipes/storage interface, in memory: keys listed sorted, as the contract says. */
function memoryStore(): HistoryStore & { objects: Map<string, Uint8Array> } {
  const objects = new Map<string, Uint8Array>();
  return {
    location: "memory://test",
    objects,
    async put(key, body) {
      objects.set(key, body);
    },
    async get(key) {
      const body = objects.get(key);
      return body ? { body } : undefined;
    },
    async list(prefix = "") {
      return [...objects.keys()]
        .filter((k) => k.startsWith(prefix))
        .sort()
        .map((key) => ({ key }));
    },
  };
}

const settings = DEFAULT_CONFIG.anomaly;
/** Ten runs of the prod project, 1,300 USD a month give or take; run 6 was a one-off spike. */
const COSTS = [
  "1303.28",
  "1298.10",
  "1310.00",
  "1301.50",
  "1295.75",
  "4200.00",
  "1306.40",
  "1299.99",
  "1304.10",
  "1302.00",
];

async function seeded(): Promise<HistoryStore> {
  const store = memoryStore();
  for (const [i, cost] of COSTS.entries())
    await appendHistory(store, "cost-guard/history", {
      project: "my terragrunt prod project",
      time: new Date(Date.UTC(2026, 10, i + 1, 12)).toISOString(),
      monthlyCost: cost,
      build: 100 + i,
    });
  await appendHistory(store, "cost-guard/history", {
    project: "another project",
    time: "2026-12-01T00:00:00.000Z",
    monthlyCost: "1",
  });
  return store;
}

describe("anomaly detection", () => {
  it("reads a project's own history, oldest first", async () => {
    const history = await readHistory(
      await seeded(),
      "cost-guard/history",
      "my terragrunt prod project",
      10,
      () => {},
    );
    expect(history.map((r) => r.monthlyCost)).toEqual(COSTS);
    expect(history.map((r) => r.build)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
  });

  it("flags a jump to 2,600 USD, explaining it with the median and MAD; the earlier spike does not hide it", async () => {
    const history = await readHistory(
      await seeded(),
      "cost-guard/history",
      "my terragrunt prod project",
      10,
      () => {},
    );
    const result = detectAnomaly("my terragrunt prod project", new Decimal("2600"), history, settings, "USD");
    expect(result.anomaly).toBe(true);
    expect(result.median?.toFixed()).toBe("1302.64");
    expect(result.mad?.toFixed()).toBe("3.205");
    expect(result.explanation).toBe(
      "2,600.00 USD against a median of 1,302.64 USD over the last 10 runs (MAD 3.21 USD): a modified z-score of 273.0, beyond ±3.5; the cost jumped by 1,297.36 USD, far outside the recent spread.",
    );
  });

  it("does not flag a run within the usual spread", async () => {
    const history = await readHistory(
      await seeded(),
      "cost-guard/history",
      "my terragrunt prod project",
      10,
      () => {},
    );
    const result = detectAnomaly(
      "my terragrunt prod project",
      new Decimal("1307.20"),
      history,
      settings,
      "USD",
    );
    expect(result.anomaly).toBe(false);
    expect(result.explanation).toMatch(/modified z-score 1\.0, within ±3\.5/);
  });

  it("judges only after min_runs runs", () => {
    const few: CostRecord[] = COSTS.slice(0, 3).map((c, i) => ({
      project: "p",
      time: `2026-11-0${i + 1}`,
      monthlyCost: c,
    }));
    const result = detectAnomaly("p", new Decimal("9999"), few, settings, "USD");
    expect(result.anomaly).toBe(false);
    expect(result.explanation).toBe("3 earlier runs in the history; anomaly detection starts after 5.");
  });

  it("uses only the last N runs", async () => {
    const history = await readHistory(
      await seeded(),
      "cost-guard/history",
      "my terragrunt prod project",
      4,
      () => {},
    );
    expect(history.map((r) => r.monthlyCost)).toEqual(COSTS.slice(-4));
  });

  it("skips a record that is not a cost-guard record, with a warning", async () => {
    const store = memoryStore();
    const key = await appendHistory(store, "h", {
      project: "p",
      time: "2026-11-01T00:00:00Z",
      monthlyCost: "5",
    });
    store.objects.set(key.replace("2026", "2027"), new TextEncoder().encode("{not json"));
    const warnings: string[] = [];
    const history = await readHistory(store, "h", "p", 10, (w) => warnings.push(w));
    expect(history).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^cost history record memory:\/\/test\/h\/p-.*2027.* is not a cost-guard record: skipped$/,
    );
  });
});
