import { type FakeBitbucket, startFakeBitbucket } from "@pipes/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { upsertStickyComment } from "../src/comments.ts";
import { BitbucketApiError } from "../src/errors.ts";
import { putReport } from "../src/reports.ts";
import { capturedLog } from "./captured-log.ts";
import { COMMIT, clientAgainst, PULL_REQUEST, TOKEN } from "./fake-client.ts";

let fake: FakeBitbucket;
beforeAll(async () => {
  fake = await startFakeBitbucket({
    credentials: { accessTokens: [TOKEN], basic: [{ username: "ann", password: "app-pw-7d1e3b" }] },
  });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const report = { id: "security-gate", title: "Security gate", type: "SECURITY" } as const;
const reportPath = "/repositories/*/*/commit/*/reports/*";

describe("transient failures", () => {
  it("waits as long as a 429's Retry-After asks, then succeeds", async () => {
    const log = capturedLog();
    fake.inject({ kind: "rate-limit", retryAfter: 1 }, { path: reportPath, method: "PUT" });
    const started = Date.now();

    await putReport(clientAgainst(fake, log.logger), COMMIT, report);

    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.callsTo("PUT", reportPath).map((c) => c.status)).toEqual([429, 200]);
    expect(log.text()).toContain("Bitbucket API answered 429 Too Many Requests to PUT");
  });

  it("retries a 500", async () => {
    fake.inject({ kind: "status", status: 500 }, { path: reportPath, times: 2 });

    await putReport(clientAgainst(fake, capturedLog().logger), COMMIT, report);

    expect(fake.callsTo("PUT", reportPath).map((c) => c.status)).toEqual([500, 500, 200]);
  });

  it("retries a dropped connection", async () => {
    fake.inject({ kind: "drop" }, { path: reportPath });

    await putReport(clientAgainst(fake, capturedLog().logger), COMMIT, report);

    expect(fake.callsTo("PUT", reportPath).map((c) => c.status)).toEqual([0, 200]);
  });

  it("gives up on a request that takes longer than the timeout, after the last attempt", async () => {
    fake.inject({ kind: "delay", ms: 400 }, { path: reportPath, times: 3 });
    const client = clientAgainst(fake, capturedLog().logger, {
      timeoutMs: 100,
      retry: { maxAttempts: 3, baseDelayMs: 5 },
    });

    const error = await putReport(client, COMMIT, report).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BitbucketApiError);
    expect((error as BitbucketApiError).message).toBe(
      "no response: timed out after 0.1 s (PUT /repositories/acme/infrastructure/commit/3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39/reports/security-gate; gave up after 3 attempts)",
    );
  });

  it("gives up after five attempts and says so", async () => {
    fake.inject({ kind: "status", status: 503 }, { path: reportPath, times: 10 });

    const error = await putReport(clientAgainst(fake, capturedLog().logger), COMMIT, report).catch(
      (e: unknown) => e,
    );

    expect((error as BitbucketApiError).status).toBe(503);
    expect((error as BitbucketApiError).message).toMatch(
      /^503 Service Unavailable: Injected failure 503 \(PUT .*; gave up after 5 attempts\)$/,
    );
    expect(fake.callsTo("PUT", reportPath)).toHaveLength(5);
  });

  it("does not post a PR comment twice when the connection drops: it may have been created", async () => {
    fake.seed({ pullRequests: [{ id: PULL_REQUEST.prId }] });
    fake.inject({ kind: "drop" }, { path: "/repositories/*/*/pullrequests/*/comments", method: "POST" });

    const error = await upsertStickyComment(
      clientAgainst(fake, capturedLog().logger),
      PULL_REQUEST,
      "gate",
      "x",
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BitbucketApiError);
    expect(fake.callsTo("POST", "/**")).toHaveLength(1);
  });

  it("does not retry a 403", async () => {
    fake.inject({ kind: "status", status: 403 }, { path: reportPath });

    const error = await putReport(clientAgainst(fake, capturedLog().logger), COMMIT, report).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(BitbucketApiError);
    expect((error as BitbucketApiError).suggestion).toMatch(/lacks a permission/);
    expect(fake.calls).toHaveLength(1);
  });
});

