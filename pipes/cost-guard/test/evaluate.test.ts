import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { bitbucketContext, Logger, parseVariables } from "@pipes/core";
import { describe, expect, it } from "vitest";
import { evaluate, HISTORY_PREFIX } from "../src/evaluate.ts";
import { appendHistory, type HistoryStore, readHistory } from "../src/history.ts";
import { costResultSchema, resultDocument } from "../src/result.ts";
import { variables } from "../src/variables.ts";
import { fixture } from "./fixtures.ts";

function memoryStore(): HistoryStore {
  const objects = new Map<string, Uint8Array>();
  return {
    location: "memory://evaluate",
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

async function setup(config: string) {
  const dir = await mkdtemp(path.join(tmpdir(), "cost-guard-evaluate-"));
  await writeFile(path.join(dir, ".cost-guard.yml"), config);
  const env = { INFRACOST_FILE: fixture("diff-current.json"), BITBUCKET_CLONE_DIR: dir };
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on("data", (c) => chunks.push(String(c)));
  const log = new Logger({ env: { NO_COLOR: "1" }, stdout: out, stderr: out });
  return {
    vars: parseVariables(variables, env),
    context: bitbucketContext(env, dir),
    env,
    log,
    output: () => chunks.join(""),
  };
}

const PROJECT = "infracost/infracost/cmd/infracost/testdata/diff_with_infracost_json";

describe("one run", () => {
  it("flags the new 1,303.28 USD project against a history of about 400 USD, and records this run", async () => {
    const history = memoryStore();
    for (const [i, cost] of ["401.10", "398.20", "402.00", "399.95", "400.40", "403.30"].entries())
      await appendHistory(history, HISTORY_PREFIX, {
        project: PROJECT,
        time: `2026-11-0${i + 1}T00:00:00.000Z`,
        monthlyCost: cost,
      });
    const io = await setup("anomaly: { action: fail }\n");
    const result = await evaluate({ ...io, now: new Date("2026-12-05T20:00:00Z"), history });
    expect(result.verdict).toBe("FAIL");
    expect(result.anomalies.map((a) => a.anomaly)).toEqual([true]);
    expect(result.reasons[0]?.message).toMatch(
      /^anomaly in ".*diff_with_infracost_json": 1,303\.28 USD against a median of 400\.75 USD over the last 6 runs/,
    );
    const records = await readHistory(history, HISTORY_PREFIX, PROJECT, 10, () => {});
    expect(records.at(-1)).toEqual({
      project: PROJECT,
      time: "2026-12-05T20:00:00.000Z",
      monthlyCost: "1303.28",
    });
  });

  it("passes with no budgets and no history, and its result document fits its schema", async () => {
    const io = await setup("");
    const result = await evaluate({ ...io, now: new Date(), history: undefined });
    expect(result.verdict).toBe("PASS");
    expect(result.total.current.toFixed()).toBe("1303.28");
    expect(io.output()).toContain("anomaly detection off: HISTORY_STORE is not set");
    const document = resultDocument(result, "0.1.0");
    expect(costResultSchema.parse(document)).toEqual(document);
    expect(document.suggestions.map((s) => s.rule)).toEqual(["gp2-to-gp3"]);
  });

  it("requires approval and fails outside a PR when nobody approved", async () => {
    const io = await setup("budgets:\n  - { name: any, monthly: 1000, action: require-approval }\n");
    const result = await evaluate({ ...io, now: new Date(), history: undefined });
    expect(result.action).toBe("require-approval");
    expect(result.verdict).toBe("FAIL");
    expect(result.approval?.satisfied).toBe(false);
  });
});
