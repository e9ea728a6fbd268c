/**
 * The destructive-change guard's allowance: ALLOW_DESTROY, or enough approvals on the PR (asked of
 * Bitbucket once, only when a protected delete or replace needs it). A failed call is one warning
 * and counts as no approvals.
 */
import { pipeBitbucketClient, pullRequestFromContext, pullRequestParticipants } from "@pipes/bitbucket";
import { type BitbucketContext, type Env, errorMessage, type Logger } from "@pipes/core";
import type { GuardAllowance } from "./guard.ts";
import type { Variables } from "./variables.ts";

export function allowanceSource(
  vars: Variables,
  context: BitbucketContext,
  env: Env,
  log: Logger,
): () => Promise<GuardAllowance> {
  let asked: Promise<GuardAllowance> | undefined;
  return () => {
    asked ??= (async () => {
      const base = { allowDestroy: vars.ALLOW_DESTROY, approvalsNeeded: vars.DESTROY_APPROVALS };
      const pr = pullRequestFromContext(context);
      if (vars.ALLOW_DESTROY || vars.DESTROY_APPROVALS === 0 || !pr) return { ...base, approvals: undefined };
      try {
        const participants = await pullRequestParticipants(pipeBitbucketClient(vars, env, log), pr);
        return { ...base, approvals: participants.filter((p) => p.approved).length };
      } catch (error) {
        log.warn(`could not read the approvals of PR #${pr.prId}: ${errorMessage(error)}`);
        return { ...base, approvals: undefined };
      }
    })();
    return asked;
  };
}
