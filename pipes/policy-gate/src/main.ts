/**
 * policy-gate: OPA/Rego policy as code over Terraform plans, configuration, Infracost and
 * Kubernetes manifests, with enforcement levels, exceptions and compliance coverage.
 * Exit codes: 0 PASS or WARN (or FAIL with ENFORCE=false), 1 FAIL or a failing POLICY_TEST,
 * 2 invalid variables, inputs or policies, 3 OPA missing or crashed, 4 a bug.
 */
import { runPipe } from "@pipes/core";
import pkg from "../package.json" with { type: "json" };
import { runGate } from "./gate.ts";
import { publishResult } from "./publish.ts";
import { variables } from "./variables.ts";

await runPipe({
  name: "policy-gate",
  version: pkg.version,
  variables,
  async run({ variables: vars, context, log, env }) {
    const now = new Date();
    const run = await runGate(vars, context, log, now);
    const { decision } = run;
    for (const warning of decision.warnings) log.warn(warning);
    for (const reason of decision.reasons) log.info(`${reason.verdict}: ${reason.message}`);
    const enforced = vars.ENFORCE || decision.verdict !== "FAIL";
    await publishResult({
      run,
      vars,
      context,
      env,
      log,
      facts: { version: pkg.version, now, commit: context.commit, enforced },
    });
    const summary = `${decision.verdict}: ${decision.reasons[0]?.message ?? `no violations of ${run.policies.length} policies`}`;
    if (decision.verdict === "FAIL" && !vars.ENFORCE) {
      log.warn(
        "ENFORCE=false: the policy gate FAILED, but the step is allowed to continue. Fix the violations above.",
      );
      return { verdict: "WARN", summary: `${summary} (not enforced)`, exitCode: 0 };
    }
    return { verdict: decision.verdict, summary };
  },
});
