import { type FakeBitbucket, startFakeBitbucket } from "@pipes/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { publish } from "../src/publish.ts";
import { publishCodeInsights } from "../src/reports.ts";
import { capturedLog } from "./captured-log.ts";
import { COMMIT, clientAgainst } from "./fake-client.ts";

let fake: FakeBitbucket;
beforeAll(async () => {
  fake = await startFakeBitbucket();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

describe("publishing never decides the pipe's result", () => {
  it("swallows a 403 with one warning that names what was not published and why", async () => {
    const log = capturedLog();
    fake.inject({ kind: "status", status: 403 }, { path: "/repositories/**", times: 5 });
    const client = clientAgainst(fake, log.logger);

    const result = await publish(log.logger, "Code Insights report", () =>
      publishCodeInsights(client, COMMIT, {
        id: "security-gate",
        title: "Security gate",
        type: "SECURITY",
        result: "FAILED",
      }),
    );

    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^403 Forbidden/) });
    expect(log.warnings()).toEqual([
      expect.stringMatching(
        /^⚠ Code Insights report not published: 403 Forbidden: Injected failure 403 \(PUT \/repositories\//,
      ),
    ]);
    expect(log.text()).toContain("lacks a permission");
  });

  it("returns the value when publishing works, silently", async () => {
    const log = capturedLog();
    const client = clientAgainst(fake, log.logger);

    const result = await publish(log.logger, "Code Insights report", () =>
      publishCodeInsights(client, COMMIT, { id: "r", title: "t", type: "SECURITY" }),
    );

    expect(result).toEqual({ ok: true, value: { reportId: "r", annotationsSent: 0, annotationsOmitted: 0 } });
    expect(log.warnings()).toEqual([]);
  });

  it("swallows any error, not only the API's", async () => {
    const log = capturedLog();
    const result = await publish(log.logger, "PR comment", () => Promise.reject(new TypeError("boom")));
    expect(result).toEqual({ ok: false, error: "boom" });
    expect(log.warnings()).toEqual(["⚠ PR comment not published: boom"]);
  });
});
