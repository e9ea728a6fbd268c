/**
 * When to try a request again, and after how long. Pure: the client passes the clock and the random
 * number, so every decision is a table in the tests.
 *
 * Bitbucket answers 429 when a rate limit is reached, with Retry-After
 * (https://support.atlassian.com/bitbucket-cloud/docs/api-request-limits/); 5xx and lost connections
 * are transient. Waits grow exponentially with "equal jitter" (half fixed, half random), so parallel
 * steps that failed together do not retry together.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. Default 5. */
  maxAttempts: number;
  /** The wait before the second attempt, doubled for each further one. Default 500 ms. */
  baseDelayMs: number;
  /** The longest single wait computed by backoff. Default 20 s. */
  maxDelayMs: number;
  /** The most time spent waiting across all retries of one request, Retry-After included. Default 60 s. */
  maxTotalWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxTotalWaitMs: 60_000,
};

export type AttemptOutcome =
  | { kind: "response"; status: number; retryAfter?: string | undefined }
  /** No response: refused, reset, dropped or timed out. */
  | { kind: "network" };

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

export interface RetryInput {
  outcome: AttemptOutcome;
  /** Attempts made so far, the one that just failed included. */
  attempts: number;
  /** Time already spent waiting for this request. */
  waitedMs: number;
  /**
   * Whether sending the request twice is harmless. A request that is not may have reached Bitbucket
   * before its connection broke, so only a 429 (refused before any effect) is retried.
   */
  idempotent: boolean;
  policy: RetryPolicy;
  now: number;
  /** A number in [0, 1). */
  random: number;
}

const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

export function isTransientStatus(status: number): boolean {
  return status === 429 || TRANSIENT_STATUSES.has(status);
}

/** Retry-After in milliseconds, from delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function backoffDelay(attempts: number, policy: RetryPolicy, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempts - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

export function retryDecision(input: RetryInput): RetryDecision {
  const { outcome, attempts, waitedMs, idempotent, policy } = input;
  const rateLimited = outcome.kind === "response" && outcome.status === 429;
  if (outcome.kind === "response" && !isTransientStatus(outcome.status)) {
    return { retry: false, reason: "not a transient failure" };
  }
  if (!idempotent && !rateLimited) {
    return { retry: false, reason: "not retried: sending it twice could act twice" };
  }
  if (attempts >= policy.maxAttempts) {
    return { retry: false, reason: `gave up after ${attempts} attempts` };
  }
  const requested = rateLimited ? parseRetryAfter(outcome.retryAfter, input.now) : undefined;
  const delayMs = requested ?? backoffDelay(attempts, policy, input.random);
  const budget = policy.maxTotalWaitMs - waitedMs;
  if (delayMs > budget) {
    return {
      retry: false,
      reason:
        requested === undefined
          ? `gave up after ${attempts} attempts and ${seconds(waitedMs)} of waiting`
          : `Retry-After asks for ${seconds(requested)}, more than the ${seconds(Math.max(0, budget))} left to wait`,
    };
  }
  return { retry: true, delayMs };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}
