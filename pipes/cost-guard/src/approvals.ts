/**
 * Who may say yes to a change that a budget sends for approval, and whether enough of them did:
 * approvals on the pull request (Bitbucket's participants with `approved: true`), or the name given
 * in `APPROVED_BY` on a manual step. Approvers are Bitbucket nicknames, account ids or {uuids};
 * `group:<name>` stands for the members listed under `approvals.groups`. Pure.
 */
import type { PullRequestParticipant } from "@pipes/bitbucket";
import type { ApprovalSettings } from "./config.ts";

export interface ApprovalEvidence {
  /** Undefined when not on a PR, or the participants could not be read. */
  participants: readonly PullRequestParticipant[] | undefined;
  /** `APPROVED_BY` of a manual step. */
  manualApprover: string | undefined;
}

export interface ApprovalStatus {
  satisfied: boolean;
  required: number;
  /** The allowed approvers who approved, as named in the config (or their Bitbucket name). */
  approvedBy: string[];
  /** Approvals that do not count, with why. */
  ignored: string[];
  /** Who may approve, for the report: config entries with groups expanded. */
  allowed: string[];
  /** How to approve, for the report. */
  how: string[];
}

const norm = (s: string) => s.trim().toLowerCase();

/** The approver entries with `group:` entries replaced by their members. */
export function allowedApprovers(settings: ApprovalSettings): string[] {
  const names = settings.approvers.flatMap((entry) =>
    entry.startsWith("group:") ? (settings.groups[entry.slice("group:".length)] ?? []) : [entry],
  );
  return [...new Set(names)];
}

function identities(p: PullRequestParticipant): string[] {
  return [p.user.nickname, p.user.accountId, p.user.uuid, p.user.displayName].filter(
    (s): s is string => s !== undefined && s !== "",
  );
}

function allowedEntryFor(ids: readonly string[], allowed: readonly string[]): string | undefined {
  const set = new Set(ids.map(norm));
  return allowed.find((entry) => set.has(norm(entry)));
}

export function approvalStatus(settings: ApprovalSettings, evidence: ApprovalEvidence): ApprovalStatus {
  const allowed = allowedApprovers(settings);
  const anyone = settings.approvers.length === 0;
  const approvedBy = new Set<string>();
  const ignored: string[] = [];
  for (const participant of evidence.participants ?? []) {
    if (!participant.approved) continue;
    const ids = identities(participant);
    const name = participant.user.nickname ?? participant.user.displayName ?? ids[0] ?? "unknown user";
    const entry = anyone ? name : allowedEntryFor(ids, allowed);
    if (entry) approvedBy.add(entry);
    else ignored.push(`${name} approved the PR but is not an allowed approver`);
  }
  const manual = evidence.manualApprover?.trim();
  if (manual) {
    const entry = anyone ? manual : allowedEntryFor([manual], allowed);
    if (entry) approvedBy.add(entry);
    else ignored.push(`APPROVED_BY names ${manual}, who is not an allowed approver`);
  }
  const groups = settings.approvers.filter((a) => a.startsWith("group:"));
  const who = anyone
    ? "anyone with write access"
    : `${allowed.join(", ")}${groups.length ? ` (${groups.join(", ")} from .cost-guard.yml)` : ""}`;
  return {
    satisfied: approvedBy.size >= settings.required,
    required: settings.required,
    approvedBy: [...approvedBy].sort(),
    ignored,
    allowed: anyone ? [] : allowed,
    how: [
      `approve the pull request in Bitbucket (${settings.required} approval${settings.required === 1 ? "" : "s"} needed from ${who}), then re-run this step`,
      "or run the manual step with the variable APPROVED_BY set to the approver's Bitbucket nickname",
    ],
  };
}
