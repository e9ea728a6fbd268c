/** HISTORY_STORE opens the same stores as state-guard (@pipes/storage): a folder keeps the history between runs. */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseVariables } from "@pipes/core";
import { describe, expect, it } from "vitest";
import { openHistory } from "../src/evaluate.ts";
import { appendHistory, readHistory } from "../src/history.ts";
import { variables } from "../src/variables.ts";

describe("HISTORY_STORE", () => {
  it("keeps records in a folder of the clone, read back by a later run", async () => {
    const clone = await mkdtemp(path.join(tmpdir(), "cost-history-"));
    const vars = parseVariables(variables, { HISTORY_STORE: ".cost-history", INFRACOST_FILE: "x.json" });
    const first = await openHistory(vars, {}, clone);
    if (!first) throw new Error("no store");
    for (const [time, cost] of [
      ["2026-12-01T10:00:00Z", "100.5"],
      ["2026-12-02T10:00:00Z", "101.25"],
    ] as const)
      await appendHistory(first, "cost-guard", { project: "web prod", time, monthlyCost: cost });
    const second = await openHistory(vars, {}, clone);
    if (!second) throw new Error("no store");
    const records = await readHistory(second, "cost-guard", "web prod", 10, () => undefined);
    expect(records.map((r) => r.monthlyCost)).toEqual(["100.5", "101.25"]);
    expect(second.location).toBe(`file://${path.join(clone, ".cost-history")}`);
  });

  it("names HISTORY_STORE when its URL has an unknown scheme", async () => {
    const vars = parseVariables(variables, { HISTORY_STORE: "ftp://host/x", INFRACOST_FILE: "x.json" });
    await expect(openHistory(vars, {}, tmpdir())).rejects.toThrow(/HISTORY_STORE/);
  });
});
