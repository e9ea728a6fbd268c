import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryInput, retryDecision } from "../src/retry.ts";

const now = Date.parse("2026-11-28T12:00:00Z");

function decide(overrides: Partial<RetryInput>) {
  return retryDecision({
    outcome: { kind: "response", status: 500 },
    attempts: 1,
    waitedMs: 0,
    idempotent: true,
    policy: DEFAULT_RETRY_POLICY,
    now,
    random: 0.5,
    ...overrides,
  });
}

describe("Retry-After", () => {
  it.each([
    ["2", 2000],
    ["0", 0],
    ["1.5", 1500],
    ["Sat, 28 Nov 2026 12:00:30 GMT", 30_000],
    ["Sat, 28 Nov 2026 11:59:00 GMT", 0],
    ["soon", undefined],
    [undefined, undefined],
  ])("reads %s as %s ms", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe("whether to retry", () => {
  it.each([429, 500, 502, 503, 504])("retries a %i", (status) => {
    expect(decide({ outcome: { kind: "response", status } }).retry).toBe(true);
  });

  it.each([400, 401, 403, 404, 409])("does not retry a %i", (status) => {
    expect(decide({ outcome: { kind: "response", status } }).retry).toBe(false);
  });

  it("retries a lost connection", () => {
    expect(decide({ outcome: { kind: "network" } }).retry).toBe(true);
  });

  it("waits as long as Retry-After asks on a 429", () => {
    expect(decide({ outcome: { kind: "response", status: 429, retryAfter: "7" } })).toEqual({
      retry: true,
      delayMs: 7000,
    });
  });

  it("backs off exponentially with jitter between half and all of the step", () => {
    const delays = [1, 2, 3, 4].map((attempts) => [
      decide({ attempts, random: 0 }),
      decide({ attempts, random: 0.999 }),
    ]);
    expect(delays).toEqual([
      [
        { retry: true, delayMs: 250 },
        { retry: true, delayMs: 500 },
      ],
      [
        { retry: true, delayMs: 500 },
        { retry: true, delayMs: 1000 },
      ],
      [
        { retry: true, delayMs: 1000 },
        { retry: true, delayMs: 1999 },
      ],
      [
        { retry: true, delayMs: 2000 },
        { retry: true, delayMs: 3998 },
      ],
    ]);
  });

  it("never waits longer than the longest backoff step", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 20, maxDelayMs: 3000 };
    expect(decide({ attempts: 12, random: 0.999, policy })).toEqual({ retry: true, delayMs: 2999 });
  });

  it("gives up after the last attempt", () => {
    expect(decide({ attempts: 5 })).toEqual({ retry: false, reason: "gave up after 5 attempts" });
  });

  it("gives up when the wait budget is spent", () => {
    expect(decide({ waitedMs: 59_900 })).toEqual({
      retry: false,
      reason: "gave up after 1 attempts and 59.9 s of waiting",
    });
  });

  it("gives up at once when Retry-After asks for more than the budget left", () => {
    expect(
      decide({ outcome: { kind: "response", status: 429, retryAfter: "120" }, waitedMs: 30_000 }),
    ).toEqual({
      retry: false,
      reason: "Retry-After asks for 120 s, more than the 30 s left to wait",
    });
  });

  it("retries a request that is not idempotent only on 429, which Bitbucket refused before acting", () => {
    expect(decide({ idempotent: false, outcome: { kind: "network" } }).retry).toBe(false);
    expect(decide({ idempotent: false, outcome: { kind: "response", status: 500 } }).retry).toBe(false);
    expect(
      decide({ idempotent: false, outcome: { kind: "response", status: 429, retryAfter: "1" } }).retry,
    ).toBe(true);
  });
});
