/**
 * Where a run's result goes: the manifest and plans for the apply step (PLANS_DIR), the result,
 * plans and plan JSON for later pipes of the step (shared storage), the human summary, JUnit, and,
 * best effort, Bitbucket (Code Insights report, one sticky PR comment).
 */
import { cp } from "node:fs/promises";
import path from "node:path";
import { publishToBitbucket } from "@pipes/bitbucket";
import { type BitbucketContext, type Env, type Logger, PipeOutputs, writeJsonAtomic } from "@pipes/core";
import { MANIFEST } from "./apply.ts";
import { PIPE_NAME, plansDir } from "./planning.ts";
import { renderInsightsAnnotations, renderInsightsReport } from "./report/insights.ts";
import { renderJUnit } from "./report/junit.ts";
import { renderMarkdown } from "./report/markdown.ts";
import { type RunResult, runResultSchema } from "./result.ts";
import type { Variables } from "./variables.ts";

export interface PublishInput {
  result: RunResult;
  vars: Variables;
  context: BitbucketContext;
  env: Env;
  log: Logger;
}

export async function publishResult(input: PublishInput): Promise<void> {
  const { result, vars, context, log } = input;
  const outputs = new PipeOutputs(PIPE_NAME, context, vars.REPORTS_DIR);
  if (result.mode === "plan") {
    // Plans first, the documents naming them last: a reader never finds a manifest without its plans.
    for (const outcome of result.targets)
      if (outcome.status === "planned")
        await cp(
          path.join(plansDir(vars, context), outcome.target.name),
          path.join(outputs.sharedDir, outcome.target.name),
          {
            recursive: true,
          },
        );
    await writeJsonAtomic(path.join(plansDir(vars, context), MANIFEST), runResultSchema.parse(result));
  }
  await outputs.writeResult(runResultSchema, result);
  await outputs.writeReport("summary.md", renderMarkdown(result, "github"));
  await outputs.writeJUnit(renderJUnit(result, vars.VALIDATION));
  log.info(
    `reports: ${path.relative(context.cloneDir, outputs.reportsDir)}/summary.md; JUnit: test-results/${PIPE_NAME}.xml; plans: ${vars.PLANS_DIR}/ (manifest ${MANIFEST}); for later pipes: ${path.relative(context.cloneDir, outputs.sharedDir) || outputs.sharedDir}/result.json`,
  );
  await publishToBitbucket({
    pipe: PIPE_NAME,
    vars,
    context,
    env: input.env,
    log,
    report: () => renderInsightsReport(result),
    annotations: () => renderInsightsAnnotations(result),
    comment: () => renderMarkdown(result, "bitbucket"),
  });
}
