/**
 * The project's test command (`npm test`): build, generated-docs check, lint and types, then every
 * vitest project (unit, integration with real tools, container contract tests), ending with one
 * line `N passed, N failed, N skipped`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const projects = process.argv.slice(2).filter((a) => !a.startsWith("-"));

function step(name: string, command: string, args: string[]): boolean {
  console.log(`\n▶ ${name}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) console.error(`✖ ${name} failed (exit ${result.status ?? result.signal})`);
  return result.status === 0;
}

const checks = [
  step("build", "npx", ["turbo", "run", "build", "--output-logs=errors-only"]),
  step("generated docs", "node", ["scripts/generate-docs.ts", "--check"]),
  step("lint", "npx", ["biome", "check", "."]),
  step("types", "npx", ["tsc", "-p", "tsconfig.json", "--noEmit"]),
];
const checksFailed = checks.filter((ok) => !ok).length;

const report = path.join(mkdtempSync(path.join(tmpdir(), "vitest-")), "report.json");
const selected = projects.length > 0 ? projects : ["unit", "integration", "container"];
step("tests", "npx", [
  "vitest",
  "run",
  ...selected.flatMap((p) => ["--project", p]),
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${report}`,
]);

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { status: string; assertionResults: unknown[] }[];
}
let summary: VitestReport = {
  numPassedTests: 0,
  numFailedTests: 1,
  numPendingTests: 0,
  numTodoTests: 0,
  testResults: [],
};
try {
  summary = JSON.parse(readFileSync(report, "utf8"));
} catch {
  console.error("✖ vitest wrote no report");
}
// A file that fails to load counts as a failure even though it has no test results.
const loadFailures = summary.testResults.filter(
  (r) => r.status === "failed" && r.assertionResults.length === 0,
).length;
const failed = summary.numFailedTests + loadFailures + checksFailed;
const skipped = summary.numPendingTests + summary.numTodoTests;
console.log(`\n${summary.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || summary.numPassedTests === 0 ? 1 : 0);
