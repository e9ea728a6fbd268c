/**
 * Where the decision goes: files (reports folder, test-results/, shared storage for later pipes),
 * then, best effort, Bitbucket (Code Insights report with annotations, one sticky PR comment). A
 * failed Bitbucket call is one warning: it never changes the gate's result.
 */
import path from "node:path";
import { publishToBitbucket } from "@pipes/bitbucket";
import { type BitbucketContext, type Env, type Logger, PipeOutputs } from "@pipes/core";
import type { GateRun } from "./gate.ts";
import { renderInsightsAnnotations, renderInsightsReport } from "./report/insights.ts";
import { renderJUnit } from "./report/junit.ts";
import { renderMarkdown } from "./report/markdown.ts";
import { renderSarif } from "./report/sarif.ts";
import { resultDocument, resultSchema } from "./result.ts";
import type { Variables } from "./variables.ts";

export const PIPE_NAME = "policy-gate";

export interface PublishInput {
  run: GateRun;
  vars: Variables;
  context: BitbucketContext;
  env: Env;
  log: Logger;
  facts: { version: string; now: Date; commit: string | undefined; enforced: boolean };
}

export async function publishResult(input: PublishInput): Promise<void> {
  const { run, vars, context, log, facts } = input;
  const outputs = new PipeOutputs(PIPE_NAME, context, vars.REPORTS_DIR);
  await outputs.writeReport("policy-gate.sarif", renderSarif(run, facts.version));
  await outputs.writeReport("summary.md", renderMarkdown(run, "github"));
  await outputs.writeJUnit(renderJUnit(run));
  await outputs.writeResult(resultSchema, resultDocument(run, facts));
  log.info(
    `reports: ${path.relative(context.cloneDir, outputs.reportsDir) || "."}/ (policy-gate.sarif, summary.md); JUnit: test-results/${PIPE_NAME}.xml; result for later pipes: ${path.relative(context.cloneDir, outputs.sharedDir)}/result.json`,
  );
  await publishToBitbucket({
    pipe: PIPE_NAME,
    vars,
    context,
    env: input.env,
    log,
    report: () => renderInsightsReport(run),
    annotations: () => renderInsightsAnnotations(run),
    comment: () => renderMarkdown(run, "bitbucket", 20),
  });
}
