/**
 * Everything the scanner adapters need, parsed once from the pipe's variables by the caller, and
 * the part of a command that every scanner builds alike. The command builders are pure functions of
 * this object.
 */
import type { ToolCommand } from "@pipes/core";
import type { Scanner } from "../findings.ts";

/**
 * How Trivy gets its vulnerability database: not at all (misconfigurations and secrets only, the
 * offline default), from a database already in its cache (baked into the image), or downloaded.
 */
export type TrivyVulnerabilityDb = "none" | "cached" | "download";

export interface ScanOptions {
  /** Absolute clone directory. Every tool runs here, so the paths they report are repository-relative. */
  repoRoot: string;
  /** Repository-relative folder to scan (SCAN_PATH); "." for the whole repository. */
  scanPath: string;
  /** Globs of repository paths not to scan: passed to the tools that can skip them, and findings under them are dropped. */
  skipPaths: readonly string[];
  /** Time limit for each scanner command. */
  timeoutMs: number;
  checkov?: {
    /** `--framework` values; all frameworks when empty. */
    frameworks?: readonly string[];
    skipChecks?: readonly string[];
  };
  trivy?: {
    vulnerabilityDb?: TrivyVulnerabilityDb;
    cacheDir?: string;
  };
  semgrep?: {
    /** Rule files or folders (repository-relative or absolute), or registry rule sets (p/...). Default: the bundled rules. */
    configs?: readonly string[];
  };
  gitleaks?: {
    /** A git range ("abc123..def456"): its commits are scanned too, beside the working tree. */
    commitRange?: string;
  };
  /** Executables by scanner when not the name on PATH (custom images, tests). */
  executables?: Partial<Record<Scanner, string>>;
}

/** The versions the pipe's image is built with, named when a tool is missing. */
export const EXPECTED_VERSIONS: Record<Scanner, string> = {
  checkov: "3.3.30",
  trivy: "0.74.0",
  semgrep: "1.185.0",
  gitleaks: "8.30.1",
};

export function executableOf(scanner: Scanner, options: ScanOptions): string {
  return options.executables?.[scanner] ?? scanner;
}

/**
 * The options with `timeoutMs` cut to what is left of the scanner's time limit, so the limit holds for
 * the whole scanner (version check, scan, and gitleaks' second scan), not for each command.
 */
export function remainingTime(options: ScanOptions, started: number, now = Date.now()): ScanOptions {
  return { ...options, timeoutMs: Math.max(1000, started + options.timeoutMs - now) };
}

/** `--version` answers in seconds; a tool that hangs there is broken, whatever the scan's limit. */
export const VERSION_TIMEOUT_MS = 60_000;

/**
 * What every command of a scanner shares: its executable, the clone as working directory, the time
 * limit, and its name before each line it prints. `env` holds the tool's own settings (offline flags).
 */
export function toolCommandBase(
  scanner: Scanner,
  options: ScanOptions,
  env?: Readonly<Record<string, string>>,
): Omit<ToolCommand, "args"> {
  return {
    tool: executableOf(scanner, options),
    expectedVersion: EXPECTED_VERSIONS[scanner],
    cwd: options.repoRoot,
    ...(env ? { env: { ...env } } : {}),
    timeoutMs: options.timeoutMs,
    prefix: `[${scanner}] `,
  };
}

/** The command that asks a scanner for its version (`args`: "--version", or "version" for gitleaks). */
export function versionCommand(
  scanner: Scanner,
  options: ScanOptions,
  args: readonly string[],
  env?: Readonly<Record<string, string>>,
): ToolCommand {
  return {
    ...toolCommandBase(scanner, options, env),
    timeoutMs: Math.min(VERSION_TIMEOUT_MS, options.timeoutMs),
    args,
  };
}
