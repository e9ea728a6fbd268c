/**
 * gitleaks: the working tree (`dir`), and the pull request's commits (`git`) when a range is given, so a
 * secret added and removed again within the PR is still found. Its native JSON is read rather than its
 * SARIF: both carry the secret, but only the JSON has the commit it is in. The report files hold the
 * secrets themselves: they live in a private scratch folder, removed after parsing, and nothing is
 * printed (no --verbose).
 */
import path from "node:path";
import { errorMessage, type Logger, runTool, type ToolCommand, ToolError } from "@pipes/core";
import type { Finding } from "../findings.ts";
import { remainingTime, type ScanOptions, toolCommandBase, versionCommand } from "./scan-options.ts";
import { completedRun, readToolReport, type ScannerOutcome } from "./scanner-outcome.ts";
import { withScratchDir } from "./scratch-dir.ts";
import { toolVersion } from "./tool-version.ts";

export function gitleaksVersionCommand(options: ScanOptions): ToolCommand {
  return versionCommand("gitleaks", options, ["version"]);
}

/**
 * Flags of both modes. --exit-code 0: leaks are results, so exit 1 is left to mean an error. The
 * repository's own .gitleaks.toml and .gitleaksignore apply, as when developers run gitleaks.
 */
function reportFlags(outputFile: string): string[] {
  return [
    "--report-format",
    "json",
    "--report-path",
    outputFile,
    "--exit-code",
    "0",
    "--no-banner",
    "--log-level",
    "warn",
  ];
}

/** The working tree under the scanned folder. Paths come out as given: relative to the clone. */
export function gitleaksDirCommand(options: ScanOptions, outputFile: string): ToolCommand {
  return {
    ...toolCommandBase("gitleaks", options),
    args: ["dir", ...reportFlags(outputFile), options.scanPath],
  };
}

/** The commits of a git range (`git log` options), for secrets that a later commit deleted. */
export function gitleaksGitCommand(
  options: ScanOptions,
  outputFile: string,
  commitRange: string,
): ToolCommand {
  return {
    ...toolCommandBase("gitleaks", options),
    args: ["git", ...reportFlags(outputFile), `--log-opts=${commitRange}`, "."],
  };
}

/** One finding per secret and place: the working tree and the history report the same leak twice. */
function uniqueByFingerprint(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => !seen.has(finding.fingerprint) && seen.add(finding.fingerprint));
}

export async function runGitleaks(options: ScanOptions, log: Logger): Promise<ScannerOutcome> {
  const started = Date.now();
  const version = await toolVersion(gitleaksVersionCommand(options), log);
  return withScratchDir("gitleaks", async (dir) => {
    const dirReport = path.join(dir, "dir.json");
    await runTool(gitleaksDirCommand(remainingTime(options, started), dirReport), log);
    const reports = [await readToolReport("gitleaks", dirReport, "gitleaks", ".", options)];
    const range = options.gitleaks?.commitRange;
    if (range) {
      const gitReport = path.join(dir, "git.json");
      await runTool(gitleaksGitCommand(remainingTime(options, started), gitReport, range), log).catch(
        (error: unknown) => {
          throw new ToolError(`gitleaks could not scan the commits ${range}: ${errorMessage(error)}`, {
            cause: error,
            suggestion: "A shallow clone may not hold the whole range: set `clone: depth: full` on the step.",
          });
        },
      );
      reports.push(await readToolReport("gitleaks", gitReport, "gitleaks", ".", options));
    }
    // The working tree's finding comes first, so a leak still present keeps its current location.
    const findings = uniqueByFingerprint(reports.flatMap((report) => report.findings));
    return {
      findings,
      warnings: reports.flatMap((report) => report.warnings),
      run: completedRun("gitleaks", version, findings.length, started),
    };
  });
}
