/**
 * The plan mode's shell: for each target of the branch, at most PARALLELISM at once, each in its own
 * log group: credentials, init/validate/plan/show, then the pure analysis, guard and validation.
 * A target whose tool fails is reported as failed and the others go on; a configuration error
 * (a missing directory, no OIDC token) stops the pipe.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { type BitbucketContext, errorMessage, InputError, type Logger, PipeError } from "@pipes/core";
import {
  analyzePlan,
  countsText,
  inGroup,
  mapBounded,
  planTarget,
  readPlanFile,
  type Target,
  type TargetRun,
} from "@pipes/terraform";
import { targetCredentials } from "./auth.ts";
import { type GuardAllowance, guardDecision, protectedChanges } from "./guard.ts";
import type { TargetOutcome } from "./result.ts";
import type { Settings } from "./settings.ts";
import { validatePlan } from "./validation.ts";
import type { Variables } from "./variables.ts";

export const PIPE_NAME = "multicloud-plan";

export interface PlanningInput {
  vars: Variables;
  settings: Settings;
  targets: Target[];
  context: BitbucketContext;
  log: Logger;
  /** Asked only when a target has a protected delete or replace. */
  allowance: () => Promise<GuardAllowance>;
}

export function plansDir(vars: Variables, context: BitbucketContext): string {
  return path.resolve(context.cloneDir, vars.PLANS_DIR);
}

export async function sha256File(file: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(file))
    .digest("hex");
}

/** The run of one target: its folders, its module, its credentials' environment. */
export async function targetRun(
  target: Target,
  input: Pick<PlanningInput, "vars" | "context">,
  moduleBase: string,
  env: Record<string, string>,
): Promise<TargetRun> {
  const moduleDir = path.resolve(moduleBase, target.directory);
  const isDir = await stat(moduleDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir)
    throw new InputError(
      `target ${target.name}: directory ${target.directory} does not exist (looked in ${moduleDir})`,
      {
        code: "TARGET_DIRECTORY",
        suggestion: "Directories in the targets file are relative to the file's folder.",
      },
    );
  const planDir = path.join(plansDir(input.vars, input.context), target.name);
  await mkdir(planDir, { recursive: true });
  return {
    target,
    binary: input.vars.BINARY,
    moduleDir,
    dataDir: path.join(input.context.pipeStorageDir, PIPE_NAME, "work", target.name, "tf-data"),
    planFile: path.join(planDir, "plan.tfplan"),
    planJsonFile: path.join(planDir, "plan.json"),
    env,
    timeoutMs: input.vars.PLAN_TIMEOUT,
  };
}

/** Credentials in a folder of the pipe's own storage, removed when `work` ends. */
export async function withCredentials<T>(
  target: Target,
  input: Pick<PlanningInput, "vars" | "context">,
  log: Logger,
  work: (env: Record<string, string>, method: "oidc" | "static" | "none") => Promise<T>,
): Promise<T> {
  const dir = path.join(input.context.pipeStorageDir, PIPE_NAME, "work", target.name, "auth");
  await mkdir(dir, { recursive: true });
  try {
    const credentials = await targetCredentials(target, input.vars, input.context, dir, log);
    log.info(`auth: ${credentials.description}`);
    return await work(credentials.env, credentials.method);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function targetLabel(target: Target): string {
  return `${target.name} (${target.provider}/${target.environment}, ${target.directory}, workspace ${target.workspace})`;
}

async function planOne(target: Target, input: PlanningInput, log: Logger): Promise<TargetOutcome> {
  const started = Date.now();
  return withCredentials(target, input, log, async (env, method) => {
    const run = await targetRun(target, input, input.settings.baseDir, env);
    try {
      await planTarget(run, log);
    } catch (error) {
      if (error instanceof InputError || !(error instanceof PipeError)) throw error;
      log.error(errorMessage(error));
      return {
        target,
        status: "failed",
        error: error.message.split("\n")[0],
        auth: method,
        durationMs: Date.now() - started,
      };
    }
    const analysis = analyzePlan(await readPlanFile(run.planJsonFile));
    const destructive = protectedChanges(analysis, target.environment, input.settings.guard);
    const guard = guardDecision(destructive, destructive.length > 0 ? await input.allowance() : noAllowance);
    const validation =
      input.vars.VALIDATION === "off"
        ? []
        : validatePlan(analysis, target.provider, input.settings.validation);
    log.info(`plan: ${countsText(analysis.counts)}`);
    for (const change of analysis.replaced)
      log.info(
        `replace ${change.address}${change.actionReason ? ` (${change.actionReason})` : ""}${change.replacePaths?.length ? `: ${change.replacePaths.join(", ")}` : ""}`,
      );
    if (guard.status !== "none") log.warn(`guard: ${guard.reason}`);
    for (const problem of validation) log.warn(`${problem.check}: ${problem.address}: ${problem.message}`);
    const planDir = plansDir(input.vars, input.context);
    return {
      target,
      status: "planned",
      auth: method,
      counts: analysis.counts,
      byProvider: analysis.byProvider,
      hasChanges: analysis.hasChanges,
      replaced: analysis.replaced.map((c) => ({
        address: c.address,
        ...(c.actionReason ? { reason: c.actionReason } : {}),
        ...(c.replacePaths ? { paths: c.replacePaths } : {}),
      })),
      deleted: analysis.changes.filter((c) => c.action === "delete").map((c) => c.address),
      guard: { status: guard.status, reason: guard.reason, changes: guard.destructive },
      validation,
      planFile: path.relative(planDir, run.planFile),
      planJsonFile: path.relative(planDir, run.planJsonFile),
      planSha256: await sha256File(run.planFile),
      durationMs: Date.now() - started,
    };
  });
}

const noAllowance: GuardAllowance = { allowDestroy: false, approvalsNeeded: 0, approvals: undefined };

export async function planTargets(input: PlanningInput): Promise<TargetOutcome[]> {
  const settled = await mapBounded(input.targets, input.vars.PARALLELISM, (target) =>
    inGroup(input.log, targetLabel(target), (own) => planOne(target, input, own)),
  );
  const outcomes: TargetOutcome[] = [];
  for (const result of settled) {
    if (result.status === "rejected") throw result.reason;
    outcomes.push(result.value);
  }
  return outcomes;
}
