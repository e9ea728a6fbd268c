/** Remediation's guard, and plan JSON that is not a refresh-only plan (real plans: drift.integration.test.ts). */
import { InputError } from "@pipes/core";
import { describe, expect, it } from "vitest";
import { driftFromPlan, remediationAllowed } from "../src/drift.ts";

const onMain = { approved: true, branch: "main", protectedBranches: ["main", "release/*"] };

describe("whether a remediation may run", () => {
  it.each([
    [
      "report, unapproved on a feature branch",
      "report",
      { approved: false, branch: "feature/x", protectedBranches: [] },
    ],
    ["accept, approved on main", "accept", onMain],
    [
      "revert, approved on a release branch matching release/*",
      "revert",
      { ...onMain, branch: "release/1.4" },
    ],
  ] as const)("allows %s", (_case, mode, opts) => {
    expect(remediationAllowed(mode, opts)).toEqual({ allowed: true });
  });

  it.each([
    [
      "accept without approval",
      "accept",
      { ...onMain, approved: false },
      ["REMEDIATION=accept needs REMEDIATION_APPROVED=true"],
    ],
    [
      "revert on a branch outside the globs",
      "revert",
      { ...onMain, branch: "feature/release/1" },
      ["branch feature/release/1 is not in PROTECTED_BRANCHES (main, release/*)"],
    ],
    [
      "accept in a run without a branch (a tag)",
      "accept",
      { ...onMain, branch: undefined },
      ["this run has no branch", "PROTECTED_BRANCHES (main, release/*)"],
    ],
    [
      "revert when no branch is protected",
      "revert",
      { ...onMain, protectedBranches: [] },
      ["branch main is not in PROTECTED_BRANCHES (empty)"],
    ],
    [
      "revert unapproved on an unprotected branch, naming both",
      "revert",
      { approved: false, branch: "dev", protectedBranches: ["main"] },
      ["REMEDIATION_APPROVED=true", "branch dev is not in PROTECTED_BRANCHES (main)"],
    ],
  ] as const)("refuses %s, saying which variable to set", (_case, mode, opts, phrases) => {
    const verdict = remediationAllowed(mode, opts);
    expect(verdict.allowed).toBe(false);
    for (const phrase of phrases) expect(verdict.allowed ? "" : verdict.reason).toContain(phrase);
  });
});

describe("drift from input that is not a refresh-only plan", () => {
  it.each([
    ["text", "not json", /target prod is not a Terraform plan/],
    ["null", null, /target prod is not a Terraform plan/],
    ["an object without format_version", { resource_drift: [] }, /format_version/],
    [
      "the JSON of a state",
      { format_version: "1.0", terraform_version: "1.13.3", values: { root_module: {} } },
      /looks like the JSON of a state/,
    ],
    ["a plan that errored", { format_version: "1.2", planned_values: {}, errored: true }, /errored/],
    [
      "a drifted resource without a change",
      {
        format_version: "1.2",
        planned_values: {},
        resource_drift: [{ address: "a.b", type: "a", name: "b" }],
      },
      /resource_drift\.0\.change/,
    ],
  ])("refuses %s as PLAN_JSON, naming the target", (_case, input, message) => {
    const refused = (() => {
      try {
        driftFromPlan(input, "prod");
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).code).toBe("PLAN_JSON");
    expect((refused as InputError).message).toMatch(message);
    expect((refused as InputError).suggestion).toContain("plan -refresh-only");
  });

  it("refuses an action list Terraform does not write", () => {
    const plan = {
      format_version: "1.2",
      planned_values: {},
      resource_drift: [{ address: "a.b", type: "a", name: "b", change: { actions: ["explode"] } }],
    };
    expect(() => driftFromPlan(plan, "prod")).toThrow(/unknown action list/);
  });
});
