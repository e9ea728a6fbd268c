import { describe, expect, it } from "vitest";
import { budgetVerdicts, strictest } from "../src/budgets.ts";
import { costTable } from "../src/costs.ts";
import { config, diffReport, newProjectReport } from "./cost-fixtures.ts";

const ENVIRONMENTS = `
environments:
  dev: ["*dev*"]
  prod: ["*prod*"]
`;

async function verdicts(yaml: string, report = diffReport()) {
  const cfg = config(`${ENVIRONMENTS}${yaml}`);
  const lines = costTable({ reports: [await report], config: cfg, tags: new Map(), environment: "staging" });
  return budgetVerdicts(cfg.budgets, lines, "USD");
}

describe("budgets", () => {
  it("fails when the new project's 1,303.28 USD is over a monthly ceiling of 1,000", async () => {
    const [result] = await verdicts(
      `budgets:\n  - { name: staging ceiling, scope: { environment: staging }, monthly: 1000, action: fail }`,
      newProjectReport(),
    );
    expect(result?.action).toBe("fail");
    expect(result?.cost.current.toFixed()).toBe("1303.28");
    expect(result?.breaches.map((b) => b.message)).toEqual([
      "monthly cost 1,303.28 USD is over the ceiling of 1,000.00 USD by 303.28 USD",
    ]);
  });

  it("passes under the ceiling: the same project with a ceiling of 1,303.28 exactly", async () => {
    const [result] = await verdicts(`budgets:\n  - { name: c, monthly: "1303.28" }`, newProjectReport());
    expect(result?.action).toBe("pass");
    expect(result?.breaches).toEqual([]);
  });

  it("sends the dev project's +0.876 USD (1.7%) for approval over a 0.50 USD absolute increase", async () => {
    const [result] = await verdicts(
      `budgets:\n  - { name: dev increase, scope: { environment: dev }, increase: { absolute: "0.50" }, action: require-approval }`,
    );
    expect(result?.action).toBe("require-approval");
    expect(result?.cost.delta.toFixed()).toBe("0.876");
    expect(result?.breaches[0]?.message).toBe(
      "the change adds +0.88 USD a month, more than the allowed 0.50 USD",
    );
  });

  it("warns on a percent increase: dev rises 1.7% against a 1% threshold, not against 2%", async () => {
    const results = await verdicts(`budgets:
  - { name: one percent, scope: { environment: dev }, increase: { percent: 1 }, action: warn }
  - { name: two percent, scope: { environment: dev }, increase: { percent: 2 }, action: warn }`);
    expect(results.map((r) => r.action)).toEqual(["warn", "pass"]);
    expect(results[0]?.percent?.toDecimalPlaces(2).toFixed()).toBe("1.71");
    expect(results[0]?.breaches[0]?.message).toMatch(
      /raises the monthly cost by 1\.7% \(51\.09 USD → 51\.97 USD\)/,
    );
  });

  it("lets a decrease through every increase threshold: prod goes down by 560.64 USD", async () => {
    const [result] = await verdicts(
      `budgets:\n  - { name: prod, scope: { environment: prod }, increase: { absolute: 0, percent: 0 } }`,
    );
    expect(result?.cost.delta.toFixed()).toBe("-560.64");
    expect(result?.action).toBe("pass");
  });

  it("scopes by project glob and provider", async () => {
    const results = await verdicts(`budgets:
  - { name: workspace, scope: { project: "my workspace*", provider: aws }, monthly: 700 }
  - { name: google, scope: { provider: google }, monthly: 0 }`);
    expect(results[0]?.cost.current.toFixed()).toBe("742.64");
    expect(results[0]?.action).toBe("fail");
    expect(results[1]?.empty).toBe(true);
    expect(results[1]?.action).toBe("pass");
  });

  it("the strictest action wins", () => {
    expect(strictest(["warn", "require-approval", "pass"])).toBe("require-approval");
    expect(strictest(["warn", "fail", "require-approval"])).toBe("fail");
    expect(strictest([])).toBe("pass");
  });

  it("rejects a budget without a limit, naming it", () => {
    expect(() => config(`budgets:\n  - { name: nothing, action: warn }`)).toThrow(
      /\.cost-guard\.yml is invalid: budgets\[0\]: a budget needs monthly, increase or both/,
    );
    expect(() => config(`budgets:\n  - { name: x, monthly: 10, action: block }`)).toThrow(
      /budgets\[0\]\.action/,
    );
  });
});
