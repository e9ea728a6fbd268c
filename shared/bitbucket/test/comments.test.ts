import { type FakeBitbucket, startFakeBitbucket } from "@pipes/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isStickyComment, stickyCommentText, stickyMarker, upsertStickyComment } from "../src/comments.ts";
import { capturedLog } from "./captured-log.ts";
import { clientAgainst, PULL_REQUEST } from "./fake-client.ts";

let fake: FakeBitbucket;
beforeAll(async () => {
  fake = await startFakeBitbucket();
});
beforeEach(() => {
  fake.reset();
  fake.seed({ pullRequests: [{ id: PULL_REQUEST.prId }] });
});
afterAll(() => fake.close());

async function commentAsSomeoneElse(raw: string): Promise<void> {
  const response = await fetch(`${fake.apiUrl}/repositories/acme/infrastructure/pullrequests/42/comments`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ content: { raw } }),
  });
  expect(response.status).toBe(201);
}

describe("the sticky PR comment", () => {
  it("is created on the first run and updated in place on the second", async () => {
    const client = clientAgainst(fake, capturedLog().logger);

    const first = await upsertStickyComment(
      client,
      PULL_REQUEST,
      "security-gate",
      "## Security gate\n✖ 2 new HIGH",
    );
    const second = await upsertStickyComment(
      client,
      PULL_REQUEST,
      "security-gate",
      "## Security gate\n✔ no new findings",
    );

    expect(first.action).toBe("created");
    expect(second).toEqual({ action: "updated", commentId: first.commentId });
    expect(fake.comments()).toHaveLength(1);
    expect(fake.comments()[0]?.raw).toBe(
      stickyCommentText("security-gate", "## Security gate\n✔ no new findings"),
    );
    expect(fake.callsTo("POST", "/repositories/*/*/pullrequests/42/comments")).toHaveLength(1);
    expect(fake.callsTo("PUT", "/repositories/*/*/pullrequests/42/comments/*")).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });

  it("is left alone when the text has not changed", async () => {
    const client = clientAgainst(fake, capturedLog().logger);

    await upsertStickyComment(client, PULL_REQUEST, "security-gate", "same");
    const again = await upsertStickyComment(client, PULL_REQUEST, "security-gate", "same");

    expect(again.action).toBe("unchanged");
    expect(fake.callsTo("PUT", "/**")).toHaveLength(0);
  });

  it("is found among many comments on later pages", async () => {
    const client = clientAgainst(fake, capturedLog().logger);
    await upsertStickyComment(client, PULL_REQUEST, "security-gate", "first");
    for (let i = 0; i < 130; i++) await commentAsSomeoneElse(`LGTM ${i}`);

    const result = await upsertStickyComment(client, PULL_REQUEST, "security-gate", "second");

    expect(result.action).toBe("updated");
    expect(fake.comments().filter((c) => c.raw.includes("bitbucket-pipes:"))).toHaveLength(1);
    expect(fake.callsTo("GET", "/repositories/*/*/pullrequests/42/comments").length).toBeGreaterThan(1);
  });

  it("belongs to one pipe: another pipe's sticky comment and quotes of the marker are not it", async () => {
    const client = clientAgainst(fake, capturedLog().logger);
    await upsertStickyComment(client, PULL_REQUEST, "drift-detector", "drift");
    await commentAsSomeoneElse(`Why does the bot write \`${stickyMarker("security-gate")}\`?`);

    const result = await upsertStickyComment(client, PULL_REQUEST, "security-gate", "gate");

    expect(result.action).toBe("created");
    expect(fake.comments()).toHaveLength(3);
  });

  it("hides its marker as a Markdown link reference definition on a line of its own", () => {
    const raw = stickyCommentText("security-gate", "body");
    expect(raw).toBe("[//]: # (bitbucket-pipes:security-gate)\n\nbody");
    expect(isStickyComment(raw, "security-gate")).toBe(true);
    expect(isStickyComment(raw, "security")).toBe(false);
    expect(() => stickyMarker("bad key)")).toThrow(/may hold only/);
  });
});
