import { PassThrough } from "node:stream";
import { createBitbucketClient, pullRequestParticipants } from "@pipes/bitbucket";
import { Logger } from "@pipes/core";
import { type FakeBitbucket, startFakeBitbucket } from "@pipes/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { approvalStatus } from "../src/approvals.ts";
import { config } from "./cost-fixtures.ts";

const PR = { workspace: "acme", repoSlug: "infrastructure", prId: 7 };
const ann = { display_name: "Ann FinOps", uuid: "{0b7f6a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b}", nickname: "ann" };
const bob = { display_name: "Bob Lead", uuid: "{1c8a7b3f-2d4e-4f6a-9b0c-1d2e3f4a5b6c}", nickname: "bob" };
const eve = { display_name: "Eve Dev", uuid: "{2d9b8c40-3e5f-4a7b-8c1d-2e3f4a5b6c7d}", nickname: "eve" };

const settings = config(`approvals:
  approvers: ["group:finops", "{1c8a7b3f-2d4e-4f6a-9b0c-1d2e3f4a5b6c}"]
  groups: { finops: [ann, carol] }
  required: 1`).approvals;

let fake: FakeBitbucket;
beforeAll(async () => {
  fake = await startFakeBitbucket();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

async function participants() {
  const logger = new Logger({ env: {}, stdout: new PassThrough(), stderr: new PassThrough() });
  const client = createBitbucketClient({
    logger,
    credentials: { kind: "access-token", token: "bb-token-approvals" },
    baseUrl: fake.apiUrl,
  });
  return pullRequestParticipants(client, PR);
}

describe("approval workflow", () => {
  it("is satisfied by a PR approval from a member of an allowed group", async () => {
    fake.seed({
      pullRequests: [
        {
          id: 7,
          author: eve,
          participants: [
            { user: ann, role: "REVIEWER", approved: true },
            { user: eve, role: "PARTICIPANT", approved: false },
          ],
        },
      ],
    });
    const status = approvalStatus(settings, {
      participants: await participants(),
      manualApprover: undefined,
    });
    expect(status.satisfied).toBe(true);
    expect(status.approvedBy).toEqual(["ann"]);
    expect(fake.violations).toEqual([]);
  });

  it("is satisfied by an approver named by uuid", async () => {
    fake.seed({ pullRequests: [{ id: 7, participants: [{ user: bob, role: "REVIEWER", approved: true }] }] });
    const status = approvalStatus(settings, {
      participants: await participants(),
      manualApprover: undefined,
    });
    expect(status.approvedBy).toEqual(["{1c8a7b3f-2d4e-4f6a-9b0c-1d2e3f4a5b6c}"]);
    expect(status.satisfied).toBe(true);
  });

  it("is not satisfied by someone outside the approvers, and says who may approve and how", async () => {
    fake.seed({
      pullRequests: [
        {
          id: 7,
          participants: [
            { user: eve, role: "REVIEWER", approved: true },
            { user: ann, role: "REVIEWER", approved: false, state: "changes_requested" },
          ],
        },
      ],
    });
    const status = approvalStatus(settings, {
      participants: await participants(),
      manualApprover: undefined,
    });
    expect(status.satisfied).toBe(false);
    expect(status.ignored).toEqual(["eve approved the PR but is not an allowed approver"]);
    expect(status.allowed).toEqual(["ann", "carol", "{1c8a7b3f-2d4e-4f6a-9b0c-1d2e3f4a5b6c}"]);
    expect(status.how[0]).toMatch(
      /approve the pull request in Bitbucket \(1 approval needed from ann, carol/,
    );
    expect(status.how[1]).toMatch(/APPROVED_BY/);
    expect(fake.violations).toEqual([]);
  });

  it("needs as many distinct approvers as required", async () => {
    fake.seed({ pullRequests: [{ id: 7, participants: [{ user: ann, role: "REVIEWER", approved: true }] }] });
    const two = { ...settings, required: 2 };
    const found = await participants();
    expect(approvalStatus(two, { participants: found, manualApprover: undefined }).satisfied).toBe(false);
    expect(approvalStatus(two, { participants: found, manualApprover: "carol" }).approvedBy).toEqual([
      "ann",
      "carol",
    ]);
  });

  it("accepts APPROVED_BY of a manual step only for an allowed approver", () => {
    expect(approvalStatus(settings, { participants: undefined, manualApprover: "Carol" }).satisfied).toBe(
      true,
    );
    const mallory = approvalStatus(settings, { participants: undefined, manualApprover: "mallory" });
    expect(mallory.satisfied).toBe(false);
    expect(mallory.ignored).toEqual(["APPROVED_BY names mallory, who is not an allowed approver"]);
  });
});
