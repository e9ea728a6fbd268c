/**
 * One run: read the inputs, build the cost table, judge budgets and anomalies, ask Bitbucket for
 * approvals only when one is required, and record this run in the cost history.
 */

import path from "node:path";
import { pipeBitbucketClient, pullRequestFromContext, pullRequestParticipants } from "@pipes/bitbucket";
import { type BitbucketContext, type Env, errorMessage, type Logger } from "@pipes/core";
import { openStore } from "@pipes/storage";
import { type AnomalyResult, type CostRecord, detectAnomaly } from "./anomaly.ts";
import { approvalStatus } from "./approvals.ts";
import { budgetVerdicts } from "./budgets.ts";
import { loadConfig } from "./config.ts";
import { costTable, projectCosts, sumLines, tenantCosts } from "./costs.ts";
import { type CostResult, decide, requiredAction } from "./decision.ts";
import { appendHistory, type HistoryStore, readHistory } from "./history.ts";
import { infracostReport } from "./infracost-run.ts";
import { readPlanTags } from "./plan-tags.ts";
import { suggestOptimisations } from "./suggestions.ts";
import type { Variables } from "./variables.ts";

export const HISTORY_PREFIX = "cost-guard/history";

export interface EvaluateInput {
  vars: Variables;
  context: BitbucketContext;
  env: Env;
  log: Logger;
  now: Date;
  /** Opens HISTORY_STORE; undefined when it is not set. */
  history: HistoryStore | undefined;
}

export async function evaluate({
  vars,
  context,
  env,
  log,
  now,
  history,
}: EvaluateInput): Promise<CostResult> {
  const config = await loadConfig(path.resolve(context.cloneDir, vars.CONFIG_FILE), vars.CONFIG_FILE);
  const report = await infracostReport(vars, context, log);
  const tags = await readPlanTags(vars.PLAN_FILES, context.cloneDir);
  if (vars.PLAN_FILES.length)
    log.info(`tags of ${tags.size} planned resources read from ${vars.PLAN_FILES.length} plan JSONs`);
  const lines = costTable({
    reports: [report],
    config,
    tags,
    environment: vars.ENVIRONMENT ?? context.deploymentEnvironment,
  });
  const projects = projectCosts(lines);
  const budgets = budgetVerdicts(config.budgets, lines, report.currency);
  const anomalies: AnomalyResult[] = [];
  if (history && config.anomaly.enabled) {
    for (const project of projects) {
      const records = await readHistory(
        history,
        HISTORY_PREFIX,
        project.project,
        config.anomaly.window,
        (w) => log.warn(w),
      );
      anomalies.push(
        detectAnomaly(project.project, project.current, records, config.anomaly, report.currency),
      );
    }
  } else log.info("anomaly detection off: HISTORY_STORE is not set");
  const action = requiredAction(budgets, anomalies, config);
  let approval: CostResult["approval"];
  if (action === "require-approval") {
    const pr = pullRequestFromContext(context);
    let participants: Awaited<ReturnType<typeof pullRequestParticipants>> | undefined;
    if (pr && context.workspace && context.repoSlug) {
      try {
        participants = await pullRequestParticipants(pipeBitbucketClient(vars, env, log), pr);
      } catch (error) {
        log.warn(
          `PR #${pr.prId} participants not read, so its approvals do not count: ${errorMessage(error)}`,
        );
      }
    }
    approval = approvalStatus(config.approvals, { participants, manualApprover: vars.APPROVED_BY });
  }
  const result = decide({
    currency: report.currency,
    total: sumLines(lines),
    projects,
    tenants: tenantCosts(lines),
    budgets,
    anomalies,
    suggestions: config.suggestions.enabled ? suggestOptimisations([report], lines) : [],
    config,
    approval,
  });
  if (history) {
    for (const project of projects) {
      const record: CostRecord = {
        project: project.project,
        time: now.toISOString(),
        monthlyCost: project.current.toFixed(),
        ...(context.commit ? { commit: context.commit } : {}),
        ...(context.branch ? { branch: context.branch } : {}),
        ...(context.buildNumber !== undefined ? { build: context.buildNumber } : {}),
      };
      await appendHistory(history, HISTORY_PREFIX, record);
    }
    log.info(`cost history: ${projects.length} records added to ${history.location}`);
  }
  return result;
}

/** HISTORY_STORE opened through @pipes/storage: a folder, file:// or s3:// (the store state-guard uses). */
export async function openHistory(
  vars: Variables,
  env: Env,
  cloneDir: string,
): Promise<HistoryStore | undefined> {
  if (!vars.HISTORY_STORE) return undefined;
  return openStore(vars.HISTORY_STORE, { env, cwd: cloneDir, variable: "HISTORY_STORE" });
}
