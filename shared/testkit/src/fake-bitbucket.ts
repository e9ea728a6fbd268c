/**
 * A fake Bitbucket Cloud API for tests: an HTTP server on 127.0.0.1 that keeps state in memory,
 * records every call, and holds every request and answer to the API document
 * (@pipes/bitbucket/openapi.yaml). A request the real API would reject gets a 400 with the reasons,
 * and the reasons are kept in `violations`, so a test ends with `expect(fake.violations).toEqual([])`.
 *
 * It is also the Bitbucket Pipelines auth proxy: a request in absolute form for
 * http://api.bitbucket.org/2.0/... is served as if the proxy had authenticated it. Pipe containers on
 * the host network reach it at its 127.0.0.1 URL; `fake-bitbucket-cli.ts` starts it as a process.
 */
import type { JsonWebKey } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import {
  API_ROOT,
  type ApiContract,
  loadApiContract,
  type MatchedOperation,
} from "./fake-bitbucket-contract.ts";
import { type Fault, FaultQueue, type FaultTarget, pathPattern } from "./fake-bitbucket-faults.ts";
import {
  type Answer,
  type FakeComment,
  type FakeCommitStatus,
  type FakeReport,
  type FakeSeed,
  FakeState,
} from "./fake-bitbucket-state.ts";

/** The host the Pipelines proxy forwards to. */
const PROXIED_HOST = "api.bitbucket.org";

export interface FakeBitbucketOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  seed?: FakeSeed;
  /** The public keys served at /workspaces/{workspace}/pipelines-config/identity/oidc/keys.json. */
  oidcKeys?: readonly JsonWebKey[];
  /**
   * When given, a request that does not come through the proxy must carry one of these credentials,
   * or gets 401. When absent, credentials are not checked.
   */
  credentials?: {
    accessTokens?: readonly string[];
    basic?: ReadonlyArray<{ username: string; password: string }>;
  };
}

export interface RecordedCall {
  method: string;
  /** The path below /2.0, as sent. */
  path: string;
  query: Record<string, string | string[]>;
  /** Parsed JSON, or the raw text when it is not JSON; undefined without a body. */
  body: unknown;
  /** The status answered; 0 when the connection was dropped. */
  status: number;
  /** The operation of the API document the request matched. */
  operationId: string | undefined;
  /** The request came in absolute form, through the Pipelines proxy. */
  viaProxy: boolean;
  auth: "bearer" | "basic" | "none";
  fault: Fault["kind"] | undefined;
}

export interface SpecViolation {
  kind: "request" | "response" | "unknown-operation" | "not-implemented" | "proxy";
  method: string;
  path: string;
  operationId: string | undefined;
  errors: string[];
}

function bitbucketError(message: string, errors?: string[]): Record<string, unknown> {
  return {
    type: "error",
    error: { message, ...(errors ? { detail: errors.join("; "), data: { errors } } : {}) },
  };
}

