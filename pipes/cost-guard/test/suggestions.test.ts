import { describe, expect, it } from "vitest";
import { costTable } from "../src/costs.ts";
import { instanceTypeOf, suggestOptimisations } from "../src/suggestions.ts";
import { config, diffReport, newProjectReport } from "./cost-fixtures.ts";

describe("optimisation suggestions", () => {
  it("suggests gp3 for the gp2 root volume of the real breakdown, saving 20% of its 5 USD", async () => {
    const report = await newProjectReport();
    const lines = costTable({ reports: [report], config: config(""), tags: new Map(), environment: "prod" });
    const suggestions = suggestOptimisations([report], lines);
    expect(suggestions.map((s) => [s.rule, s.address, s.monthlySaving?.toFixed()])).toEqual([
      ["gp2-to-gp3", "aws_instance.web_app root_block_device", "1"],
    ]);
  });

  it("calls an m5.4xlarge in dev oversized (2xlarge is half, saving 280.32 of 560.64 USD) and t2 previous-generation", async () => {
    const report = await diffReport();
    const cfg = config('environments:\n  dev: ["my first project", "*dev*"]');
    const lines = costTable({ reports: [report], config: cfg, tags: new Map(), environment: "prod" });
    const suggestions = suggestOptimisations([report], lines).filter((s) => s.rule !== "gp2-to-gp3");
    expect(suggestions.map((s) => [s.rule, s.project, s.address, s.monthlySaving?.toFixed()])).toEqual([
      ["oversized-dev-instance", "my first project", "aws_instance.web_app", "280.32"],
      ["previous-generation", "my terragrunt dev project", "aws_instance.web_app", "0.85"],
    ]);
    expect(suggestions[0]?.message).toBe(
      "m5.4xlarge in a dev environment: m5.2xlarge is 2× smaller and priced in proportion",
    );
    expect(suggestions[1]?.message).toBe(
      "t2.micro is a previous-generation type: t3.micro costs about 10% less and is faster",
    );
  });

  it("reads the instance type from Infracost's component names", () => {
    const component = { unit: "hours", price: null, monthlyQuantity: null, monthlyCost: null };
    expect(instanceTypeOf({ ...component, name: "Instance usage (Linux/UNIX, on-demand, m5.8xlarge)" })).toBe(
      "m5.8xlarge",
    );
    expect(
      instanceTypeOf({ ...component, name: "Database instance (on-demand, Single-AZ, db.t2.micro)" }),
    ).toBe("t2.micro");
    expect(instanceTypeOf({ ...component, name: "Storage (general purpose SSD, gp2)" })).toBeUndefined();
  });
});
