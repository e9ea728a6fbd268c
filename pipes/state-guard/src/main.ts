/**
 * state-guard: encrypted, versioned, verified Terraform/OpenTofu state backups with lineage and
 * serial guards; retention, restore, integrity audit, lock and drift checks.
 * Exit codes: 0 PASS or WARN, 1 FAIL (a guard refused: lineage changed, serial rollback, tampered or
 * unreadable backup, unconfirmed restore, stale lock with LOCK_STALE_ACTION=fail, drift with
 * DRIFT_ACTION=fail), 2 invalid variables or files, 3 terraform/tofu or a store could not run, 4 a bug.
 */
import { runPipe } from "@pipes/core";
import pkg from "../package.json" with { type: "json" };
import { runMode } from "./modes.ts";
import { publishResult } from "./publish.ts";
import { variables } from "./variables.ts";

await runPipe({
  name: "state-guard",
  version: pkg.version,
  variables,
  async run({ variables: vars, context, log, env }) {
    const result = await runMode({ vars, context, env, log, now: new Date() });
    for (const reason of result.reasons) {
      const line = `${reason.verdict}: ${reason.message}`;
      if (reason.verdict === "FAIL") log.error(line);
      else if (reason.verdict === "WARN") log.warn(line);
      else log.info(line);
    }
    await publishResult({ result, vars, context, env, log, version: pkg.version });
    return {
      verdict: result.verdict,
      summary: `${result.verdict} (${vars.MODE}): ${result.reasons[0]?.message ?? "nothing to do"}`,
    };
  },
});
