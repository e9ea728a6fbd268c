/**
 * Where the decision goes: files in the clone (reports folder, test-results/, shared storage for
 * later pipes) and, best effort, Bitbucket (Code Insights report with annotations, one sticky PR
 * comment). A failed Bitbucket call is one warning: it never hides or changes the gate's result.
 */
import path from "node:path";
import { publishToBitbucket } from "@pipes/bitbucket";
import { type BitbucketContext, type Env, type Logger, PipeOutputs, writeFileAtomic } from "@pipes/core";
import { buildBaseline, serializeBaseline } from "./baseline.ts";
import type { GateResult } from "./gate.ts";
import { renderInsightsAnnotations, renderInsightsReport } from "./report/insights.ts";
import { renderJUnit } from "./report/junit.ts";
import { renderPullRequestComment, renderSummary } from "./report/markdown.ts";
import { renderSarifChunks } from "./report/sarif.ts";
import { gateResultSchema, type RunFacts, resultDocument } from "./result.ts";
import type { Variables } from "./variables.ts";

export const PIPE_NAME = "security-gate";

export interface PublishInput {
  result: GateResult;
  vars: Variables;
  context: BitbucketContext;
  env: Env;
  log: Logger;
  facts: RunFacts;
  baselineUsed: boolean;
}

/** Every file first (each written atomically), then Bitbucket. */
export async function publishResult(input: PublishInput): Promise<void> {
  const { result, vars, context, log, facts } = input;
  const outputs = new PipeOutputs(PIPE_NAME, context, vars.REPORTS_DIR);
  // The files are written side by side: while one waits for the disk (a write, its fsync), the
  // next one's text is made. The SARIF and result.json, the two large ones, are made chunk by chunk.
  await Promise.all([
    outputs.writeReport(
      "security-gate.sarif",
      renderSarifChunks(result, { baselineUsed: input.baselineUsed }),
    ),
    outputs.writeReport("summary.md", renderSummary(result)),
    outputs.writeJUnit(renderJUnit(result)),
    // resultDocument() is typed by the schema, and test/report/result.test.ts checks what it builds
    // against it: a run-time check would copy 100,000 findings once more.
    outputs.writeResult(gateResultSchema, resultDocument(result, facts), { checked: true }),
  ]);
  if (vars.WRITE_BASELINE) {
    const file = path.resolve(context.cloneDir, vars.WRITE_BASELINE);
    const active = result.findings.filter((f) => f.status !== "suppressed");
    await writeFileAtomic(
      file,
      serializeBaseline(
        buildBaseline(active, { created: facts.now, ...(facts.commit ? { commit: facts.commit } : {}) }),
      ),
    );
    log.info(`baseline of ${active.length} findings written to ${vars.WRITE_BASELINE}`);
  }
  log.info(
    `reports: ${path.relative(context.cloneDir, outputs.reportsDir) || "."}/ (SARIF, summary.md); JUnit: test-results/${PIPE_NAME}.xml; result for later pipes: ${path.relative(context.cloneDir, outputs.sharedDir)}/result.json`,
  );
  await publishToBitbucket({
    pipe: PIPE_NAME,
    vars,
    context,
    env: input.env,
    log,
    report: () => renderInsightsReport(result),
    annotations: () => renderInsightsAnnotations(result),
    comment: () => renderPullRequestComment(result),
  });
}
