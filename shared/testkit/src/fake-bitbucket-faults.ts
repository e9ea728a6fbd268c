/**
 * Failures the fake Bitbucket API can be told to produce for the next requests to a path, so tests
 * can show that a client retries, waits, times out and gives up as it should.
 */

export type Fault =
  /** 429 Too Many Requests, with Retry-After (seconds, or an HTTP date) when given. */
  | { kind: "rate-limit"; retryAfter?: number | string }
  /** An error status, e.g. 500 or 503, with a Bitbucket-style error body. */
  | { kind: "status"; status: number }
  /** The normal answer, after a delay: for timeouts. */
  | { kind: "delay"; ms: number }
  /** The connection is closed without an answer. */
  | { kind: "drop" };

export interface FaultTarget {
  /**
   * The API path below /2.0: a RegExp, or a pattern where `*` stands for one path segment and `**`
   * for any number of them, e.g. "/repositories/acme/infra/commit/**".
   */
  path: string | RegExp;
  /** Any method when absent. */
  method?: string;
  /** How many matching requests get the fault. Default 1. */
  times?: number;
}

interface PendingFault {
  fault: Fault;
  path: RegExp;
  method: string | undefined;
  remaining: number;
}

export function pathPattern(path: string | RegExp): RegExp {
  if (path instanceof RegExp) return path;
  const source = path
    .split(/(\*\*|\*)/)
    .map((part) =>
      part === "**" ? ".*" : part === "*" ? "[^/]+" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${source}$`);
}

/** Faults waiting for their requests, first injected first served. */
export class FaultQueue {
  #pending: PendingFault[] = [];

  add(fault: Fault, target: FaultTarget): void {
    this.#pending.push({
      fault,
      path: pathPattern(target.path),
      method: target.method?.toUpperCase(),
      remaining: target.times ?? 1,
    });
  }

  /** The fault for this request, if one is waiting; it is used up. */
  take(method: string, path: string): Fault | undefined {
    const pending = this.#pending.find(
      (p) =>
        p.remaining > 0 && (p.method === undefined || p.method === method.toUpperCase()) && p.path.test(path),
    );
    if (!pending) return undefined;
    pending.remaining--;
    this.#pending = this.#pending.filter((p) => p.remaining > 0);
    return pending.fault;
  }

  clear(): void {
    this.#pending = [];
  }
}
