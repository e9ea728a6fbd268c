import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { InputError } from "@pipes/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzePlan, countsText, readPlanFile, redact, SENSITIVE } from "../src/plan.ts";

const SHARED = path.resolve(import.meta.dirname, "../../../../shared/fixtures/terraform-plan");
const OWN = path.resolve(import.meta.dirname, "fixtures");

async function analyze(file: string) {
  return analyzePlan(await readPlanFile(file));
}

describe("plan analysis of every shared fixture", () => {
  it("reads every file in shared/fixtures/terraform-plan, counting each resource change once", async () => {
    const files = (await readdir(SHARED)).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const raw = JSON.parse(await readFile(path.join(SHARED, file), "utf8")) as {
        resource_changes?: unknown[];
      };
      const analysis = await analyze(path.join(SHARED, file));
      const total = Object.values(analysis.counts).reduce((a, b) => a + b, 0);
      expect(total, file).toBe(raw.resource_changes?.length ?? 0);
    }
  });

  it("counts the creates and the data read of basic.json per provider", async () => {
    const analysis = await analyze(path.join(SHARED, "basic.json"));
    expect(analysis.counts).toMatchObject({ create: 7, read: 1, delete: 0, replace: 0 });
    expect(analysis.byProvider["hashicorp/null"]).toMatchObject({ create: 7, read: 1 });
    expect(analysis.terraformVersion).toBe("0.13.0");
    expect(countsText(analysis.counts)).toBe("7 to create, 1 to read");
  });

  it("sees no resource change in has-changes.json but its changed outputs", async () => {
    const analysis = await analyze(path.join(SHARED, "has-changes.json"));
    expect(analysis.counts["no-op"]).toBe(6);
    expect(analysis.changes).toEqual([]);
    expect(analysis.outputsChanged.length).toBeGreaterThan(0);
    expect(analysis.hasChanges).toBe(true);
  });

  it("reports a tainted resource's replacement with its reason", async () => {
    const analysis = await analyze(path.join(SHARED, "action-reason.json"));
    expect(analysis.counts.replace).toBe(1);
    expect(analysis.replaced).toEqual([
      expect.objectContaining({ address: "null_resource.example", actionReason: "replace_because_tainted" }),
    ]);
  });

  it("reports the attribute that forces a replacement (replace_paths)", async () => {
    const analysis = await analyze(path.join(SHARED, "requires-replace.json"));
    expect(analysis.replaced).toEqual([
      expect.objectContaining({
        address: "test_instance.test",
        actionReason: "replace_because_cannot_update",
        replacePaths: ["ami"],
      }),
    ]);
  });

  it("counts updates and drift of drift.json, and the checks plan of has-checks.json", async () => {
    const drift = await analyze(path.join(SHARED, "drift.json"));
    expect(drift.counts.update).toBe(2);
    expect(drift.drifted).toBe(1);
    expect(drift.terraformVersion).toBeUndefined();
    const checks = await analyze(path.join(SHARED, "has-checks.json"));
    expect(checks.counts.create).toBe(1);
    expect(checks.applyable).toBe(true);
  });
});

describe("plan analysis of our own terraform and tofu runs", () => {
  it("counts the aws layer's first plan and hides the sensitive password", async () => {
    const analysis = await analyze(path.join(OWN, "terraform-aws-create.json"));
    expect(analysis.counts).toMatchObject({ create: 4, delete: 0 });
    expect(analysis.byProvider.terraform).toMatchObject({ create: 4 });
    const database = analysis.changes.find((c) => c.address === "terraform_data.database");
    expect(database?.after).toMatchObject({ input: { password: SENSITIVE, name: "acme-production-orders" } });
    expect(JSON.stringify(analysis)).not.toContain("25d1db312a426d1c");
  });

  it("reports the database replaced for triggers_replace and the cache deleted", async () => {
    const analysis = await analyze(path.join(OWN, "terraform-aws-replace-delete.json"));
    expect(analysis.counts).toMatchObject({ replace: 1, delete: 1, "no-op": 2, create: 0 });
    expect(analysis.replaced).toEqual([
      expect.objectContaining({
        address: "terraform_data.database",
        actionReason: "replace_because_cannot_update",
        replacePaths: ["triggers_replace"],
      }),
    ]);
    const cache = analysis.changes.find((c) => c.action === "delete");
    expect(cache).toMatchObject({
      address: "terraform_data.cache[0]",
      actionReason: "delete_because_count_index",
    });
    expect(cache?.after).toBeUndefined();
    expect(cache?.before).toMatchObject({ input: { resource_type: "aws_elasticache_cluster" } });
    const database = analysis.replaced[0];
    expect(database?.before).toMatchObject({ input: { password: SENSITIVE } });
    expect(countsText(analysis.counts)).toBe("1 to delete, 1 to replace");
  });

  it("reads a tofu plan", async () => {
    const analysis = await analyze(path.join(OWN, "tofu-gcp-create.json"));
    expect(analysis.terraformVersion).toBe("1.12.6");
    expect(analysis.counts.create).toBe(3);
  });
});

describe("sensitive values", () => {
  it("replaces nested, listed and whole sensitive values", () => {
    expect(
      redact({ a: "x", b: { c: "secret", d: "ok" }, l: ["p", "q"] }, { b: { c: true }, l: [false, true] }),
    ).toEqual({
      a: "x",
      b: { c: SENSITIVE, d: "ok" },
      l: ["p", SENSITIVE],
    });
    expect(redact({ a: 1 }, true)).toBe(SENSITIVE);
  });
});

describe("a malformed plan", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "plan-json-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("names the file of a truncated plan", async () => {
    const whole = await readFile(path.join(OWN, "terraform-aws-create.json"), "utf8");
    const file = path.join(dir, "truncated.json");
    await writeFile(file, whole.slice(0, whole.length / 2));
    const error = await readPlanFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/does not parse/);
  });

  it("names the file and the field of JSON that is no plan", async () => {
    const file = path.join(dir, "state.json");
    await writeFile(file, JSON.stringify({ version: 4, resources: [], resource_changes: [{ address: 1 }] }));
    await expect(readPlanFile(file)).rejects.toThrow(
      /state\.json is JSON but not a Terraform plan: format_version/,
    );
  });

  it("says an empty file is empty, and a missing one missing", async () => {
    const file = path.join(dir, "empty.json");
    await writeFile(file, "");
    await expect(readPlanFile(file)).rejects.toThrow(/empty\.json is not plan JSON: the file is empty/);
    await expect(readPlanFile(path.join(dir, "none.json"))).rejects.toThrow(
      /none\.json cannot be read \(ENOENT\)/,
    );
  });
});
