import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { Logger } from "../src/log.ts";
import { checkForNewerVersion, newerInMajor } from "../src/version-notice.ts";

describe("which release is newer in the running major", () => {
  it.each([
    ["1.2.0", ["1.1.0", "1.2.0", "1.3.0", "1.10.0", "2.0.0"], "1.10.0"],
    ["1.2.0", ["1.0.0", "1.2.0", "2.0.0"], undefined],
    ["1.2.0", ["1", "1.3", "1.3.0-rc.1", "latest"], undefined],
    ["1.2.0", ["v1.2.1"], "1.2.1"],
    ["0.1.0", ["0.1.1", "0.2.0", "1.0.0"], "0.2.0"],
    ["1.3.0-rc.1", ["1.2.9", "1.3.0"], "1.3.0"],
    ["0.0.0-dev", ["0.1.0"], "0.1.0"],
    ["main", ["1.0.0"], undefined],
  ] as const)("running %s among %j: %s", (current, available, expected) => {
    expect(newerInMajor(current, available)).toBe(expected);
  });
});

function capture(env: Record<string, string> = {}) {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk) => {
    text += chunk;
  });
  const log = new Logger({ env: { NO_COLOR: "1", ...env }, stdout: stream, stderr: stream });
  return { log, text: () => text };
}

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/** A stand-in for `GET /2.0/repositories/{workspace}/{repo}/refs/tags`, counting its requests. */
async function tagsApi(answer: (response: ServerResponse) => void) {
  const requests: string[] = [];
  server = createServer((request, response) => {
    requests.push(request.url ?? "");
    answer(response);
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/2.0/repositories/bitbucket-pipes/security-gate/refs/tags`,
    requests,
  };
}

function json(body: unknown) {
  return (response: ServerResponse) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
}

const tags = (...names: string[]) => ({ pagelen: 100, values: names.map((name) => ({ name, type: "tag" })) });

/** Runs the check of security-gate `version` against `url`; `text` is what the build log shows. */
async function check(
  url: string,
  version: string,
  options: { env?: Record<string, string>; debug?: boolean; timeoutMs?: number } = {},
) {
  const { log, text } = capture(options.debug ? { DEBUG: "true" } : {});
  const newer = await checkForNewerVersion({
    name: "security-gate",
    version,
    env: { PIPE_VERSIONS_URL: url, ...options.env },
    log,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  return { newer, text: text() };
}

describe("the newer-version notice", () => {
  it("names the newest release of the running major and how to update the step", async () => {
    const api = await tagsApi(json(tags("1.3.0", "1.10.0", "1.10", "1", "2.0.0")));
    expect(await check(api.url, "1.2.0")).toEqual({
      newer: "1.10.0",
      text: "⚠ security-gate 1.10.0 is available (this is 1.2.0): update the step to `pipe: bitbucket-pipes/security-gate:1.10.0`, or pin `:1` to follow every 1.x release.\n",
    });
    expect(api.requests).toHaveLength(1);
  });

  it("says nothing when the running version is the newest of its major", async () => {
    const api = await tagsApi(json(tags("1.2.0", "2.0.0")));
    expect(await check(api.url, "1.2.0")).toEqual({ newer: undefined, text: "" });
  });

  it("makes no request with PIPE_VERSION_CHECK=false", async () => {
    const api = await tagsApi(json(tags("9.9.9")));
    expect(await check(api.url, "9.0.0", { env: { PIPE_VERSION_CHECK: "false" } })).toEqual({
      newer: undefined,
      text: "",
    });
    expect(api.requests).toEqual([]);
  });

  it("gives up after its timeout when the API does not answer, leaving only a debug line", async () => {
    const api = await tagsApi(() => undefined);
    const started = Date.now();
    const { newer, text } = await check(api.url, "1.0.0", { debug: true, timeoutMs: 300 });
    expect(newer).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(text).toMatch(/^\[debug\] version check: skipped \(.+\)\n$/);
  });

  it.each([
    ["an HTTP error", (response: ServerResponse) => response.writeHead(503).end()],
    ["an answer that is not a tag list", json({ type: "error", error: { message: "Repository not found" } })],
  ])("is silent on %s without DEBUG", async (_case, answer) => {
    const api = await tagsApi(answer);
    expect(await check(api.url, "1.0.0")).toEqual({ newer: undefined, text: "" });
  });

  it("is silent without a network: nothing listens at the address", async () => {
    const api = await tagsApi(json(tags()));
    server?.close();
    const { newer, text } = await check(api.url, "1.0.0", { debug: true });
    expect(newer).toBeUndefined();
    expect(text).toMatch(/^\[debug\] version check: skipped \(.*ECONNREFUSED.*\)\n$/);
  });
});
