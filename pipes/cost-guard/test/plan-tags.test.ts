import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readPlanTags } from "../src/plan-tags.ts";
import { INFRACOST_FIXTURES } from "./fixtures.ts";

const SHARED_PLANS = path.resolve(INFRACOST_FIXTURES, "../terraform-plan");
/** Plans of multicloud-plan's example layers, made with terraform 1.13.3 and tofu 1.12.6 (their SOURCES.md). */
const OUR_PLANS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../shared/terraform/test/fixtures",
);

describe("plan tags", () => {
  it("reads the tags of the AWS-shaped example layer, by address", async () => {
    const tags = await readPlanTags(["terraform-aws-create.json"], OUR_PLANS);
    expect([...tags.keys()].sort()).toEqual([
      "terraform_data.artifacts",
      "terraform_data.cache[0]",
      "terraform_data.database",
      "terraform_data.vpc",
    ]);
    expect(tags.get("terraform_data.vpc")).toEqual({
      "cost-center": "cc-1042",
      environment: "production",
      owner: "platform",
    });
  });

  it("reads the labels of the Google-shaped layer planned with tofu", async () => {
    const tags = await readPlanTags(["tofu-gcp-create.json"], OUR_PLANS);
    expect(tags.size).toBeGreaterThan(0);
    for (const labels of tags.values()) expect(Object.keys(labels).length).toBeGreaterThan(0);
  });

  it("finds no tags in plans of null_resource", async () => {
    expect((await readPlanTags(["basic.json", "has-changes.json"], SHARED_PLANS)).size).toBe(0);
  });

  it("names a plan that is missing or not a plan", async () => {
    await expect(readPlanTags(["missing.json"], SHARED_PLANS)).rejects.toThrow(
      /plan JSON .*missing\.json cannot be read \(ENOENT\)/,
    );
    await expect(readPlanTags(["diff-current.json"], INFRACOST_FIXTURES)).rejects.toThrow(
      /diff-current\.json is JSON but not a Terraform plan/,
    );
  });
});
