/**
 * Where the decision goes: files first (summary.md, chargeback CSV/JSON, JUnit, result.json in
 * shared storage), each atomically, then, best effort, Bitbucket (Code Insights report, one sticky
 * PR comment). A failed Bitbucket call is a warning: it never changes the verdict.
 */
import path from "node:path";
import { publishToBitbucket } from "@pipes/bitbucket";
import { type BitbucketContext, type Env, type Logger, PipeOutputs } from "@pipes/core";
import type { CostResult } from "./decision.ts";
import { chargebackEntries, renderChargebackCsv } from "./report/chargeback.ts";
import { renderInsightsReport } from "./report/insights.ts";
import { renderJUnit } from "./report/junit.ts";
import { renderPullRequestComment } from "./report/markdown.ts";
import { costResultSchema, resultDocument } from "./result.ts";
import type { Variables } from "./variables.ts";

export const PIPE_NAME = "cost-guard";

export interface PublishInput {
  result: CostResult;
  vars: Variables;
  context: BitbucketContext;
  env: Env;
  log: Logger;
  version: string;
}

export async function publishResult(input: PublishInput): Promise<void> {
  const { result, vars, context, log } = input;
  const outputs = new PipeOutputs(PIPE_NAME, context, vars.REPORTS_DIR);
  const comment = renderPullRequestComment(result);
  await outputs.writeReport("summary.md", comment);
  await outputs.writeReport("chargeback.csv", renderChargebackCsv(result.tenants, result.currency));
  await outputs.writeReport(
    "chargeback.json",
    `${JSON.stringify({ currency: result.currency, tenants: chargebackEntries(result.tenants) }, null, 2)}\n`,
  );
  await outputs.writeJUnit(renderJUnit(result));
  await outputs.writeResult(costResultSchema, resultDocument(result, input.version));
  log.info(
    `reports: ${path.relative(context.cloneDir, outputs.reportsDir) || "."}/ (summary.md, chargeback.csv, chargeback.json); JUnit: test-results/${PIPE_NAME}.xml; result for later pipes: ${path.relative(context.cloneDir, outputs.sharedDir)}/result.json`,
  );
  await publishToBitbucket({
    pipe: PIPE_NAME,
    vars,
    context,
    env: input.env,
    log,
    report: () => renderInsightsReport(result),
    comment: () => comment,
  });
}
