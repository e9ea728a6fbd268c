/**
 * A pull request's participants: who reviews it and who approved it.
 * https://developer.atlassian.com/cloud/bitbucket/rest/api-group-pullrequests/
 */
import { z } from "zod";
import type { BitbucketClient } from "./client.ts";
import { type PullRequestRef, repositoryPath } from "./repository.ts";

export interface ParticipantUser {
  uuid: string | undefined;
  accountId: string | undefined;
  displayName: string | undefined;
  nickname: string | undefined;
}

export interface PullRequestParticipant {
  role: "PARTICIPANT" | "REVIEWER";
  approved: boolean;
  /** Null when the participant has neither approved nor requested changes. */
  state: "approved" | "changes_requested" | null;
  user: ParticipantUser;
  participatedOn: string | undefined;
}

const participant = z.object({
  role: z.enum(["PARTICIPANT", "REVIEWER"]),
  approved: z.boolean().default(false),
  state: z.enum(["approved", "changes_requested"]).nullable().default(null),
  participated_on: z.string().nullish(),
  user: z
    .object({
      uuid: z.string().optional(),
      account_id: z.string().optional(),
      display_name: z.string().optional(),
      nickname: z.string().optional(),
    })
    .default({}),
});

const pullRequest = z.object({ participants: z.array(participant).default([]) });

export async function pullRequestParticipants(
  client: BitbucketClient,
  pr: PullRequestRef,
): Promise<PullRequestParticipant[]> {
  const { participants } = await client.call({
    method: "GET",
    path: repositoryPath(pr, "pullrequests", pr.prId),
    response: pullRequest,
  });
  return participants.map((p) => ({
    role: p.role,
    approved: p.approved,
    state: p.state,
    participatedOn: p.participated_on ?? undefined,
    user: {
      uuid: p.user.uuid,
      accountId: p.user.account_id,
      displayName: p.user.display_name,
      nickname: p.user.nickname,
    },
  }));
}
