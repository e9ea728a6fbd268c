/**
 * security-gate: one zero-trust decision over Checkov, Trivy, Semgrep and gitleaks.
 * Exit codes: 0 PASS or WARN (or FAIL with ENFORCE=false), 1 FAIL, 2 invalid variables or files,
 * 3 a tool failed in a way the gate cannot judge, 4 a bug.
 */
import { pipeBitbucketClient } from "@pipes/bitbucket";
import { runPipe } from "@pipes/core";
import pkg from "../package.json" with { type: "json" };
import { previousBaseline } from "./baseline-source.ts";
import { decide } from "./decision.ts";
import { gatherEvidence } from "./evidence.ts";
import { publishResult } from "./publish.ts";
import { gateSettings } from "./settings.ts";
import { variables } from "./variables.ts";

await runPipe({
  name: "security-gate",
  version: pkg.version,
  variables,
  async run({ variables: vars, context, log, env }) {
    const now = new Date();
    const config = await gateSettings(vars, context);
    const evidence = await gatherEvidence(vars, config, context, log);
    const baseline = config.newOnly
      ? await previousBaseline(config, context, () => pipeBitbucketClient(vars, env, log), log, now)
      : undefined;
    const decided = decide({ ...evidence, config, ...(baseline ? { baseline } : {}) }, now);
    const result = { ...decided, warnings: [...evidence.warnings, ...decided.warnings] };
    for (const warning of result.warnings) log.warn(warning);
    for (const reason of result.reasons) log.info(`${reason.verdict}: ${reason.message}`);
    await publishResult({
      result,
      vars,
      context,
      env,
      log,
      baselineUsed: baseline !== undefined,
      facts: {
        version: pkg.version,
        now,
        commit: context.commit,
        branch: context.branch,
        pullRequest: context.prId,
        enforced: vars.ENFORCE || result.verdict !== "FAIL",
      },
    });
    const summary = `${result.verdict}: ${result.reasons[0]?.message ?? "no findings over the thresholds"}`;
    if (result.verdict === "FAIL" && !vars.ENFORCE) {
      log.warn(
        "ENFORCE=false: the gate FAILED, but the step is allowed to continue. Fix the findings above.",
      );
      return { verdict: "WARN", summary: `${summary} (not enforced)`, exitCode: 0 };
    }
    return { verdict: result.verdict, summary };
  },
});