function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    query[name] = values.length === 1 ? (values[0] ?? "") : values;
  }
  return query;
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export class FakeBitbucket {
  /** http://127.0.0.1:PORT: the proxy address, and the origin of the API. */
  readonly url: string;
  /** http://127.0.0.1:PORT/2.0: the API base URL for clients with credentials. */
  readonly apiUrl: string;
  readonly #server: http.Server;
  readonly #contract: ApiContract;
  readonly #options: FakeBitbucketOptions;
  #state: FakeState;
  #faults = new FaultQueue();
  #calls: RecordedCall[] = [];
  #violations: SpecViolation[] = [];

  constructor(server: http.Server, contract: ApiContract, options: FakeBitbucketOptions) {
    this.#server = server;
    this.#contract = contract;
    this.#options = options;
    const { port } = server.address() as AddressInfo;
    this.url = `http://${options.host ?? "127.0.0.1"}:${port}`;
    this.apiUrl = `${this.url}${API_ROOT}`;
    this.#state = this.#freshState();
    server.on("request", (request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify(bitbucketError(`The fake Bitbucket API failed: ${String(error)}`)));
      });
    });
  }

  get calls(): readonly RecordedCall[] {
    return this.#calls;
  }

  get violations(): readonly SpecViolation[] {
    return this.#violations;
  }

  /** The calls whose method matches and whose path matches the pattern (see FaultTarget.path). */
  callsTo(method: string, path: string | RegExp): RecordedCall[] {
    const pattern = pathPattern(path);
    return this.#calls.filter((c) => c.method === method.toUpperCase() && pattern.test(c.path));
  }

  /** The next `times` requests that match get the fault. */
  inject(fault: Fault, target: FaultTarget): void {
    this.#faults.add(fault, target);
  }

  seed(seed: FakeSeed): void {
    this.#state.seed(seed);
  }

  setOidcKeys(keys: readonly JsonWebKey[]): void {
    this.#state.setOidcKeys(keys);
  }

  /** The issuer of the workspace's OIDC tokens, as the discovery document names it. */
  oidcIssuer(workspace: string): string {
    return `${this.apiUrl}/workspaces/${workspace}/pipelines-config/identity/oidc`;
  }

  reports(): FakeReport[] {
    return this.#state.reports();
  }

  comments(): FakeComment[] {
    return this.#state.comments();
  }

  statuses(): FakeCommitStatus[] {
    return this.#state.statuses();
  }

  /** Forgets state, calls, violations and faults; seeds and keys from the options are applied again. */
  reset(): void {
    this.#state = this.#freshState();
    this.#faults.clear();
    this.#calls = [];
    this.#violations = [];
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.#server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  #freshState(): FakeState {
    const state = new FakeState((workspace) => this.oidcIssuer(workspace));
    if (this.#options.seed) state.seed(this.#options.seed);
    if (this.#options.oidcKeys) state.setOidcKeys(this.#options.oidcKeys);
    return state;
  }

  #violation(violation: SpecViolation): void {
    this.#violations.push(violation);
  }

  #authOf(request: http.IncomingMessage): { auth: RecordedCall["auth"]; valid: boolean } {
    const header = request.headers.authorization ?? "";
    const [scheme = "", value = ""] = header.split(" ");
    const auth = scheme === "Bearer" ? "bearer" : scheme === "Basic" ? "basic" : "none";
    const accepted = this.#options.credentials;
    if (!accepted) return { auth, valid: true };
    if (auth === "bearer") return { auth, valid: (accepted.accessTokens ?? []).includes(value) };
    if (auth === "basic") {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      return { auth, valid: (accepted.basic ?? []).some((b) => `${b.username}:${b.password}` === decoded) };
    }
    return { auth, valid: false };
  }

  async #handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const method = (request.method ?? "GET").toUpperCase();
    const rawUrl = request.url ?? "/";
    const viaProxy = /^https?:\/\//i.test(rawUrl);
    const url = new URL(rawUrl, this.url);
    const text = await readBody(request);

    if (!viaProxy && url.pathname.startsWith("/_fake/"))
      return this.#control(method, url.pathname, text, response);

    const path = url.pathname.startsWith(`${API_ROOT}/`) ? url.pathname.slice(API_ROOT.length) : url.pathname;
    const query = queryOf(url);
    const body = parseBody(text);
    const { auth, valid } = this.#authOf(request);
    const call: RecordedCall = {
      method,
      path,
      query,
      body,
      status: 0,
      operationId: undefined,
      viaProxy,
      auth,
      fault: undefined,
    };
    this.#calls.push(call);
    const send = (answer: Answer) => {
      call.status = answer.status;
      const json = answer.body === undefined ? "" : JSON.stringify(answer.body);
      response.writeHead(answer.status, {
        ...(json ? { "content-type": "application/json" } : {}),
        ...answer.headers,
      });
      response.end(json);
    };

    if (viaProxy && (url.protocol !== "http:" || url.host !== PROXIED_HOST)) {
      this.#violation({
        kind: "proxy",
        method,
        path: rawUrl,
        operationId: undefined,
        errors: [
          `the Pipelines proxy only authenticates requests for http://${PROXIED_HOST}/2.0/..., not ${url.origin}`,
        ],
      });
      return send({ status: 502, body: bitbucketError(`The proxy does not forward to ${url.origin}.`) });
    }

    const fault = this.#faults.take(method, path);
    call.fault = fault?.kind;
    if (fault?.kind === "drop") {
      request.socket.destroy();
      return;
    }
    if (fault?.kind === "rate-limit") {
      return send({
        status: 429,
        body: bitbucketError("Rate limit for this resource has been exceeded"),
        headers: fault.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) },
      });
    }
    if (fault?.kind === "status") {
      return send({ status: fault.status, body: bitbucketError(`Injected failure ${fault.status}`) });
    }
    if (fault?.kind === "delay") await sleep(fault.ms);

    // The OIDC discovery document and keys are public, as on bitbucket.org: verifiers fetch them anonymously.
    const publicPath = /\/pipelines-config\/identity\/oidc\//.test(path);
    if (!viaProxy && !valid && !publicPath)
      return send({ status: 401, body: bitbucketError("Unauthorized") });

    const matched = url.pathname.startsWith(`${API_ROOT}/`) ? this.#contract.match(method, path) : undefined;
    if (!matched) {
      this.#violation({
        kind: "unknown-operation",
        method,
        path: url.pathname,
        operationId: undefined,
        errors: [`no operation of the Bitbucket API is ${method} ${url.pathname}`],
      });
      return send({ status: 404, body: bitbucketError(`No such resource: ${method} ${url.pathname}`) });
    }
    call.operationId = matched.operationId;

    const requestErrors = this.#requestErrors(request, matched, path, query, body, text);
    if (requestErrors.length > 0) {
      this.#violation({
        kind: "request",
        method,
        path,
        operationId: matched.operationId,
        errors: requestErrors,
      });
      return send({ status: 400, body: bitbucketError("Bad request", requestErrors) });
    }

    const answer = this.#state.answer(matched.operationId, {
      params: matched.params,
      query,
      body,
      origin: viaProxy ? `http://${PROXIED_HOST}` : this.url,
      path,
    });
    if (!answer) {
      this.#violation({
        kind: "not-implemented",
        method,
        path,
        operationId: matched.operationId,
        errors: [`the fake does not implement ${matched.operationId}: add it to fake-bitbucket-state.ts`],
      });
      return send({
        status: 501,
        body: bitbucketError(`The fake does not implement ${matched.operationId}.`),
      });
    }
    if (answer.rejection) {
      this.#violation({
        kind: "request",
        method,
        path,
        operationId: matched.operationId,
        errors: [answer.rejection],
      });
    }
    if (answer.body !== undefined) {
      const responseErrors = this.#contract.responseErrors(matched, answer.status, answer.body);
      if (responseErrors.length > 0) {
        this.#violation({
          kind: "response",
          method,
          path,
          operationId: matched.operationId,
          errors: responseErrors,
        });
      }
    }
    send(answer);
  }

  #requestErrors(
    request: http.IncomingMessage,
    matched: MatchedOperation,
    path: string,
    query: Record<string, string | string[]>,
    body: unknown,
    text: string,
  ): string[] {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(request.headers))
      if (value !== undefined) headers[name] = value;
    const errors = this.#contract.requestErrors(
      { method: request.method ?? "GET", path, query, headers, body },
      matched,
    );
    const contentType = String(request.headers["content-type"] ?? "")
      .split(";")[0]
      ?.trim();
    if (text !== "" && contentType !== "application/json") {
      errors.push(`a body was sent with Content-Type "${contentType}", not application/json`);
    }
    return errors;
  }

  /** The control API for a fake in another process: calls, violations, state, faults, seeds, reset. */
  #control(method: string, path: string, text: string, response: http.ServerResponse): void {
    const [status, value] = this.#controlAnswer(`${method} ${path}`, parseBody(text));
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(value));
  }

  #controlAnswer(route: string, input: unknown): [number, unknown] {
    const ok: [number, unknown] = [200, { ok: true }];
    switch (route) {
      case "GET /_fake/calls":
        return [200, this.#calls];
      case "GET /_fake/violations":
        return [200, this.#violations];
      case "GET /_fake/state":
        return [200, { reports: this.reports(), comments: this.comments(), statuses: this.statuses() }];
      case "POST /_fake/faults": {
        const { fault, target } = input as { fault: Fault; target: FaultTarget };
        this.inject(fault, target);
        return ok;
      }
      case "POST /_fake/seed":
        this.seed((input ?? {}) as FakeSeed);
        return ok;
      case "PUT /_fake/oidc-keys":
        this.setOidcKeys(((input ?? {}) as { keys?: JsonWebKey[] }).keys ?? []);
        return ok;
      case "POST /_fake/reset":
        this.reset();
        return ok;
      default:
        return [404, { error: `no control route ${route}` }];
    }
  }
}

/** Starts the fake on 127.0.0.1 and a free port (unless told otherwise); `close()` it after the test. */
export async function startFakeBitbucket(options: FakeBitbucketOptions = {}): Promise<FakeBitbucket> {
  const contract = await loadApiContract();
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  return new FakeBitbucket(server, contract, options);
}
