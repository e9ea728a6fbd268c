/**
 * Build statuses on a commit: the ticks and crosses beside it and on its pull requests.
 * https://developer.atlassian.com/cloud/bitbucket/rest/api-group-commit-statuses/
 */
import { z } from "zod";
import type { BitbucketClient } from "./client.ts";
import { type CommitRef, repositoryPath } from "./repository.ts";

export const COMMIT_STATUS_STATES = ["SUCCESSFUL", "FAILED", "INPROGRESS", "STOPPED"] as const;
export type CommitStatusState = (typeof COMMIT_STATUS_STATES)[number];

export interface CommitStatus {
  /** Identifies the status per vendor: a second status with the same key replaces the first. */
  key: string;
  state: CommitStatusState;
  /** Bitbucket rejects a build status without a link back to where it came from. */
  url: string;
  name?: string;
  description?: string;
  /** The branch or tag the status was made for. */
  refname?: string;
}

const commitStatus = z.object({
  key: z.string(),
  state: z.enum(COMMIT_STATUS_STATES),
  url: z.string(),
  name: z.string().optional(),
  description: z.string().optional(),
  refname: z.string().optional(),
});

/** Creates or updates the status with this key (safe to retry: matched on key). */
export async function setCommitStatus(
  client: BitbucketClient,
  commit: CommitRef,
  status: CommitStatus,
): Promise<void> {
  await client.call({
    method: "POST",
    path: repositoryPath(commit, "commit", commit.commit, "statuses", "build"),
    body: status,
    response: z.unknown(),
    idempotent: true,
  });
}

export async function listCommitStatuses(
  client: BitbucketClient,
  commit: CommitRef,
): Promise<CommitStatus[]> {
  const statuses: CommitStatus[] = [];
  for await (const status of client.paginate(
    repositoryPath(commit, "commit", commit.commit, "statuses"),
    commitStatus,
  )) {
    statuses.push(status);
  }
  return statuses;
}
