/**
 * Checkov, offline. Its native JSON is read rather than its SARIF: only the JSON has the resource
 * address (aws_s3_bucket.logs), the framework (check_type: secrets findings are secrets), the files it
 * could not parse, and the severity when an ingested report was made with a Prisma Cloud key.
 */
import path from "node:path";
import { type Logger, runTool, type ToolCommand } from "@pipes/core";
import { remainingTime, type ScanOptions, toolCommandBase, versionCommand } from "./scan-options.ts";
import { completedRun, readToolReport, type ScannerOutcome } from "./scanner-outcome.ts";
import { withScratchDir } from "./scratch-dir.ts";
import { checkovSkipPathRegex } from "./skip-paths.ts";
import { toolVersion } from "./tool-version.ts";

/** Checkov writes `results_json.json` into the folder given with --output-file-path. */
export const CHECKOV_REPORT_FILE = "results_json.json";

/**
 * Without these Checkov calls home: BC_SKIP_MAPPING skips downloading the guideline links
 * (checkov/main.py), CKV_SKIP_PACKAGE_UPDATE_CHECK skips asking PyPI for a newer version
 * (checkov/common/util/env_vars_config.py). --skip-download covers the rest of the platform metadata.
 */
export const CHECKOV_OFFLINE_ENV = {
  BC_SKIP_MAPPING: "TRUE",
  CKV_SKIP_PACKAGE_UPDATE_CHECK: "true",
} as const;

export function checkovVersionCommand(options: ScanOptions): ToolCommand {
  return versionCommand("checkov", options, ["--version"], CHECKOV_OFFLINE_ENV);
}

/** The scan: JSON into `outputDir`; exit 0 with failed checks (--soft-fail), so any other exit is an error. */
export function checkovCommand(options: ScanOptions, outputDir: string): ToolCommand {
  const frameworks = options.checkov?.frameworks ?? [];
  const skipChecks = options.checkov?.skipChecks ?? [];
  return {
    ...toolCommandBase("checkov", options, CHECKOV_OFFLINE_ENV),
    args: [
      "--directory",
      options.scanPath,
      "--output",
      "json",
      "--output-file-path",
      outputDir,
      "--skip-download",
      "--soft-fail",
      "--quiet",
      "--compact",
      ...(frameworks.length > 0 ? ["--framework", ...frameworks] : []),
      ...(skipChecks.length > 0 ? ["--skip-check", skipChecks.join(",")] : []),
      ...options.skipPaths.flatMap((glob) => ["--skip-path", checkovSkipPathRegex(glob)]),
    ],
  };
}

export async function runCheckov(options: ScanOptions, log: Logger): Promise<ScannerOutcome> {
  const started = Date.now();
  const version = await toolVersion(checkovVersionCommand(options), log);
  return withScratchDir("checkov", async (dir) => {
    await runTool(checkovCommand(remainingTime(options, started), dir), log);
    // Checkov's repo_file_path is relative to its working directory, the clone's root.
    const report = await readToolReport(
      "checkov",
      path.join(dir, CHECKOV_REPORT_FILE),
      "checkov",
      ".",
      options,
    );
    return {
      findings: report.findings,
      warnings: report.warnings,
      run: completedRun("checkov", version ?? report.version, report.findings.length, started),
    };
  });
}
