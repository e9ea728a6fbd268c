/**
 * The one way a pipe talks to the Bitbucket Cloud API: authentication (or the Pipelines proxy),
 * retries of transient failures, a timeout per attempt, pagination, and errors people can act on.
 * Responses are parsed with zod at this edge; the endpoint modules (reports.ts, comments.ts, ...)
 * only describe calls.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "@pipes/core";
import { z } from "zod";
import { type Connection, connectionFor, type EndpointOptions } from "./connection.ts";
import { credentialSecrets } from "./credentials.ts";
import { BitbucketApiError } from "./errors.ts";
import {
  type AttemptOutcome,
  DEFAULT_RETRY_POLICY,
  isTransientStatus,
  type RetryPolicy,
  retryDecision,
} from "./retry.ts";
import { type HttpResponse, NetworkError, sendHttp } from "./transport.ts";

export interface BitbucketClientOptions extends EndpointOptions {
  /** Credentials are added to its masker; requests are logged at debug level, retries at info. */
  logger: Logger;
  retry?: Partial<RetryPolicy>;
  /** The longest one attempt may take, response body included. Default 30 s. */
  timeoutMs?: number;
  /** Default "bitbucket-pipes". */
  userAgent?: string;
}

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE";
export type QueryValue = string | number | boolean | undefined;

export interface ApiCall<T> {
  method: HttpMethod;
  /** The path below the base URL, its segments already encoded (see repository.ts). */
  path: string;
  query?: Readonly<Record<string, QueryValue>>;
  body?: unknown;
  /** Parses the response body (undefined for an empty body). */
  response: z.ZodType<T>;
  /** Whether sending the call twice is harmless. Default: true for every method but POST. */
  idempotent?: boolean;
}

const errorBody = z.object({
  error: z.object({ message: z.string().optional(), detail: z.string().optional() }),
});

interface Page<T> {
  values: T[];
  next?: string | undefined;
}

/** A page of any Bitbucket collection (https://developer.atlassian.com/cloud/bitbucket/rest/intro/#pagination). */
function pageOf<T>(item: z.ZodType<T>): z.ZodType<Page<T>> {
  return z.object({ values: z.array(item), next: z.string().optional() });
}

/** Bitbucket's largest page: fewer round trips when a pipe searches a whole collection. */
const PAGE_LENGTH = 100;

export class BitbucketClient {
  readonly connection: Connection;
  readonly #log: Logger;
  readonly #policy: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #userAgent: string;

  constructor(options: BitbucketClientOptions) {
    this.connection = connectionFor(options);
    this.#log = options.logger;
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#userAgent = options.userAgent ?? "bitbucket-pipes";
    if (options.credentials)
      for (const secret of credentialSecrets(options.credentials)) this.#log.masker.add(secret);
  }

