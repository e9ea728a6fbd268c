/**
 * Conftest's own example policies give the same failures, warnings and exceptions under policy-gate
 * as under the real conftest (both run here, on the same files).
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runGateOn } from "./run-gate.ts";

const EXAMPLES = path.join(import.meta.dirname, "fixtures/conftest");

interface ConftestResult {
  filename: string;
  namespace: string;
  successes: number;
  failures?: { msg: string }[];
  warnings?: { msg: string }[];
  exceptions?: { msg: string }[];
}

function conftest(example: string, files: string[]): ConftestResult[] {
  let out: string;
  try {
    out = execFileSync("conftest", ["test", "--output", "json", "--policy", "policy", ...files], {
      cwd: path.join(EXAMPLES, example),
      encoding: "utf8",
    });
  } catch (error) {
    out = (error as { stdout: string }).stdout; // exit 1: failures found
  }
  return JSON.parse(out) as ConftestResult[];
}

const CASES = [
  { example: "kubernetes", files: ["deployment.yaml", "service.yaml", "deployment+service.yaml"] },
  { example: "exceptions", files: ["deployments.yaml"] },
  { example: "hcl2", files: ["terraform.tf"] },
];

describe.each(CASES)("Conftest example $example", ({ example, files }) => {
  it("fails, warns and exempts exactly what conftest does", async () => {
    const expected = conftest(example, files);
    const expectedFailures = expected
      .flatMap((r) => (r.failures ?? []).map((f) => `${r.filename} ${f.msg}`))
      .sort();
    const expectedWarnings = expected
      .flatMap((r) => (r.warnings ?? []).map((f) => `${r.filename} ${f.msg}`))
      .sort();
    const expectedExceptions = expected.reduce((n, r) => n + (r.exceptions?.length ?? 0), 0);
    expect(expectedFailures.length).toBeGreaterThan(0);

    const run = await runGateOn(path.join(EXAMPLES, example), {
      CONFIG_FILES: files,
      POLICY_PATHS: ["policy"],
      BUILT_IN_POLICIES: "false",
    });
    const blocking = run.decision.violations.filter((v) => v.status === "blocking");
    const advisory = run.decision.violations.filter((v) => v.status === "advisory");
    expect(blocking.map((v) => `${v.input} ${v.message}`).sort()).toEqual(expectedFailures);
    expect(advisory.map((v) => `${v.input} ${v.message}`).sort()).toEqual(expectedWarnings);
    const exemptions = run.decision.warnings.filter((w) => w.includes("exempted by Conftest"));
    expect(exemptions.length > 0).toBe(expectedExceptions > 0);
    expect(run.decision.verdict).toBe("FAIL");
  });
});

it("runs each rule of a namespace as its own policy (Conftest merges them per namespace)", async () => {
  const run = await runGateOn(path.join(EXAMPLES, "kubernetes"), {
    CONFIG_FILES: ["deployment.yaml"],
    POLICY_PATHS: ["policy"],
    BUILT_IN_POLICIES: "false",
  });
  const ids = run.policies.map((p) => p.id);
  expect(ids.filter((id) => id.startsWith("main.")).length).toBeGreaterThan(1);
  expect(new Set(run.decision.violations.map((v) => v.policyId)).size).toBeGreaterThan(1);
});
