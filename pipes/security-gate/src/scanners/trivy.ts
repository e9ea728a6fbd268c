/**
 * Trivy's filesystem scan, offline by default. Its native JSON is read rather than its SARIF: only the
 * JSON has the resource address of a misconfiguration (CauseMetadata.Resource), the package and
 * fixed version of a vulnerability as fields, and the severity as a word instead of a score.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { type Logger, runTool, type ToolCommand } from "@pipes/core";
import {
  remainingTime,
  type ScanOptions,
  type TrivyVulnerabilityDb,
  toolCommandBase,
  versionCommand,
} from "./scan-options.ts";
import { completedRun, readToolReport, type ScannerOutcome } from "./scanner-outcome.ts";
import { withScratchDir } from "./scratch-dir.ts";
import { globRelativeToScanPath } from "./skip-paths.ts";
import { toolVersion } from "./tool-version.ts";

export const TRIVY_REPORT_FILE = "trivy.json";

export function trivyVersionCommand(options: ScanOptions): ToolCommand {
  return versionCommand("trivy", options, ["--version"]);
}

/**
 * Flags that keep Trivy off the network. Always: the misconfiguration checks built into the binary
 * (--skip-check-update: the same checks on every run of one image), no version notice, no telemetry.
 * Without a downloaded vulnerability database, no `vuln` scanner and no database download.
 */
function networkFlags(db: TrivyVulnerabilityDb): string[] {
  const always = ["--skip-check-update", "--skip-version-check", "--disable-telemetry"];
  if (db === "download") return always;
  // --offline-scan: no requests to identify Java dependencies from Maven Central.
  return [...always, "--skip-db-update", "--skip-java-db-update", "--offline-scan"];
}

export function trivyCommand(
  options: ScanOptions,
  outputFile: string,
  db: TrivyVulnerabilityDb,
): ToolCommand {
  const skipGlobs = options.skipPaths
    .map((glob) => globRelativeToScanPath(glob, options.scanPath))
    .filter((glob): glob is string => glob !== undefined);
  return {
    ...toolCommandBase("trivy", options),
    args: [
      "filesystem",
      "--scanners",
      db === "none" ? "misconfig,secret" : "vuln,misconfig,secret",
      "--format",
      "json",
      "--output",
      outputFile,
      "--quiet",
      "--timeout",
      `${Math.ceil(options.timeoutMs / 1000)}s`,
      ...networkFlags(db),
      ...(options.trivy?.cacheDir ? ["--cache-dir", options.trivy.cacheDir] : []),
      // Trivy matches these globs from the scanned folder; files and folders are skipped apart.
      ...skipGlobs.flatMap((glob) => ["--skip-dirs", glob, "--skip-files", glob]),
      options.scanPath,
    ],
  };
}

/** Trivy's cache folder: --cache-dir, else its default ~/.cache/trivy. */
function cacheDirOf(options: ScanOptions): string {
  return options.trivy?.cacheDir ?? path.join(homedir(), ".cache", "trivy");
}

/** The database mode asked for; else "cached" when a database is in the cache (baked into the image), else "none". */
export function vulnerabilityDbOf(options: ScanOptions): TrivyVulnerabilityDb {
  if (options.trivy?.vulnerabilityDb) return options.trivy.vulnerabilityDb;
  return existsSync(path.join(cacheDirOf(options), "db", "metadata.json")) ? "cached" : "none";
}

export async function runTrivy(options: ScanOptions, log: Logger): Promise<ScannerOutcome> {
  const started = Date.now();
  const version = await toolVersion(trivyVersionCommand(options), log);
  const db = vulnerabilityDbOf(options);
  const warnings =
    db === "none"
      ? ["trivy: no vulnerability database in the image: only misconfigurations and secrets were scanned"]
      : [];
  return withScratchDir("trivy", async (dir) => {
    const file = path.join(dir, TRIVY_REPORT_FILE);
    await runTool(trivyCommand(remainingTime(options, started), file, db), log);
    // Trivy names targets relative to the scanned folder.
    const report = await readToolReport("trivy", file, "trivy", options.scanPath, options);
    return {
      findings: report.findings,
      warnings: [...warnings, ...report.warnings],
      run: completedRun("trivy", version ?? report.version, report.findings.length, started),
    };
  });
}
