/**
 * The reviewer's view of real plans (our own terraform/tofu runs on the example layers and the
 * shared fixtures): the guard, the cloud-agnostic validation, the verdict and the PR comment.
 */
import path from "node:path";
import { analyzePlan, readPlanFile } from "@pipes/terraform";
import { describe, expect, it } from "vitest";
import { guardDecision, protectedChanges } from "../src/guard.ts";
import { renderJUnit } from "../src/report/junit.ts";
import { renderMarkdown } from "../src/report/markdown.ts";
import type { RunResult, TargetOutcome } from "../src/result.ts";
import type { GuardPolicy, ValidationRules } from "../src/settings.ts";
import { validatePlan } from "../src/validation.ts";
import { runVerdict } from "../src/verdict.ts";

const OWN = path.resolve(import.meta.dirname, "../../../shared/terraform/test/fixtures");
const SHARED = path.resolve(import.meta.dirname, "../../../../shared/fixtures/terraform-plan");
const plan = async (file: string) => analyzePlan(await readPlanFile(file));

const guard: GuardPolicy = { protected_environments: ["production"], protected_types: ["aws_db_instance"] };
const rules: ValidationRules = {
  required_tags: ["environment", "owner", "cost-center"],
  allowed_regions: { aws: ["eu-west-1"], gcp: ["europe-west1"] },
  name_pattern: "^acme-(production|staging|dev)-[a-z0-9-]+$",
};
const noAllowance = { allowDestroy: false, approvalsNeeded: 0, approvals: undefined };

describe("the destructive-change guard", () => {
  it("blocks the database replace and the cache delete in production", async () => {
    const analysis = await plan(path.join(OWN, "terraform-aws-replace-delete.json"));
    const changes = protectedChanges(analysis, "production", guard);
    expect(changes.map((c) => [c.action, c.address, c.kind])).toEqual([
      ["delete", "terraform_data.cache[0]", "aws_elasticache_cluster"],
      ["replace", "terraform_data.database", "aws_db_instance"],
    ]);
    const decision = guardDecision(changes, noAllowance);
    expect(decision.status).toBe("blocked");
    expect(decision.reason).toBe("2 protected delete/replace: set ALLOW_DESTROY=true for this run");
  });

  it("in staging protects only the protected type", async () => {
    const analysis = await plan(path.join(OWN, "terraform-aws-replace-delete.json"));
    expect(protectedChanges(analysis, "staging", guard).map((c) => c.address)).toEqual([
      "terraform_data.database",
    ]);
  });

  it("lets them through with ALLOW_DESTROY or enough approvals, not with too few", async () => {
    const changes = protectedChanges(
      await plan(path.join(OWN, "terraform-aws-replace-delete.json")),
      "production",
      guard,
    );
    expect(guardDecision(changes, { ...noAllowance, allowDestroy: true }).status).toBe("allowed");
    expect(guardDecision(changes, { allowDestroy: false, approvalsNeeded: 2, approvals: 2 }).status).toBe(
      "allowed",
    );
    const tooFew = guardDecision(changes, { allowDestroy: false, approvalsNeeded: 2, approvals: 1 });
    expect(tooFew).toMatchObject({ status: "blocked" });
    expect(tooFew.reason).toContain("get 2 approvals on the PR (it has 1)");
  });

  it("sees the tainted replace of a shared fixture only in a protected environment", async () => {
    const analysis = await plan(path.join(SHARED, "action-reason.json"));
    expect(protectedChanges(analysis, "dev", guard)).toEqual([]);
    expect(protectedChanges(analysis, "production", guard)[0]).toMatchObject({
      actionReason: "replace_because_tainted",
    });
  });
});

