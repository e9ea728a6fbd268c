import { describe, expect, it } from "vitest";
import { InputError } from "../src/errors.ts";
import { defineVariables, describeVariables, parseVariables, secretValues, v } from "../src/variables.ts";

const schema = defineVariables({
  SCANNERS: v.list({
    description: "Scanners to run",
    values: ["checkov", "trivy", "semgrep", "gitleaks"],
    default: ["checkov", "trivy"],
  }),
  MAX_HIGH: v.number({ description: "High findings allowed", integer: true, min: 0, default: 0 }),
  ENFORCE: v.boolean({ description: "Fail the step on FAIL", default: true }),
  MODE: v.enum(["enforce", "warn", "off"], { description: "Signed commit mode", default: "warn" }),
  TIMEOUT: v.duration({ description: "Per scanner", default: 600_000 }),
  API_TOKEN: v.string({ description: "Token", secret: true, optional: true }),
  REGION: v.string({ description: "Region" }),
});

function parse(env: Record<string, string>) {
  return parseVariables(schema, env);
}

function problems(env: Record<string, string>): string {
  try {
    parse(env);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error("expected invalid variables");
}

describe("pipe variables", () => {
  it("applies defaults for unset variables and reads the required ones", () => {
    expect(parse({ REGION: "eu-west-1" })).toEqual({
      SCANNERS: ["checkov", "trivy"],
      MAX_HIGH: 0,
      ENFORCE: true,
      MODE: "warn",
      TIMEOUT: 600_000,
      API_TOKEN: undefined,
      REGION: "eu-west-1",
    });
  });

  it("reads a YAML list as Bitbucket passes it: NAME_COUNT and NAME_0..NAME_n", () => {
    const vars = parse({ REGION: "x", SCANNERS_COUNT: "2", SCANNERS_0: "Semgrep", SCANNERS_1: "gitleaks" });
    expect(vars.SCANNERS).toEqual(["semgrep", "gitleaks"]);
  });

  it.each([
    ['["semgrep", "trivy"]', ["semgrep", "trivy"]],
    ["- semgrep\n- trivy", ["semgrep", "trivy"]],
    ["semgrep, trivy", ["semgrep", "trivy"]],
  ])("reads a list written in NAME for local runs: %j", (text, expected) => {
    expect(parse({ REGION: "x", SCANNERS: text }).SCANNERS).toEqual(expected);
  });

  it("parses booleans, numbers, enums and durations the way users write them", () => {
    const vars = parse({ REGION: "x", ENFORCE: "no", MAX_HIGH: "3", MODE: "ENFORCE", TIMEOUT: "1h30m" });
    expect(vars).toMatchObject({ ENFORCE: false, MAX_HIGH: 3, MODE: "enforce", TIMEOUT: 5_400_000 });
    expect(parse({ REGION: "x", TIMEOUT: "90" }).TIMEOUT).toBe(90_000);
  });

  it("reports every bad variable at once, each with its expected form", () => {
    const message = problems({
      ENFORCE: "maybe",
      MAX_HIGH: "-1",
      MODE: "strict",
      TIMEOUT: "soon",
      SCANNERS: "bandit",
    });
    expect(message).toContain("6 invalid variables");
    expect(message).toMatch(/ENFORCE: "maybe" is not a boolean; expected true or false/);
    expect(message).toMatch(/MAX_HIGH: "-1" is not a whole number ≥ 0/);
    expect(message).toMatch(/MODE: "strict" is not one of enforce, warn, off/);
    expect(message).toMatch(/TIMEOUT: "soon" is not a duration such as 30s, 5m/);
    expect(message).toMatch(/SCANNERS: "bandit" is not one of checkov, trivy, semgrep, gitleaks/);
    expect(message).toMatch(/REGION: is required/);
  });

  it("names a list whose NAME_COUNT promises more items than were passed", () => {
    expect(problems({ REGION: "x", SCANNERS_COUNT: "3", SCANNERS_0: "trivy" })).toMatch(
      /SCANNERS: SCANNERS_COUNT is 3 but SCANNERS_1, SCANNERS_2 are not set/,
    );
  });

  it("never echoes a secret value in an error", () => {
    const secretSchema = defineVariables({
      PIN: v.number({ description: "A secret number", secret: true }),
    });
    let message = "";
    try {
      parseVariables(secretSchema, { PIN: "hunter2-secret" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("PIN: the given value is not a number");
    expect(message).not.toContain("hunter2");
  });

  it("lists secret values for masking", () => {
    expect(secretValues(schema, { API_TOKEN: "tok-123456" })).toEqual(["tok-123456"]);
  });

  it("describes every variable for the generated docs, required ones marked", () => {
    const docs = describeVariables(schema);
    expect(docs.map((d) => [d.name, d.required, d.defaultText])).toEqual([
      ["SCANNERS", false, "checkov, trivy"],
      ["MAX_HIGH", false, "0"],
      ["ENFORCE", false, "true"],
      ["MODE", false, "warn"],
      ["TIMEOUT", false, "10m"],
      ["API_TOKEN", false, undefined],
      ["REGION", true, undefined],
    ]);
    expect(docs.find((d) => d.name === "API_TOKEN")?.secret).toBe(true);
  });
});
