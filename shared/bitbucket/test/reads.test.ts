import { type FakeBitbucket, startFakeBitbucket } from "@pipes/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  getPipeline,
  listDeployments,
  listEnvironments,
  listPipelineSteps,
  listPipelines,
} from "../src/pipelines.ts";
import { pullRequestParticipants } from "../src/pull-requests.ts";
import { listCommitStatuses, setCommitStatus } from "../src/statuses.ts";
import { capturedLog } from "./captured-log.ts";
import { COMMIT, clientAgainst, PULL_REQUEST } from "./fake-client.ts";

let fake: FakeBitbucket;
beforeAll(async () => {
  fake = await startFakeBitbucket();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const ann = {
  display_name: "Ann Reviewer",
  uuid: "{0b7f6a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b}",
  account_id: "557058:ann",
};
const bob = { display_name: "Bob Author", uuid: "{1c8a7b3f-2d4e-4f6a-9b0c-1d2e3f4a5b6c}" };

describe("commit statuses", () => {
  it("creates a build status, then replaces it under the same key", async () => {
    const client = clientAgainst(fake, capturedLog().logger);
    const status = { key: "security-gate", name: "Security gate", url: "https://example.com/run/1" };

    await setCommitStatus(client, COMMIT, { ...status, state: "INPROGRESS", description: "scanning" });
    await setCommitStatus(client, COMMIT, { ...status, state: "FAILED", description: "2 new HIGH findings" });

    expect(await listCommitStatuses(client, COMMIT)).toEqual([
      { ...status, state: "FAILED", description: "2 new HIGH findings" },
    ]);
    expect(fake.callsTo("POST", "/repositories/*/*/commit/*/statuses/build").map((c) => c.status)).toEqual([
      201, 200,
    ]);
    expect(fake.violations).toEqual([]);
  });
});

describe("pull request participants", () => {
  it("lists each participant's role, approval and user", async () => {
    fake.seed({
      pullRequests: [
        {
          id: PULL_REQUEST.prId,
          participants: [
            { user: ann, role: "REVIEWER", approved: true, participated_on: "2026-11-27T10:00:00Z" },
            { user: bob, role: "PARTICIPANT", state: "changes_requested" },
          ],
        },
      ],
    });

    const participants = await pullRequestParticipants(
      clientAgainst(fake, capturedLog().logger),
      PULL_REQUEST,
    );

    expect(participants).toEqual([
      {
        role: "REVIEWER",
        approved: true,
        state: "approved",
        participatedOn: "2026-11-27T10:00:00Z",
        user: { uuid: ann.uuid, accountId: "557058:ann", displayName: "Ann Reviewer", nickname: undefined },
      },
      {
        role: "PARTICIPANT",
        approved: false,
        state: "changes_requested",
        participatedOn: expect.any(String),
        user: { uuid: bob.uuid, accountId: undefined, displayName: "Bob Author", nickname: undefined },
      },
    ]);
    expect(fake.violations).toEqual([]);
  });
});

describe("pipelines, steps, deployments and environments", () => {
  it("reads them with the fields pipes use, undeclared ones included", async () => {
    const pipelineUuid = "{5d6e7f80-1a2b-4c3d-8e9f-a0b1c2d3e4f5}";
    fake.seed({
      pipelines: [
        {
          uuid: pipelineUuid,
          build_number: 17,
          state: {
            type: "pipeline_state_completed",
            name: "COMPLETED",
            result: { type: "pipeline_state_completed_successful", name: "SUCCESSFUL" },
          },
          target: {
            type: "pipeline_ref_target",
            ref_name: "main",
            commit: { type: "commit", hash: COMMIT.commit },
          },
        },
      ],
      steps: [
        {
          pipeline_uuid: pipelineUuid,
          uuid: "{aa}",
          name: "Plan",
          duration_in_seconds: 42,
          state: {
            type: "pipeline_step_state_completed",
            name: "COMPLETED",
            result: { type: "x", name: "SUCCESSFUL" },
          },
        },
      ],
      environments: [
        {
          uuid: "{env-prod}",
          name: "Production",
          slug: "production",
          environment_type: { type: "deployment_environment_type", name: "Production" },
        },
      ],
      deployments: [
        {
          uuid: "{dep-1}",
          state: {
            type: "deployment_state_completed",
            name: "COMPLETED",
            status: { type: "x", name: "SUCCESSFUL" },
          },
          environment: { type: "deployment_environment", uuid: "{env-prod}" },
          release: {
            type: "deployment_release",
            name: "#17",
            commit: { type: "commit", hash: COMMIT.commit },
          },
        },
      ],
    });
    const client = clientAgainst(fake, capturedLog().logger);

    expect(await getPipeline(client, COMMIT, pipelineUuid)).toMatchObject({
      buildNumber: 17,
      state: "COMPLETED",
      result: "SUCCESSFUL",
      refName: "main",
      commit: COMMIT.commit,
    });
    expect(await listPipelines(client, COMMIT)).toHaveLength(1);
    expect(await listPipelineSteps(client, COMMIT, pipelineUuid)).toEqual([
      expect.objectContaining({ name: "Plan", durationSeconds: 42, result: "SUCCESSFUL" }),
    ]);
    expect(await listEnvironments(client, COMMIT)).toEqual([
      { uuid: "{env-prod}", name: "Production", slug: "production", type: "Production" },
    ]);
    expect(await listDeployments(client, COMMIT)).toEqual([
      {
        uuid: "{dep-1}",
        state: "COMPLETED",
        status: "SUCCESSFUL",
        environmentUuid: "{env-prod}",
        releaseName: "#17",
        commit: COMMIT.commit,
      },
    ]);
    expect(fake.violations).toEqual([]);
  });
});
