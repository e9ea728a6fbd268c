/**
 * Where the result goes: files first (summary.md, JUnit, result.json in shared storage), each
 * atomically, then, best effort, Bitbucket (Code Insights report, optional sticky PR comment).
 * A failed Bitbucket call is a warning: it never changes the verdict.
 */
import path from "node:path";
import { publishToBitbucket } from "@pipes/bitbucket";
import { type BitbucketContext, type Env, type Logger, PipeOutputs } from "@pipes/core";
import { renderInsightsReport } from "./report/insights.ts";
import { renderJUnit } from "./report/junit.ts";
import { renderSummary } from "./report/markdown.ts";
import { type GuardResult, guardResultSchema, resultDocument } from "./result.ts";
import type { Variables } from "./variables.ts";

export const PIPE_NAME = "state-guard";

export interface PublishInput {
  result: GuardResult;
  vars: Variables;
  context: BitbucketContext;
  env: Env;
  log: Logger;
  version: string;
}

export async function publishResult({
  result,
  vars,
  context,
  env,
  log,
  version,
}: PublishInput): Promise<void> {
  const outputs = new PipeOutputs(PIPE_NAME, context, vars.REPORTS_DIR);
  const summary = renderSummary(result);
  await outputs.writeReport("summary.md", summary);
  await outputs.writeJUnit(renderJUnit(result));
  await outputs.writeResult(guardResultSchema, resultDocument(result, version));
  log.info(
    `report: ${path.relative(context.cloneDir, outputs.reportsDir) || "."}/summary.md; JUnit: test-results/${PIPE_NAME}.xml; result for later pipes: ${path.relative(context.cloneDir, outputs.sharedDir)}/result.json`,
  );
  await publishToBitbucket({
    pipe: PIPE_NAME,
    vars,
    context,
    env,
    log,
    report: () => renderInsightsReport(result),
    comment: () => summary,
  });
}
