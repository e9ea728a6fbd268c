/**
 * Where the decision goes: files (reports folder, test-results/, shared storage for later pipes),
 * then, best effort, Bitbucket (Code Insights report with annotations, one sticky PR comment). A
 * failed Bitbucket call is one warning: it never changes the gate's result.
 */
import path from "node:path";
import {
  commitFromContext,
  publish,
  publishCodeInsights,
  pullRequestFromContext,
  upsertStickyComment,
} from "@pipes/bitbucket";
import { type BitbucketContext, type Env, type Logger, PipeOutputs } from "@pipes/core";
import { bitbucketClient } from "./bitbucket.ts";
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
  await publishToBitbucket(input);
}

async function publishToBitbucket({ run, vars, context, env, log }: PublishInput): Promise<void> {
  if (!vars.CODE_INSIGHTS && !vars.PR_COMMENT) return;
  if (!context.workspace || !context.repoSlug || !context.commit) {
    log.info(
      "Bitbucket reports skipped: not in a Pipelines step (BITBUCKET_WORKSPACE, BITBUCKET_REPO_SLUG, BITBUCKET_COMMIT unset)",
    );
    return;
  }
  const client = bitbucketClient(vars, env, log);
  if (vars.CODE_INSIGHTS) {
    const published = await publish(log, "Code Insights report", () =>
      publishCodeInsights(
        client,
        commitFromContext(context),
        renderInsightsReport(run),
        renderInsightsAnnotations(run),
      ),
    );
    if (published.ok)
      log.info(
        `Code Insights: report "${published.value.reportId}" with ${published.value.annotationsSent} annotations`,
      );
  }
  const pr = pullRequestFromContext(context);
  if (vars.PR_COMMENT && pr) {
    const comment = await publish(log, "PR comment", () =>
      upsertStickyComment(client, pr, PIPE_NAME, renderMarkdown(run, "bitbucket", 20)),
    );
    if (comment.ok) log.info(`PR #${pr.prId} comment ${comment.value.action}`);
  }
}
