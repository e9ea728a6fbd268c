import { readdirSync, readFileSync } from "node:fs";
import { InputError } from "@pipes/core";
import { describe, expect, it } from "vitest";
import { breakdownMonthlyCost, parseInfracost, projectCost, readInfracostFile } from "../src/infracost.ts";
import { sumMoney } from "../src/money.ts";
import { fixture, INFRACOST_FIXTURES } from "./fixtures.ts";

const files = readdirSync(INFRACOST_FIXTURES).filter((f) => f.endsWith(".json"));

describe("Infracost JSON", () => {
  it("finds the three real Infracost outputs", () => {
    expect(files.sort()).toEqual(["breakdown-comment.json", "diff-current.json", "simple-breakdown.json"]);
  });

  describe.each(files)("%s", (name) => {
    const raw = JSON.parse(readFileSync(fixture(name), "utf8"));

    it("parses, and its totals are the ones Infracost wrote, exactly", async () => {
      const report = await readInfracostFile(fixture(name), INFRACOST_FIXTURES);
      expect(report.file).toBe(name);
      expect(report.currency).toBe(raw.currency);
      expect(report.projects.map((p) => p.name)).toEqual(raw.projects.map((p: { name: string }) => p.name));
      expect(report.totalMonthlyCost?.toFixed()).toBe(raw.totalMonthlyCost);
      expect(report.pastTotalMonthlyCost?.toFixed()).toBe(raw.pastTotalMonthlyCost);
      expect(report.diffTotalMonthlyCost?.toFixed()).toBe(raw.diffTotalMonthlyCost);
    });

    it("adds up: each project's resources make its total, projects make the file's total and diff", async () => {
      const report = await readInfracostFile(fixture(name), INFRACOST_FIXTURES);
      for (const project of report.projects) {
        expect(breakdownMonthlyCost(project.breakdown).toFixed()).toBe(
          project.breakdown.totalMonthlyCost?.toFixed(),
        );
        const cost = projectCost(project);
        expect(cost.current.minus(cost.past).toFixed()).toBe(cost.delta.toFixed());
      }
      const costs = report.projects.map(projectCost);
      expect(sumMoney(costs.map((c) => c.current)).toFixed()).toBe(raw.totalMonthlyCost);
      expect(sumMoney(costs.map((c) => c.delta)).toFixed()).toBe(raw.diffTotalMonthlyCost);
    });
  });

  it("keeps decimals exact where floats would not (INR hourly total to 24 places)", async () => {
    const report = await readInfracostFile(fixture("simple-breakdown.json"), INFRACOST_FIXTURES);
    expect(report.totalMonthlyCost?.toFixed()).toBe("55065.10585392");
    const lambda = report.projects[0]?.breakdown.resources.find(
      (r) => r.address === "aws_lambda_function.hello_world",
    );
    expect(lambda?.monthlyCost).toBeNull();
    expect(lambda?.components.map((c) => c.price?.toFixed())).toEqual(["14.8296", "0.0012357988"]);
  });

  it("reads a diff: 5 projects, -2,241.684 USD in total, one project up by 0.876", async () => {
    const report = await readInfracostFile(fixture("breakdown-comment.json"), INFRACOST_FIXTURES);
    expect(report.isDiff).toBe(true);
    const dev = report.projects.find((p) => p.name === "my terragrunt dev project");
    expect(dev && projectCost(dev).delta.toFixed()).toBe("0.876");
  });

  it("names the file when the JSON is truncated", () => {
    const text = readFileSync(fixture("diff-current.json"), "utf8");
    expect(() => parseInfracost(text.slice(0, 2000), "costs/infracost.json")).toThrow(
      /costs\/infracost\.json is not valid JSON/,
    );
    expect(() => parseInfracost(text.slice(0, 2000), "costs/infracost.json")).toThrow(InputError);
  });

  it("names the file and the field when a cost is a number instead of a decimal string", () => {
    const broken = JSON.parse(readFileSync(fixture("diff-current.json"), "utf8"));
    broken.projects[0].breakdown.totalMonthlyCost = 1303.28;
    expect(() => parseInfracost(JSON.stringify(broken), "infracost.json")).toThrow(
      /infracost\.json is not Infracost JSON output \(format 0\.2\): projects\.0\.breakdown\.totalMonthlyCost/,
    );
  });

  it("names the file when it is JSON of something else", () => {
    expect(() => parseInfracost('{"resource_changes": []}', "plan.json")).toThrow(
      /plan\.json is not Infracost JSON/,
    );
  });

  it("names a missing file", async () => {
    await expect(readInfracostFile("/nonexistent/infracost.json", "/nonexistent")).rejects.toThrow(
      /infracost\.json cannot be read: ENOENT/,
    );
  });
});
