/**
 * The Semgrep rules shipped with the pipe, each against its test file (`# ruleid:` / `# ok:`
 * annotations, https://semgrep.dev/docs/writing-rules/testing-rules).
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { Logger, runTool } from "@pipes/core";
import { describe, expect, it } from "vitest";
import { bundledSemgrepRules, SEMGREP_OFFLINE_ENV } from "../../src/scanners/semgrep.ts";
import { installedTool, needing } from "./installed-tools.ts";

interface SemgrepTestReport {
  config_missing_tests: string[];
  config_with_errors: unknown[];
  results: Record<string, { checks: Record<string, { passed: boolean; errors: unknown[] }> }>;
}

const semgrep = installedTool("semgrep");
const rulesDir = bundledSemgrepRules();

function ruleFiles(): string[] {
  return readdirSync(rulesDir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".yaml"))
    .sort();
}

describe("the bundled Semgrep rules", () => {
  it("cover Python, JavaScript/TypeScript and Go", () => {
    const files = ruleFiles();
    for (const language of ["python", "javascript", "go"]) {
      expect(
        files.filter((file) => file.startsWith(`${language}${path.sep}`)).length,
        language,
      ).toBeGreaterThanOrEqual(4);
    }
  });

  it.skipIf(!semgrep)(
    needing("semgrep", "flag every `ruleid:` line and no `ok:` line of their test files"),
    async () => {
      const sink = new PassThrough();
      sink.resume();
      const log = new Logger({ env: { NO_COLOR: "1" }, stdout: sink, stderr: sink });
      const { stdout } = await runTool(
        {
          tool: semgrep ?? "semgrep",
          args: ["--test", "--json", "--metrics=off", "--disable-version-check", rulesDir],
          env: { ...SEMGREP_OFFLINE_ENV },
          timeoutMs: 170_000,
        },
        log,
      );
      const report = JSON.parse(stdout) as SemgrepTestReport;
      expect(report.config_missing_tests).toEqual([]);
      expect(report.config_with_errors).toEqual([]);
      const checks = Object.values(report.results).flatMap((result) => Object.entries(result.checks));
      expect(checks).toHaveLength(ruleFiles().length);
      for (const [ruleId, check] of checks)
        expect({ ruleId, passed: check.passed }).toEqual({ ruleId, passed: true });
    },
  );
});
