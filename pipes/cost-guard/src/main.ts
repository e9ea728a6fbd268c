/**
 * cost-guard: budgets, approvals, anomaly detection and per-tenant cost allocation over Infracost.
 * Exit codes: 0 PASS or WARN (or FAIL with ENFORCE=false), 1 FAIL (a budget broken with action
 * fail, or approval required and missing), 2 invalid variables or files, 3 Infracost could not run,
 * 4 a bug.
 */
import { runPipe } from "@pipes/core";
import pkg from "../package.json" with { type: "json" };
import { evaluate, openHistory } from "./evaluate.ts";
import { publishResult } from "./publish.ts";
import { variables } from "./variables.ts";

await runPipe({
  name: "cost-guard",
  version: pkg.version,
  variables,
  async run({ variables: vars, context, log, env }) {
    const history = await openHistory(vars, env, context.cloneDir);
    const result = await evaluate({ vars, context, env, log, now: new Date(), history });
    for (const reason of result.reasons) log.info(`${reason.verdict}: ${reason.message}`);
    await publishResult({ result, vars, context, env, log, version: pkg.version });
    const summary = `${result.verdict}: ${result.reasons[0]?.message ?? `monthly cost ${result.total.current.toFixed(2)} ${result.currency}, no budget broken`}`;
    if (result.verdict === "FAIL" && !vars.ENFORCE) {
      log.warn("ENFORCE=false: cost-guard FAILED, but the step is allowed to continue.");
      return { verdict: "WARN", summary: `${summary} (not enforced)`, exitCode: 0 };
    }
    return { verdict: result.verdict, summary };
  },
});
