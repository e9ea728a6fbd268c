/**
 * Semgrep with local rules: the pipe's bundled rules unless SEMGREP_RULES names others. Its native
 * JSON is read rather than its SARIF: only the JSON has the errors it met as data (files it could not
 * parse, rules that failed), its version, and the `nosemgrep` flag.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Logger, runTool, type ToolCommand, ToolError } from "@pipes/core";
import { remainingTime, type ScanOptions, toolCommandBase, versionCommand } from "./scan-options.ts";
import { completedRun, readToolReport, type ScannerOutcome } from "./scanner-outcome.ts";
import { withScratchDir } from "./scratch-dir.ts";
import { toolVersion } from "./tool-version.ts";

export const SEMGREP_REPORT_FILE = "semgrep.json";

/**
 * Semgrep sends metrics when a config comes from its registry, and checks for a newer version on every
 * run; both are off. https://semgrep.dev/docs/metrics
 */
export const SEMGREP_OFFLINE_ENV = {
  SEMGREP_SEND_METRICS: "off",
  SEMGREP_ENABLE_VERSION_CHECK: "0",
} as const;

/** Registry configs (p/python, r/..., s/..., auto) need semgrep.dev; everything else is a local path. */
export function isRegistryConfig(config: string): boolean {
  return /^(p|r|s)\//.test(config) || config === "auto" || /^https?:\/\//.test(config);
}

/**
 * The rules shipped with the pipe: `rules/semgrep` beside `src/` when run from the repository, beside
 * `dist/` in the image.
 */
export function bundledSemgrepRules(): string {
  const candidates = ["../../rules/semgrep", "../rules/semgrep"].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  return candidates.find((candidate) => existsSync(candidate)) ?? (candidates[0] as string);
}

export function semgrepVersionCommand(options: ScanOptions): ToolCommand {
  return versionCommand("semgrep", options, ["--version"], SEMGREP_OFFLINE_ENV);
}

/**
 * The scan. --no-rewrite-rule-ids keeps rule ids as written: by default Semgrep prefixes them with the
 * rule file's folder ("opt.pipe.rules.semgrep.python-eval"), which would change every fingerprint with
 * the install path. Exit 0 with findings (no --error); any other exit is an error.
 */
export function semgrepCommand(options: ScanOptions, outputFile: string, bundledRules: string): ToolCommand {
  const configs = options.semgrep?.configs?.length ? options.semgrep.configs : [bundledRules];
  return {
    ...toolCommandBase("semgrep", options, SEMGREP_OFFLINE_ENV),
    // Semgrep still writes its report when a rule is broken (exit 2): read it for the reason.
    okExitCodes: [0, 2],
    args: [
      "scan",
      ...configs.flatMap((config) => ["--config", config]),
      "--json",
      "--output",
      outputFile,
      "--metrics=off",
      "--disable-version-check",
      "--no-rewrite-rule-ids",
      "--quiet",
      ...options.skipPaths.flatMap((glob) => ["--exclude", glob]),
      options.scanPath,
    ],
  };
}

export async function runSemgrep(options: ScanOptions, log: Logger): Promise<ScannerOutcome> {
  const started = Date.now();
  const version = await toolVersion(semgrepVersionCommand(options), log);
  return withScratchDir("semgrep", async (dir) => {
    const file = path.join(dir, SEMGREP_REPORT_FILE);
    const { exitCode } = await runTool(
      semgrepCommand(remainingTime(options, started), file, bundledSemgrepRules()),
      log,
    );
    const report = await readToolReport("semgrep", file, "semgrep", ".", options);
    if (exitCode !== 0) {
      // Exit 2 and up: a rule or config is broken. --quiet leaves stderr empty; the reasons are in the report.
      throw new ToolError(
        `semgrep exited with code ${exitCode}: ${report.warnings.join("; ") || "no reason given"}`,
        {
          suggestion:
            "Fix the rules named above (SEMGREP_RULES), or run with DEBUG=true to see semgrep's output.",
        },
      );
    }
    const registry = (options.semgrep?.configs ?? []).filter(isRegistryConfig);
    return {
      findings: report.findings,
      warnings: [
        ...registry.map(
          (config) =>
            `semgrep: ${config} comes from the Semgrep registry, so the step needs network access to semgrep.dev`,
        ),
        ...report.warnings,
      ],
      run: completedRun("semgrep", version ?? report.version, report.findings.length, started),
    };
  });
}