  /** Sends one call, retrying transient failures; throws BitbucketApiError when it finally fails. */
  async call<T>(call: ApiCall<T>): Promise<T> {
    const url = this.#url(call.path, call.query);
    const idempotent = call.idempotent ?? call.method !== "POST";
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    let waitedMs = 0;
    for (let attempts = 1; ; attempts++) {
      const { response, networkError } = await this.#attempt(call.method, url, body);
      if (response && response.status < 400) return this.#parse(call, response);

      const outcome: AttemptOutcome = response
        ? { kind: "response", status: response.status, retryAfter: header(response, "retry-after") }
        : { kind: "network" };
      const decision = retryDecision({
        outcome,
        attempts,
        waitedMs,
        idempotent,
        policy: this.#policy,
        now: Date.now(),
        random: Math.random(),
      });
      if (decision.retry) {
        const what = response
          ? `answered ${response.status} ${response.statusText}`.trim()
          : `did not answer (${networkError?.message})`;
        this.#log.info(
          `Bitbucket API ${what} to ${call.method} ${call.path}; retrying in ${(decision.delayMs / 1000).toFixed(1)} s (attempt ${attempts + 1} of ${this.#policy.maxAttempts})`,
        );
        await sleep(decision.delayMs);
        waitedMs += decision.delayMs;
        continue;
      }
      throw new BitbucketApiError({
        method: call.method,
        path: call.path,
        mode: this.connection.mode,
        status: response?.status,
        statusText: response?.statusText,
        detail: response ? errorDetail(response) : networkError?.message,
        retryNote: !response || isTransientStatus(response.status) ? decision.reason : undefined,
        cause: networkError,
      });
    }
  }

  async #attempt(
    method: HttpMethod,
    url: URL,
    body: string | undefined,
  ): Promise<{ response?: HttpResponse; networkError?: NetworkError }> {
    const started = Date.now();
    const exchange = {
      method,
      url,
      headers: this.#headers(body !== undefined),
      body,
      proxy: this.connection.proxy,
      timeoutMs: this.#timeoutMs,
    };
    try {
      const response = await sendHttp(exchange);
      this.#log.debug(
        `Bitbucket API ${method} ${url.pathname}${url.search} → ${response.status} (${Date.now() - started} ms)`,
      );
      return { response };
    } catch (error: unknown) {
      if (!(error instanceof NetworkError)) throw error;
      this.#log.debug(
        `Bitbucket API ${method} ${url.pathname}${url.search} → ${error.code} (${Date.now() - started} ms)`,
      );
      return { networkError: error };
    }
  }

  /** Every item of a collection, page after page, following Bitbucket's `next` links. */
  async *paginate<T>(
    path: string,
    item: z.ZodType<T>,
    query: Readonly<Record<string, QueryValue>> = {},
  ): AsyncGenerator<T, void, undefined> {
    let page: { path: string; query: Readonly<Record<string, QueryValue>> } | undefined = {
      path,
      query: { pagelen: PAGE_LENGTH, ...query },
    };
    const seen = new Set<string>();
    while (page) {
      const key = this.#url(page.path, page.query).href;
      if (seen.has(key)) return;
      seen.add(key);
      const result: Page<T> = await this.call({
        method: "GET",
        path: page.path,
        query: page.query,
        response: pageOf(item),
      });
      yield* result.values;
      page = result.next ? this.#belowBase(result.next) : undefined;
    }
  }

  #url(path: string, query: Readonly<Record<string, QueryValue>> = {}): URL {
    const url = new URL(this.connection.baseUrl.href.replace(/\/+$/, "") + path);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url;
  }

  /**
   * A `next` link as a path below our base URL. Through the proxy, Bitbucket may still link to
   * https://api.bitbucket.org, which the proxy cannot authenticate: only the path and query are kept.
   */
  #belowBase(next: string): { path: string; query: Record<string, string> } {
    const url = new URL(next, this.connection.baseUrl);
    const basePath = this.connection.baseUrl.pathname.replace(/\/+$/, "");
    if (!url.pathname.startsWith(`${basePath}/`)) {
      throw new BitbucketApiError({
        method: "GET",
        path: url.pathname,
        mode: this.connection.mode,
        detail: `the next page ${next} is outside the API at ${this.connection.baseUrl.href}`,
      });
    }
    return { path: url.pathname.slice(basePath.length), query: Object.fromEntries(url.searchParams) };
  }

  #headers(hasBody: boolean): Record<string, string> {
    return {
      accept: "application/json",
      "user-agent": this.#userAgent,
      ...(hasBody ? { "content-type": "application/json" } : {}),
      ...(this.connection.authorization ? { authorization: this.connection.authorization } : {}),
    };
  }

  #parse<T>(call: ApiCall<T>, response: HttpResponse): T {
    const fail = (detail: string) =>
      new BitbucketApiError({
        method: call.method,
        path: call.path,
        mode: this.connection.mode,
        status: response.status,
        statusText: response.statusText,
        detail,
      });
    let json: unknown;
    if (response.body.trim() !== "") {
      try {
        json = JSON.parse(response.body);
      } catch {
        throw fail(`the response is not JSON: ${response.body.slice(0, 200)}`);
      }
    }
    const parsed = call.response.safeParse(json);
    if (!parsed.success) throw fail(`unexpected response: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  }
}

function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function errorDetail(response: HttpResponse): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    return response.body.trim().slice(0, 300) || undefined;
  }
  const parsed = errorBody.safeParse(json);
  if (!parsed.success) return undefined;
  const { message, detail } = parsed.data.error;
  return [message, detail].filter(Boolean).join(" — ") || undefined;
}

export function createBitbucketClient(options: BitbucketClientOptions): BitbucketClient {
  return new BitbucketClient(options);
}