describe("authentication", () => {
  it("sends an access token as Bearer", async () => {
    await putReport(clientAgainst(fake, capturedLog().logger), COMMIT, report);
    expect(fake.calls[0]).toMatchObject({ auth: "bearer", status: 200, viaProxy: false });
  });

  it("sends an app password as Basic", async () => {
    const client = clientAgainst(fake, capturedLog().logger, {
      credentials: { kind: "basic", username: "ann", secret: "app-pw-7d1e3b" },
    });
    await putReport(client, COMMIT, report);
    expect(fake.calls[0]).toMatchObject({ auth: "basic", status: 200 });
  });

  it("without credentials, goes through the Pipelines proxy in absolute form, over http, with no Authorization", async () => {
    const client = clientAgainst(fake, capturedLog().logger, {
      credentials: undefined,
      baseUrl: undefined,
      proxyUrl: fake.url,
    });
    await putReport(client, COMMIT, report);
    expect(fake.calls[0]).toMatchObject({ viaProxy: true, auth: "none", status: 200 });
    expect(fake.violations).toEqual([]);
  });

  it("follows next links through the proxy", async () => {
    fake.seed({ pullRequests: [{ id: PULL_REQUEST.prId }] });
    for (let i = 0; i < 105; i++) {
      await fetch(`${fake.apiUrl}/repositories/acme/infrastructure/pullrequests/42/comments`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ content: { raw: `Looks good ${i}` } }),
      });
    }
    const client = clientAgainst(fake, capturedLog().logger, {
      credentials: undefined,
      baseUrl: undefined,
      proxyUrl: fake.url,
    });

    const result = await upsertStickyComment(client, PULL_REQUEST, "security-gate", "x");

    expect(result.action).toBe("created");
    const pages = fake.callsTo("GET", "/repositories/*/*/pullrequests/42/comments");
    expect(pages.map((c) => [c.viaProxy, c.query.page])).toEqual([
      [true, undefined],
      [true, "2"],
    ]);
    expect(fake.violations).toEqual([]);
  });

  it("never writes credentials to the log, even with DEBUG=true and a failure", async () => {
    const log = capturedLog({ DEBUG: "true" });
    const basic = clientAgainst(fake, log.logger, {
      credentials: { kind: "basic", username: "ann", secret: "app-pw-7d1e3b" },
    });
    const bearer = clientAgainst(fake, log.logger);
    fake.inject({ kind: "status", status: 500 }, { path: reportPath, times: 2 });
    await putReport(basic, COMMIT, report);
    fake.inject({ kind: "status", status: 401 }, { path: reportPath });
    const error = await putReport(bearer, COMMIT, report).catch((e: unknown) => e);
    log.logger.error(String(error));
    log.logger.debug(
      `echoed by a careless caller: ${TOKEN} app-pw-7d1e3b ${Buffer.from("ann:app-pw-7d1e3b").toString("base64")}`,
    );

    const text = log.text();
    expect(text).toContain("[debug] Bitbucket API PUT");
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain("app-pw-7d1e3b");
    expect(text).not.toContain(Buffer.from("ann:app-pw-7d1e3b").toString("base64"));
  });

  it("answers a rejected token with a suggestion about credentials", async () => {
    const client = clientAgainst(fake, capturedLog().logger, {
      credentials: { kind: "access-token", token: "expired" },
    });

    const error = await putReport(client, COMMIT, report).catch((e: unknown) => e);

    expect((error as BitbucketApiError).message).toMatch(/^401 Unauthorized: Unauthorized \(PUT /);
    expect((error as BitbucketApiError).suggestion).toMatch(/access token was not accepted/);
  });
});
