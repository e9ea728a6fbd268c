import { describe, expect, it } from "vitest";
import { costTable, projectCosts, type ResourceTags, tenantCosts } from "../src/costs.ts";
import { sumMoney } from "../src/money.ts";
import { renderChargebackCsv } from "../src/report/chargeback.ts";
import { config, diffReport } from "./cost-fixtures.ts";

/** Tags as the plan JSONs of the five projects would carry them (`tags` of each planned resource). */
const tags: ResourceTags = new Map<string, Record<string, string>>([
  ["aws_instance.web_app", { team: "payments", Name: "web" }],
  ["aws_lambda_function.hello_world", { team: "search" }],
]);

describe("tenant allocation", () => {
  it("gives each tenant the cost of the resources tagged with it; the tenant key is per provider", async () => {
    const cfg = config("tenants:\n  keys: { aws: team }");
    const lines = costTable({ reports: [await diffReport()], config: cfg, tags, environment: undefined });
    const tenants = tenantCosts(lines);
    expect(tenants.map((t) => [t.tenant, t.current.toFixed(), t.delta.toFixed()])).toEqual([
      ["payments", "3027.528", "-2241.684"],
      ["search", "0", "0"],
    ]);
    // Everything is accounted for: the tenants add up to Infracost's total.
    expect(sumMoney(tenants.map((t) => t.current)).toFixed()).toBe("3027.528");
  });

  it("shows untagged cost apart when the key is not on the resources", async () => {
    const cfg = config("tenants:\n  keys: { aws: cost-center }");
    const tenants = tenantCosts(
      costTable({ reports: [await diffReport()], config: cfg, tags, environment: undefined }),
    );
    expect(tenants).toHaveLength(1);
    expect(tenants[0]?.tenant).toBeUndefined();
    expect(tenants[0]?.current.toFixed()).toBe("3027.528");
  });

  it.each([
    ["even", "", ["1513.764", "1513.764"]],
    ["weights", "\n      weights: { payments: 3, search: 1 }", ["2270.646", "756.882"]],
  ])("splits a shared resource's cost %s", async (split, extra, expected) => {
    const cfg = config(`tenants:
  keys: { aws: team }
  shared:
    - resources: ["aws_instance.*"]
      tenants: [payments, search]
      split: ${split}${extra}`);
    const tenants = tenantCosts(
      costTable({ reports: [await diffReport()], config: cfg, tags, environment: undefined }),
    );
    expect(tenants.map((t) => t.current.toFixed())).toEqual(expected);
    expect(tenants.map((t) => t.shared.toFixed())).toEqual(expected);
  });

  it("splits shared cost in proportion to the tenants' direct cost", async () => {
    const proportional = new Map([
      ["aws_instance.web_app", { team: "payments" }],
      ["aws_lambda_function.hello_world", { team: "search" }],
    ]);
    const cfg = config(`tenants:
  keys: { aws: team }
  shared:
    - { resources: ["aws_lambda_function.*"], split: proportional }`);
    const lines = costTable({
      reports: [await diffReport()],
      config: cfg,
      tags: proportional,
      environment: undefined,
    });
    // The lambda costs nothing (usage-based, no usage given): all direct cost is payments', so its share is all of it.
    const tenants = tenantCosts(lines);
    expect(tenants.map((t) => t.tenant)).toEqual(["payments"]);
    expect(tenants[0]?.current.toFixed()).toBe("3027.528");
  });

  it("writes chargeback CSV with one row per tenant and the untagged cost apart", async () => {
    const cfg = config("tenants:\n  keys: { aws: team }");
    const partial = new Map([["aws_lambda_function.hello_world", { team: "search" }]]);
    const lines = costTable({
      reports: [await diffReport()],
      config: cfg,
      tags: partial,
      environment: undefined,
    });
    const csv = renderChargebackCsv(tenantCosts(lines), "USD");
    expect(csv.split("\n")).toEqual([
      "tenant,currency,monthly_cost,previous_monthly_cost,change,direct_cost,shared_cost,resources",
      "search,USD,0,0,0,0,0,5",
      "(untagged),USD,3027.528,5269.212,-2241.684,3027.528,0,5",
      "",
    ]);
    expect(projectCosts(lines).map((p) => p.delta.toFixed())).toEqual([
      "-560.64",
      "-560.64",
      "0.876",
      "-560.64",
      "-560.64",
    ]);
  });
});
