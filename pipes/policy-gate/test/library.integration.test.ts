/**
 * The built-in library: its own `opa test` cases pass, every policy has a failing and a passing
 * case, and it judges real plans (the example layers' plans made by terraform and tofu) as a user
 * would expect.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { builtInPoliciesDir } from "../src/sources.ts";
import { runGateOn } from "./run-gate.ts";

const LIBRARY = builtInPoliciesDir();
const ROOT = path.resolve(import.meta.dirname, "../../..");

describe("built-in library", () => {
  it("passes its own opa test cases", () => {
    const out = execFileSync("opa", ["test", "--format", "json", LIBRARY], { encoding: "utf8" });
    const results = JSON.parse(out) as { name: string; fail?: boolean; error?: unknown }[];
    expect(results.length).toBeGreaterThanOrEqual(60);
    expect(results.filter((r) => r.fail || r.error).map((r) => r.name)).toEqual([]);
  });

  const policyFiles = ["aws", "azure", "gcp"].flatMap((cloud) =>
    readdirSync(path.join(LIBRARY, cloud))
      .filter((f) => f.endsWith(".rego") && !f.endsWith("_test.rego"))
      .map((f) => path.join(cloud, f)),
  );

  it.each(policyFiles)("%s has a severity, remediation, controls and failing + passing tests", (file) => {
    const policy = readFileSync(path.join(LIBRARY, file), "utf8");
    expect(policy).toMatch(/severity: (CRITICAL|HIGH|MEDIUM|LOW)/);
    expect(policy).toMatch(/remediation: \S/);
    // Mapped where a framework has a control for it: capacity limits have no PCI-DSS or GDPR control.
    const mapped = ["SOC2", "PCI-DSS", "GDPR", "ISO27001"].filter((f) => policy.includes(`#     ${f}:`));
    expect(mapped).toContain("SOC2");
    expect(mapped).toContain("ISO27001");
    const tests = readFileSync(path.join(LIBRARY, file.replace(/\.rego$/, "_test.rego")), "utf8");
    const names = [...tests.matchAll(/^test_(\w+)/gm)].map((m) => m[1] ?? "");
    // The library names its cases by outcome: ..._fail(s) for a violation, ..._pass(es) (or
    // ..._not_judged, ..._count) for none.
    expect(names.some((n) => /fails?$/.test(n))).toBe(true);
    expect(names.some((n) => /(passes|pass|not_judged|count)$/.test(n))).toBe(true);
  });
});

describe("on real plans of the example layers", () => {
  it("finds the unencrypted AWS database and the GCP bucket without a customer-managed key, at their .tf lines", async () => {
    const run = await runGateOn(ROOT, {
      PLAN_FILES: [
        "shared/terraform/test/fixtures/terraform-aws-create.json",
        "shared/terraform/test/fixtures/tofu-gcp-create.json",
      ],
      TERRAFORM_DIR: "examples/infrastructure/live",
    });
    const found = run.decision.violations.map((v) => `${v.policyId} ${v.resource} ${v.location?.file}`);
    expect(found).toContain(
      "AWS-ENCRYPTION-AT-REST terraform_data.database examples/infrastructure/live/aws/main.tf",
    );
    expect(found.some((f) => f.startsWith("GCP-ENCRYPTION-AT-REST terraform_data.bucket"))).toBe(true);
    expect(run.decision.verdict).toBe("FAIL");
    const pci = run.coverage.find((c) => c.framework === "PCI-DSS");
    expect(pci?.failed).toBeGreaterThan(0);
  });

  it("flags the AWS provider region of the shared plan fixtures that deploy to us-west-2, and nothing else", async () => {
    const dir = "/work/shared/fixtures/terraform-plan";
    const run = await runGateOn(path.dirname(dir), { PLAN_FILES: ["terraform-plan/*.json"] });
    expect(run.inputs.length).toBe(readdirSync(dir).filter((f) => f.endsWith(".json")).length);
    const byInput = run.decision.violations.map((v) => `${v.input} ${v.policyId}`).sort();
    expect(byInput).toEqual([
      "terraform-plan/basic.json AWS-ALLOWED-REGIONS",
      "terraform-plan/has-changes.json AWS-ALLOWED-REGIONS",
    ]);
    expect(run.decision.violations[0]?.message).toContain("us-west-2");
  });

  it("gives one clear error naming a malformed plan", async () => {
    await expect(
      runGateOn(path.join(import.meta.dirname, "fixtures"), { PLAN_FILES: ["malformed-plan.json"] }),
    ).rejects.toThrow(/PLAN_FILES: malformed-plan.json is not valid JSON/);
  });

  it("evaluates the same with the Wasm engine as with the opa binary", async () => {
    const values = {
      PLAN_FILES: ["shared/terraform/test/fixtures/terraform-aws-create.json"],
      TERRAFORM_DIR: "examples/infrastructure/live",
    };
    const binary = await runGateOn(ROOT, values);
    const wasm = await runGateOn(ROOT, { ...values, ENGINE: "wasm" });
    const key = (r: typeof binary) =>
      r.decision.violations.map((v) => `${v.policyId} ${v.resource} ${v.message}`);
    expect(key(wasm)).toEqual(key(binary));
  });
});
