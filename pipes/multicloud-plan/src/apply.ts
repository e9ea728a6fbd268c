/**
 * The apply mode: exactly the plans a `plan` run saved in PLANS_DIR, after checking they are still
 * the ones planned: same commit, same plan file (SHA-256 of the manifest), same binary; Terraform
 * itself refuses a plan whose state has moved on (PLAN_STALE). The guard is decided again with this
 * run's ALLOW_DESTROY and approvals.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { type BitbucketContext, InputError, type Logger, PipeError } from "@pipes/core";
import { applySavedPlan, inGroup, type Target } from "@pipes/terraform";
import { type GuardAllowance, guardDecision } from "./guard.ts";
import { plansDir, sha256File, targetRun, withCredentials } from "./planning.ts";
import { type RunResult, runResultSchema, type TargetOutcome } from "./result.ts";
import type { Variables } from "./variables.ts";

export const MANIFEST = "plans.json";

export async function readManifest(vars: Variables, context: BitbucketContext): Promise<RunResult> {
  const file = path.join(plansDir(vars, context), MANIFEST);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new InputError(
      `MODE=apply found no saved plans: ${path.join(vars.PLANS_DIR, MANIFEST)} does not exist`,
      {
        code: "NO_SAVED_PLAN",
        suggestion:
          "Run the pipe with MODE=plan in an earlier step and declare PLANS_DIR as that step's artifacts.",
      },
    );
  }
  const parsed = runResultSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new InputError(`${path.join(vars.PLANS_DIR, MANIFEST)} is not a plan manifest of this pipe`);
  return parsed.data;
}

function stale(target: Target, why: string): PipeError {
  return new PipeError(`the saved plan of target ${target.name} is stale: ${why}`, {
    code: "PLAN_STALE",
    suggestion: "Run the pipe with MODE=plan again and apply the new plan.",
  });
}

export interface ApplyInput {
  vars: Variables;
  context: BitbucketContext;
  log: Logger;
  manifest: RunResult;
  allowance: () => Promise<GuardAllowance>;
}

/** Applies the chosen targets one after another (an apply is not to be raced); stops at the first refusal. */
export async function applyPlans(input: ApplyInput): Promise<TargetOutcome[]> {
  const { vars, context, log, manifest } = input;
  if (manifest.binary !== vars.BINARY)
    throw new InputError(`the plans were made with ${manifest.binary}; BINARY is ${vars.BINARY}`);
  const chosen = manifest.targets.filter(
    (t) => !vars.TARGETS?.length || vars.TARGETS.includes(t.target.name),
  );
  if (chosen.length === 0)
    throw new InputError(
      `TARGETS (${vars.TARGETS?.join(", ")}) names none of the saved plans (${manifest.targets.map((t) => t.target.name).join(", ")})`,
    );
  const outcomes: TargetOutcome[] = [];
  const dir = plansDir(vars, context);
  for (const saved of chosen) {
    const target = saved.target as Target;
    if (saved.status !== "planned" || !saved.planFile)
      throw new InputError(`target ${target.name} has no saved plan (its plan ${saved.status})`);
    if (manifest.commit && context.commit && manifest.commit !== context.commit)
      throw stale(
        target,
        `it was made at commit ${manifest.commit.slice(0, 12)}, this run is at ${context.commit.slice(0, 12)}`,
      );
    const planFile = path.join(dir, saved.planFile);
    const sha = await sha256File(planFile).catch(() => undefined);
    if (sha !== saved.planSha256)
      throw stale(target, `${path.join(vars.PLANS_DIR, saved.planFile)} is not the file planned`);
    if (saved.guard && saved.guard.changes.length > 0) {
      const guard = guardDecision(saved.guard.changes, await input.allowance());
      if (guard.status === "blocked")
        throw new PipeError(`target ${target.name}: ${guard.reason}`, { code: "DESTROY_BLOCKED" });
    }
    if (!saved.hasChanges) {
      log.info(`${target.name}: the plan changes nothing; not applied`);
      outcomes.push(saved);
      continue;
    }
    await inGroup(log, `apply ${target.name}`, (own) =>
      withCredentials(target, input, own, async (env) => {
        const moduleBase = path.resolve(context.cloneDir, path.dirname(vars.CONFIG_FILE));
        const run = await targetRun(
          target,
          input,
          manifest.source === "the default map" ? context.cloneDir : moduleBase,
          env,
        );
        await applySavedPlan({ ...run, planFile }, own);
      }),
    );
    outcomes.push({ ...saved, status: "applied" });
  }
  return outcomes;
}
