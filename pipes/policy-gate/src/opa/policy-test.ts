/**
 * POLICY_TEST: the repository's own Rego unit tests (`opa test`) before its policies judge anything;
 * a failing or erroring test stops the pipe.
 */
import { type Logger, PipeError, runTool } from "@pipes/core";
import { OPA_VERSION } from "./binary.ts";

export async function runPolicyTests(
  paths: readonly string[],
  timeoutMs: number,
  log: Logger,
): Promise<void> {
  if (paths.length === 0) {
    log.warn("POLICY_TEST: no POLICY_PATHS to test");
    return;
  }
  const run = await runTool(
    {
      tool: "opa",
      expectedVersion: OPA_VERSION,
      args: ["test", "--format", "pretty", ...paths],
      timeoutMs,
      okExitCodes: [0, 1, 2],
    },
    log,
  );
  const lines = (run.stdout + run.stderr).trim().split("\n");
  const summary = lines.filter((line) => /^(PASS|FAIL|ERROR):/.test(line)).at(-1) ?? lines.at(-1) ?? "";
  if (run.exitCode !== 0) {
    const failures = lines.filter((line) => /FAIL|ERROR/.test(line)).slice(0, 20);
    throw new PipeError(
      `POLICY_TEST: the repository's policy tests failed (${summary.trim()}):\n  ${failures.join("\n  ")}`,
      {
        code: "POLICY_TEST_FAILED",
        exitCode: 1,
        suggestion: "Run `opa test -v <POLICY_PATHS>` locally and fix the policies or their tests.",
      },
    );
  }
  log.info(`POLICY_TEST: ${summary.trim() || "opa test passed"}`);
}
