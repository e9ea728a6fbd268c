/**
 * Drift through terraform/tofu, one target: `plan -refresh-only -detailed-exitcode -out`, then
 * `show -json` of that plan (kept in memory, never written: it holds sensitive values in clear).
 * Remediation applies a saved plan, so exactly what was planned runs: `accept` the refresh-only
 * plan (what `apply -refresh-only -auto-approve` does), `revert` a full plan of the configuration
 * (what `apply -auto-approve` does); both only when remediationAllowed says so.
 */
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { Logger, PipeError, runTool, type ToolCommand } from "@pipes/core";
import {
  applyCommand,
  type Binary,
  initCommand,
  planCommand,
  showJsonCommand,
  type TargetRun,
  workspaceCommand,
} from "@pipes/terraform";
import { type DriftReport, driftFromPlan, remediationAllowed } from "./drift.ts";

export interface DriftOptions {
  binary: Binary;
  /** The root module, absolute. */
  moduleDir: string;
  /** TF_DATA_DIR of this target. */
  dataDir: string;
  /** The target's name, as reports show it. */
  target: string;
  /** The target's workspace; `default` when missing. */
  workspace?: string;
  varFiles?: string[];
  backendConfig?: string[];
  /** Credentials and settings for the providers and the backend (never printed). */
  env: Record<string, string | undefined>;
  log: Logger;
}

export interface RemediationOptions extends DriftOptions {
  /** REMEDIATION_APPROVED, the run's branch and PROTECTED_BRANCHES. */
  approval: { approved: boolean; branch: string | undefined; protectedBranches: readonly string[] };
}

/**
 * The shared commands read only the target's name, workspace, var files and backend config; the
 * cloud and auth of a multicloud-plan target play no part in a drift run.
 */
function targetRun(opts: DriftOptions, planName: string): TargetRun {
  const env = Object.fromEntries(
    Object.entries(opts.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return {
    target: {
      name: opts.target,
      provider: "aws",
      environment: opts.target,
      directory: opts.moduleDir,
      workspace: opts.workspace ?? "default",
      varFiles: opts.varFiles ?? [],
      backendConfig: opts.backendConfig ?? [],
      auth: {},
    },
    binary: opts.binary,
    moduleDir: opts.moduleDir,
    dataDir: opts.dataDir,
    planFile: path.join(opts.dataDir, `${planName}.tfplan`),
    planJsonFile: path.join(opts.dataDir, `${planName}.json`),
    env,
  };
}

/** `plan` with `-refresh-only` after the subcommand; the rest as the shared planCommand builds it. */
export function refreshOnlyPlanCommand(run: TargetRun): ToolCommand {
  const command = planCommand(run);
  return { ...command, args: [command.args[0] ?? "plan", "-refresh-only", ...command.args.slice(1)] };
}

async function prepare(run: TargetRun, log: Logger): Promise<void> {
  await mkdir(run.dataDir, { recursive: true });
  await runTool(initCommand(run), log);
  // Always selected, default too: a data dir kept from an earlier run remembers its workspace.
  await runTool(workspaceCommand(run), log);
}

/** A logger that never prints, not even with DEBUG: plan JSON holds sensitive values in clear. */
function quiet(log: Logger): Logger {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  return new Logger({ env: {}, stdout: sink, stderr: sink, masker: log.masker });
}

/** Plans with `command`, reads the plan JSON, and leaves the saved plan at run.planFile. */
async function planDrift(run: TargetRun, command: ToolCommand, log: Logger): Promise<DriftReport> {
  await runTool(command, log);
  const shown = await runTool(showJsonCommand(run), quiet(log));
  let json: unknown;
  try {
    json = JSON.parse(shown.stdout);
  } catch {
    json = shown.stdout;
  }
  return driftFromPlan(json, run.target.name);
}

/** The resources of one target changed outside Terraform, sensitive values masked. Changes nothing. */
export async function detectDrift(opts: DriftOptions): Promise<DriftReport> {
  const run = targetRun(opts, "drift");
  try {
    await prepare(run, opts.log);
    return await planDrift(run, refreshOnlyPlanCommand(run), opts.log);
  } finally {
    // A saved plan holds the state and the variables in clear.
    await rm(run.planFile, { force: true });
  }
}

/**
 * Remediates the drift of one target, then detects again: `accept` records the real world in the
 * state, `revert` applies the configuration to the real world. Nothing is applied when there is no
 * drift. Throws PipeError DRIFT_REMEDIATION_REFUSED, before running anything, when not approved or
 * not on a protected branch.
 */
export async function remediate(
  mode: "accept" | "revert",
  opts: RemediationOptions,
): Promise<{ applied: boolean; after: DriftReport }> {
  const verdict = remediationAllowed(mode, opts.approval);
  if (!verdict.allowed)
    throw new PipeError(`drift remediation ${mode} of target ${opts.target} refused: ${verdict.reason}`, {
      code: "DRIFT_REMEDIATION_REFUSED",
      suggestion:
        "Set REMEDIATION_APPROVED=true on a manual step of a branch that PROTECTED_BRANCHES lists, or use REMEDIATION=report.",
    });
  const run = targetRun(opts, `drift-${mode}`);
  try {
    await prepare(run, opts.log);
    const found = await planDrift(run, refreshOnlyPlanCommand(run), opts.log);
    if (!found.drifted.length) return { applied: false, after: found };
    // accept applies the refresh-only plan just made; revert plans the configuration over it.
    if (mode === "revert") await runTool(planCommand(run), opts.log);
    await runTool(applyCommand(run), opts.log);
  } finally {
    await rm(run.planFile, { force: true });
  }
  return { applied: true, after: await detectDrift(opts) };
}
