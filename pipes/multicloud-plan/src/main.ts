/**
 * multicloud-plan: branch → targets (AWS, Azure, GCP) → terraform/tofu plans over OIDC, explained.
 * Exit codes: 0 PASS or WARN, 1 FAIL (blocked destructive change, enforced validation, a stale plan),
 * 2 invalid variables or files, 3 terraform/tofu failed on a target, 4 a bug.
 */
import { ExitCode, runPipe } from "@pipes/core";
import { addCounts, emptyCounts, selectTargets } from "@pipes/terraform";
import pkg from "../package.json" with { type: "json" };
import { applyPlans, readManifest } from "./apply.ts";
import { allowanceSource } from "./approvals.ts";
import { planTargets } from "./planning.ts";
import { publishResult } from "./publish.ts";
import type { RunResult } from "./result.ts";
import { loadSettings } from "./settings.ts";
import { variables } from "./variables.ts";
import { runVerdict } from "./verdict.ts";

await runPipe({
  name: "multicloud-plan",
  version: pkg.version,
  variables,
  async run({ variables: vars, context, log, env }) {
    const allowance = allowanceSource(vars, context, env, log);
    let outcomes: RunResult["targets"];
    let rule: string;
    let source: string;
    if (vars.MODE === "apply") {
      const manifest = await readManifest(vars, context);
      ({ rule, source } = manifest);
      outcomes = await applyPlans({ vars, context, log, manifest, allowance });
    } else {
      const settings = await loadSettings(vars, context);
      const selection = selectTargets(
        settings.targets,
        { branch: context.branch, tag: context.tag, prDestinationBranch: context.prDestinationBranch },
        { source: settings.source, ...(vars.TARGETS ? { only: vars.TARGETS } : {}) },
      );
      ({ rule, source } = selection);
      log.info(
        `targets (${selection.rule}, from ${selection.source}): ${selection.targets.map((t) => t.name).join(", ")}`,
      );
      outcomes = await planTargets({ vars, settings, targets: selection.targets, context, log, allowance });
    }
    const verdict = runVerdict(outcomes, vars.VALIDATION);
    const result: RunResult = {
      pipe: "multicloud-plan",
      version: pkg.version,
      mode: vars.MODE,
      binary: vars.BINARY,
      verdict: verdict.verdict,
      summary: verdict.summary,
      ...(context.commit ? { commit: context.commit } : {}),
      ...(context.branch ? { branch: context.branch } : {}),
      ...(context.prId === undefined ? {} : { pullRequest: context.prId }),
      rule,
      source,
      createdAt: new Date().toISOString(),
      totals: outcomes.reduce((sum, o) => (o.counts ? addCounts(sum, o.counts) : sum), emptyCounts()),
      targets: outcomes,
    };
    for (const reason of verdict.reasons) log.info(`${verdict.verdict}: ${reason}`);
    await publishResult({ result, vars, context, env, log });
    return {
      verdict: verdict.verdict,
      summary: verdict.summary,
      ...(verdict.toolFailed ? { exitCode: ExitCode.toolFailure } : {}),
    };
  },
});
