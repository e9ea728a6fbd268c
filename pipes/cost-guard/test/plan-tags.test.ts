import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { planTags, readPlanTags } from "../src/plan-tags.ts";
import { INFRACOST_FIXTURES } from "./fixtures.ts";

const PLANS = path.resolve(INFRACOST_FIXTURES, "../terraform-plan");

describe("plan tags", () => {
  it("reads real plan JSONs (null_resource, no tags) as no tags", async () => {
    const tags = await readPlanTags(["basic.json", "has-changes.json"], PLANS);
    expect(tags.size).toBe(0);
  });

  it("names a plan that cannot be read", async () => {
    await expect(readPlanTags(["missing.json"], PLANS)).rejects.toThrow(
      /PLAN_FILES: missing\.json cannot be read as JSON/,
    );
  });

  it("names a file that is not a plan JSON", () => {
    const infracost = JSON.parse(readFileSync(path.join(INFRACOST_FIXTURES, "diff-current.json"), "utf8"));
    expect(() => planTags({ resource_changes: "x" }, "plan.json")).toThrow(/plan\.json is not a plan JSON/);
    expect(planTags(infracost, "infracost.json").size).toBe(0);
  });
});
