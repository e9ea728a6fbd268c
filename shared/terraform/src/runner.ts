/**
 * Running terraform or tofu for one target: init (with its backend config), workspace, validate,
 * `plan -out`, `show -json`, and apply of a saved plan. Commands are data (built by the functions
 * below, so tests are tables of inputs → argument lists) and run through the core's `runTool`.
 * Each target has its own TF_DATA_DIR, so targets sharing a root module run side by side; their
 * output is gathered per target and printed as one group when the target ends.
 */
import { mkdir } from "node:fs/promises";
import { Writable } from "node:stream";
import { Logger, PipeError, runTool, type ToolCommand, ToolError, writeFileAtomic } from "@pipes/core";
import type { Target } from "./targets.ts";

export const BINARIES = ["terraform", "tofu"] as const;
export type Binary = (typeof BINARIES)[number];

/** The versions the iac-tools image is built with: named when the tool is missing. */
export const BINARY_VERSIONS: Record<Binary, string> = { terraform: "1.13.3", tofu: "1.12.6" };

/** Where one target's run lives on disk. */
export interface TargetRun {
  target: Target;
  binary: Binary;
  /** The root module, absolute. */
  moduleDir: string;
  /** TF_DATA_DIR of this target: providers, modules and the backend's settings. */
  dataDir: string;
  /** The saved plan (`plan -out`). */
  planFile: string;
  /** `show -json` of the saved plan. */
  planJsonFile: string;
  /** Credentials and settings for the providers and the backend (never printed). */
  env: Record<string, string>;
  timeoutMs?: number;
}

function command(run: TargetRun, args: string[], extra: Partial<ToolCommand> = {}): ToolCommand {
  return {
    tool: run.binary,
    args,
    expectedVersion: BINARY_VERSIONS[run.binary],
    cwd: run.moduleDir,
    env: {
      ...run.env,
      TF_DATA_DIR: run.dataDir,
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      // A workspace chosen by the environment would override the target's.
      TF_WORKSPACE: undefined,
    },
    stream: true,
    prefix: "",
    ...(run.timeoutMs === undefined ? {} : { timeoutMs: run.timeoutMs }),
    ...extra,
  };
}

export function initCommand(run: TargetRun): ToolCommand {
  return command(run, [
    "init",
    "-input=false",
    "-no-color",
    // A pipe run starts from the repository: never migrate state from a backend of an earlier run.
    "-reconfigure",
    ...run.target.backendConfig.map((item) => `-backend-config=${item}`),
  ]);
}

export function workspaceCommand(run: TargetRun): ToolCommand {
  return command(run, ["workspace", "select", "-or-create=true", "-no-color", run.target.workspace]);
}

export function validateCommand(run: TargetRun): ToolCommand {
  return command(run, ["validate", "-no-color"]);
}

/** `-detailed-exitcode`: 0 no changes, 2 changes, 1 an error. */
export function planCommand(run: TargetRun): ToolCommand {
  return command(
    run,
    [
      "plan",
      "-input=false",
      "-no-color",
      "-detailed-exitcode",
      `-out=${run.planFile}`,
      ...run.target.varFiles.map((file) => `-var-file=${file}`),
    ],
    { okExitCodes: [0, 2] },
  );
}

/** Not streamed: plan JSON holds sensitive values in clear (only marked as sensitive). */
export function showJsonCommand(run: TargetRun): ToolCommand {
  return command(run, ["show", "-json", "-no-color", run.planFile], { stream: false });
}

export function applyCommand(run: TargetRun): ToolCommand {
  return command(run, ["apply", "-input=false", "-no-color", run.planFile]);
}

/** A logger that never prints debug output, for commands whose output must not be shown. */
function quiet(log: Logger): Logger {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  return new Logger({ env: {}, stdout: sink, stderr: sink, masker: log.masker });
}

async function prepare(run: TargetRun, log: Logger): Promise<void> {
  await mkdir(run.dataDir, { recursive: true });
  await runTool(initCommand(run), log);
  if (run.target.workspace !== "default") await runTool(workspaceCommand(run), log);
}

export interface PlannedTarget {
  planFile: string;
  planJsonFile: string;
  /** From plan's `-detailed-exitcode`. */
  changes: boolean;
}

/** init → workspace → validate → plan -out → show -json (written to `planJsonFile`). */
export async function planTarget(run: TargetRun, log: Logger): Promise<PlannedTarget> {
  await prepare(run, log);
  await runTool(validateCommand(run), log);
  const plan = await runTool(planCommand(run), log);
  const shown = await runTool(showJsonCommand(run), quiet(log));
  await writeFileAtomic(run.planJsonFile, shown.stdout);
  return { planFile: run.planFile, planJsonFile: run.planJsonFile, changes: plan.exitCode === 2 };
}

/**
 * Applies exactly the saved plan. Terraform refuses a plan made against another state ("Saved
 * plan is stale"): that becomes a PLAN_STALE error saying to plan again.
 */
export async function applySavedPlan(run: TargetRun, log: Logger): Promise<void> {
  await prepare(run, log);
  try {
    await runTool(applyCommand(run), log);
  } catch (error) {
    if (error instanceof ToolError && /saved plan is stale|plan file.*stale/i.test(error.message))
      throw new PipeError(
        `the saved plan of target ${run.target.name} is stale: the state changed since it was made`,
        {
          code: "PLAN_STALE",
          suggestion: "Run the pipe with MODE=plan again and apply the new plan.",
          cause: error,
        },
      );
    throw error;
  }
}

/**
 * Runs `work` for each item, at most `limit` at a time; every item runs even when one fails.
 * Results in item order.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: "fulfilled", value: await work(items[index] as T, index) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * Gives `work` a logger of its own whose lines are held, then printed under one group named
 * `name` when it ends (also when it throws): parallel targets do not interleave.
 */
export async function inGroup<T>(log: Logger, name: string, work: (log: Logger) => Promise<T>): Promise<T> {
  const lines: string[] = [];
  const holder = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      lines.push(String(chunk).replace(/\n$/, ""));
      done();
    },
  });
  const own = new Logger({
    env: log.debugEnabled ? { DEBUG: "true", NO_COLOR: "1" } : { NO_COLOR: "1" },
    stdout: holder,
    stderr: holder,
    masker: log.masker,
  });
  const started = Date.now();
  try {
    return await work(own);
  } finally {
    await log.group(`${name}, ${((Date.now() - started) / 1000).toFixed(1)}s`, async () => {
      for (const line of lines) log.output(line);
    });
  }
}
