/** A client pointed at the fake Bitbucket API, with short backoff so retry tests stay fast. */
import type { Logger } from "@pipes/core";
import type { FakeBitbucket } from "@pipes/testkit";
import { type BitbucketClientOptions, createBitbucketClient } from "../src/client.ts";
import type { CommitRef, PullRequestRef } from "../src/repository.ts";

export const TOKEN = "bb-test-token-4f9a2c";

export const COMMIT: CommitRef = {
  workspace: "acme",
  repoSlug: "infrastructure",
  commit: "3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39",
};

export const PULL_REQUEST: PullRequestRef = { workspace: "acme", repoSlug: "infrastructure", prId: 42 };

export function clientAgainst(
  fake: FakeBitbucket,
  logger: Logger,
  options: Partial<BitbucketClientOptions> = {},
) {
  return createBitbucketClient({
    logger,
    credentials: { kind: "access-token", token: TOKEN },
    baseUrl: fake.apiUrl,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...options,
  });
}