describe("cloud-agnostic validation", () => {
  it("passes the example layers' own plans", async () => {
    expect(validatePlan(await plan(path.join(OWN, "terraform-aws-create.json")), "aws", rules)).toEqual([]);
    // The bucket's location is upper case, as Google writes it: regions compare without case.
    expect(validatePlan(await plan(path.join(OWN, "tofu-gcp-create.json")), "gcp", rules)).toEqual([]);
  });

  it("names each missing tag, region and name that breaks the rules", async () => {
    const analysis = await plan(path.join(OWN, "terraform-aws-create.json"));
    const strict: ValidationRules = {
      required_tags: ["environment", "data-classification"],
      allowed_regions: { aws: ["eu-central-1"] },
      name_pattern: "^acme-production-(core|orders)$",
    };
    const problems = validatePlan(analysis, "aws", strict);
    expect(problems.filter((p) => p.check === "tags")).toHaveLength(4);
    expect(problems.find((p) => p.check === "tags")?.message).toMatch(
      /lacks the required tags data-classification$/,
    );
    expect(problems.filter((p) => p.check === "region")[0]?.message).toBe(
      "aws_s3_bucket is in eu-west-1, not one of the allowed aws regions (eu-central-1)",
    );
    expect(problems.filter((p) => p.check === "naming").map((p) => p.address)).toEqual([
      "terraform_data.artifacts",
      "terraform_data.cache[0]",
    ]);
  });

  it("speaks of labels on Google", async () => {
    const problems = validatePlan(await plan(path.join(OWN, "tofu-gcp-create.json")), "gcp", {
      ...rules,
      required_tags: ["team"],
    });
    expect(problems[0]?.message).toMatch(/lacks the required labels team/);
  });
});

function outcome(name: string, extra: Partial<TargetOutcome>): TargetOutcome {
  return {
    target: {
      name,
      provider: "aws",
      environment: "production",
      directory: "aws",
      workspace: "production",
      varFiles: [],
      backendConfig: [],
      auth: {},
    },
    status: "planned",
    ...extra,
  };
}

describe("the verdict and the reports", () => {
  it("fails on a blocked guard, warns on validation with VALIDATION=warn, exits 3 on a failed plan", async () => {
    const analysis = await plan(path.join(OWN, "terraform-aws-replace-delete.json"));
    const changes = protectedChanges(analysis, "production", guard);
    const blocked = outcome("aws-production", {
      counts: analysis.counts,
      replaced: analysis.replaced.map((c) => ({
        address: c.address,
        reason: c.actionReason ?? "",
        paths: c.replacePaths ?? [],
      })),
      deleted: ["terraform_data.cache[0]"],
      guard: { ...guardDecision(changes, noAllowance), changes },
      validation: [],
    });
    expect(runVerdict([blocked], "enforce")).toMatchObject({ verdict: "FAIL", toolFailed: false });
    const untagged = outcome("gcp-dev", { validation: [{ check: "tags", address: "x", message: "m" }] });
    expect(runVerdict([untagged], "warn").verdict).toBe("WARN");
    expect(runVerdict([untagged], "enforce").verdict).toBe("FAIL");
    expect(runVerdict([untagged], "off").verdict).toBe("PASS");
    expect(
      runVerdict([outcome("azure-dev", { status: "failed", error: "tofu exited with code 1" })], "enforce"),
    ).toMatchObject({
      verdict: "FAIL",
      toolFailed: true,
    });

    const result: RunResult = {
      pipe: "multicloud-plan",
      version: "0.1.0",
      mode: "plan",
      binary: "terraform",
      verdict: "FAIL",
      summary: "aws-production: 2 protected delete/replace",
      rule: "branches main",
      source: "multicloud-plan.yml",
      createdAt: "2026-12-05T20:00:00.000Z",
      totals: analysis.counts,
      targets: [blocked],
    };
    const comment = renderMarkdown(result, "bitbucket");
    expect(comment).toContain(
      "| `aws-production` | aws | production | 1 to delete, 1 to replace | ❌ blocked | ✅ |",
    );
    expect(comment).toContain(
      "`terraform_data.database` — replace\\_because\\_cannot\\_update (forced by `triggers_replace`)",
    );
    expect(comment).not.toContain("<details>");
    expect(renderMarkdown(result, "github")).toContain("<summary>aws-production: details</summary>");
    const junit = renderJUnit(result, "enforce");
    expect(junit).toContain('<testcase name="guard" classname="multicloud-plan.aws-production"');
    expect(junit).toMatch(/<failure message="2 protected delete\/replace/);
  });
});
