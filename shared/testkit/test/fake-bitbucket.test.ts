import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeBitbucket, startFakeBitbucket } from "../src/fake-bitbucket.ts";

const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: "jwk" }), kid: "test-key-1", alg: "RS256", use: "sig" };

let fake: FakeBitbucket;
beforeAll(async () => {
  fake = await startFakeBitbucket({ oidcKeys: [jwk] });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const commitPath = "/repositories/acme/infrastructure/commit/3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39";

async function api(method: string, apiPath: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${fake.apiUrl}${apiPath}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** A request in the absolute form an HTTP forward proxy receives. */
function throughProxy(
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  const { port } = new URL(fake.url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port, method, path: url, headers: { "content-type": "application/json" } },
      (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => {
          text += chunk.toString("utf8");
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    request.on("error", reject);
    request.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const report = { title: "Security gate", report_type: "SECURITY", result: "FAILED" };

describe("the contract", () => {
  it("answers a request the real API would reject with 400 and the reasons, and records the violation", async () => {
    await api("PUT", `${commitPath}/reports/gate`, report);

    const answer = await api("POST", `${commitPath}/reports/gate/annotations`, [
      { external_id: "a1", annotation_type: "SECURITY_HOLE", summary: "x", severity: "BLOCKER", line: 0 },
    ]);

    expect(answer.status).toBe(400);
    const errors = [
      "body/0/annotation_type must be equal to one of the allowed values: VULNERABILITY, CODE_SMELL, BUG",
      "body/0/line must be >= 1",
      "body/0/severity must be equal to one of the allowed values: CRITICAL, HIGH, MEDIUM, LOW",
    ];
    expect(answer.body.error.data.errors.sort()).toEqual(errors);
    expect(fake.violations).toEqual([
      {
        kind: "request",
        method: "POST",
        path: `${commitPath}/reports/gate/annotations`,
        operationId: "bulkCreateOrUpdateAnnotations",
        errors: expect.arrayContaining(errors),
      },
    ]);
  });

  it("checks path parameters and query parameters", async () => {
    expect((await api("GET", "/repositories/acme/infrastructure/pullrequests/not-a-number")).status).toBe(
      400,
    );
    expect((await api("GET", "/repositories/acme/infrastructure/pipelines?pagelen=500")).status).toBe(400);
    expect(fake.violations.flatMap((v) => v.errors)).toEqual([
      "path parameter pull_request_id must be integer",
      "query parameter pagelen must be <= 100",
    ]);
  });

  it("takes the pagination parameters every collection accepts, declared or not", async () => {
    fake.seed({ pullRequests: [{ id: 1 }] });
    const answer = await api(
      "GET",
      "/repositories/acme/infrastructure/pullrequests/1/comments?pagelen=100&page=1",
    );
    expect(answer.status).toBe(200);
    expect(fake.violations).toEqual([]);
  });

  it("accepts request bodies without `type`, as the API's own samples send them", async () => {
    expect((await api("PUT", `${commitPath}/reports/gate`, report)).status).toBe(200);
    expect(fake.violations).toEqual([]);
  });

  it("enforces the Code Insights limits the API document leaves out", async () => {
    await api("PUT", `${commitPath}/reports/gate`, report);
    const long = await api("POST", `${commitPath}/reports/gate/annotations`, [
      { external_id: "a", annotation_type: "BUG", summary: "s".repeat(451) },
    ]);
    const details = await api("PUT", `${commitPath}/reports/gate`, { ...report, details: "d".repeat(2001) });
    expect([long.status, details.status]).toEqual([400, 400]);

    for (let batch = 0; batch < 10; batch++) {
      const annotations = Array.from({ length: 100 }, (_, i) => ({
        external_id: `a-${batch}-${i}`,
        annotation_type: "BUG",
        summary: "s",
      }));
      expect((await api("POST", `${commitPath}/reports/gate/annotations`, annotations)).status).toBe(200);
    }
    const overflow = await api("POST", `${commitPath}/reports/gate/annotations`, [
      { external_id: "one-too-many", annotation_type: "BUG", summary: "s" },
    ]);
    expect(overflow.status).toBe(400);
    expect(overflow.body.error.message).toMatch(/at most 1000 annotations/);
    expect(fake.reports()[0]?.annotations).toHaveLength(1000);
    expect(fake.violations.map((v) => v.errors)).toEqual([
      ["body/0/summary must NOT have more than 450 characters"],
      ["body/details must NOT have more than 2000 characters"],
      ["more than 1000 annotations on one report"],
    ]);
  });

  it("rejects a body sent without Content-Type: application/json", async () => {
    const answer = await api("PUT", `${commitPath}/reports/gate`, JSON.stringify(report), {
      "content-type": "text/plain",
    });
    expect(answer.status).toBe(400);
    expect(fake.violations[0]?.errors).toEqual([
      'a body was sent with Content-Type "text/plain", not application/json',
    ]);
  });

  it("answers 404 to a path the API does not have, and records it", async () => {
    expect((await api("GET", "/repositories/acme/infrastructure/code-insights")).status).toBe(404);
    expect(fake.violations).toEqual([
      expect.objectContaining({
        kind: "unknown-operation",
        path: "/2.0/repositories/acme/infrastructure/code-insights",
      }),
    ]);
  });

  it("accepts undeclared fields in its answers, such as a step's name and duration", async () => {
    fake.seed({
      steps: [
        {
          pipeline_uuid: "{p1}",
          uuid: "{s1}",
          name: "Plan",
          duration_in_seconds: 42,
          state: { type: "pipeline_step_state_pending", name: "PENDING" },
        },
      ],
    });
    const answer = await api("GET", "/repositories/acme/infrastructure/pipelines/%7Bp1%7D/steps");
    expect(answer.body.values).toEqual([expect.objectContaining({ name: "Plan", duration_in_seconds: 42 })]);
    expect(fake.violations).toEqual([]);
  });

  it("records an answer that breaks the document: seeded data must look like the real API's", async () => {
    fake.seed({ pipelines: [{ uuid: "{p1}", state: { name: "COMPLETED" } }] });
    await api("GET", "/repositories/acme/infrastructure/pipelines/%7Bp1%7D");
    expect(fake.violations).toEqual([
      expect.objectContaining({
        kind: "response",
        errors: ["response/state must have required property 'type'"],
      }),
    ]);
  });
});

describe("state and records", () => {
  it("records method, path, query, body and status of every call", async () => {
    await api("PUT", `${commitPath}/reports/gate?fields=uuid`, report);
    expect(fake.calls).toEqual([
      {
        method: "PUT",
        path: `${commitPath}/reports/gate`,
        query: { fields: "uuid" },
        body: report,
        status: 200,
        operationId: "createOrUpdateReport",
        viaProxy: false,
        auth: "none",
        fault: undefined,
      },
    ]);
  });

  it("pages collections ten at a time by default, with next links", async () => {
    await api("PUT", `${commitPath}/reports/gate`, report);
    const annotations = Array.from({ length: 25 }, (_, i) => ({
      external_id: `a${i}`,
      annotation_type: "BUG",
      summary: "s",
    }));
    await api("POST", `${commitPath}/reports/gate/annotations`, annotations);

    const first = await api("GET", `${commitPath}/reports/gate/annotations`);
    const third = await api("GET", `${new URL(first.body.next).pathname.slice("/2.0".length)}?page=3`);

    expect(first.body).toMatchObject({ size: 25, page: 1, pagelen: 10 });
    expect(first.body.next).toBe(`${fake.apiUrl}${commitPath}/reports/gate/annotations?page=2`);
    expect(third.body.values.map((a: { external_id: string }) => a.external_id)).toEqual([
      "a20",
      "a21",
      "a22",
      "a23",
      "a24",
    ]);
    expect(third.body.next).toBeUndefined();
  });

  it("deletes a report with its annotations", async () => {
    await api("PUT", `${commitPath}/reports/gate`, report);
    expect((await api("DELETE", `${commitPath}/reports/gate`)).status).toBe(204);
    expect((await api("GET", `${commitPath}/reports/gate`)).status).toBe(404);
    expect(fake.reports()).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it("serves the OIDC discovery document and the key set the test provides", async () => {
    const oidc = "/workspaces/acme/pipelines-config/identity/oidc";
    const discovery = await api("GET", `${oidc}/.well-known/openid-configuration`);
    const keys = await api("GET", `${oidc}/keys.json`);

    expect(discovery.body).toMatchObject({
      issuer: fake.oidcIssuer("acme"),
      jwks_uri: `${fake.oidcIssuer("acme")}/keys.json`,
    });
    expect(keys.body).toEqual({ keys: [jwk] });
    fake.setOidcKeys([]);
    expect((await api("GET", `${oidc}/keys.json`)).body).toEqual({ keys: [] });
  });
});

describe("the Pipelines auth proxy", () => {
  it("serves requests in absolute form for http://api.bitbucket.org without credentials", async () => {
    const answer = await throughProxy(
      "PUT",
      `http://api.bitbucket.org/2.0${commitPath}/reports/gate`,
      report,
    );
    expect(answer.status).toBe(200);
    expect(fake.calls[0]).toMatchObject({ viaProxy: true, auth: "none", path: `${commitPath}/reports/gate` });
  });

  it("links to http://api.bitbucket.org in what it serves through the proxy", async () => {
    fake.seed({ pullRequests: [{ id: 1 }] });
    const answer = await throughProxy(
      "GET",
      "http://api.bitbucket.org/2.0/repositories/acme/infrastructure/pullrequests/1",
    );
    expect(JSON.parse(answer.body).links.self.href).toBe(
      "http://api.bitbucket.org/2.0/repositories/acme/infrastructure/pullrequests/1",
    );
  });

  it("refuses to forward anywhere else", async () => {
    const answer = await throughProxy("GET", "http://example.com/2.0/user");
    expect(answer.status).toBe(502);
    expect(fake.violations[0]?.kind).toBe("proxy");
  });
});

describe("credentials", () => {
  it("demands them when told to, except through the proxy", async () => {
    const strict = await startFakeBitbucket({ credentials: { accessTokens: ["good"] } });
    try {
      const put = (auth?: string) =>
        fetch(`${strict.apiUrl}${commitPath}/reports/gate`, {
          method: "PUT",
          headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
          body: JSON.stringify(report),
        }).then((r) => r.status);
      expect([await put(), await put("Bearer bad"), await put("Bearer good")]).toEqual([401, 401, 200]);
    } finally {
      await strict.close();
    }
  });
});

describe("faults", () => {
  it("answers the next N matching requests with 429 and Retry-After, then normally", async () => {
    fake.inject(
      { kind: "rate-limit", retryAfter: 3 },
      { path: "/repositories/*/*/commit/*/reports/*", method: "PUT", times: 2 },
    );
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await api("PUT", `${commitPath}/reports/gate`, report));
    expect(answers.map((a) => [a.status, a.headers.get("retry-after")])).toEqual([
      [429, "3"],
      [429, "3"],
      [200, null],
    ]);
    expect(fake.calls.map((c) => c.fault)).toEqual(["rate-limit", "rate-limit", undefined]);
  });

  it("leaves requests to other paths alone", async () => {
    fake.inject({ kind: "status", status: 500 }, { path: "/repositories/**/annotations" });
    expect((await api("PUT", `${commitPath}/reports/gate`, report)).status).toBe(200);
  });

  it("drops the connection", async () => {
    fake.inject({ kind: "drop" }, { path: /reports/ });
    await expect(api("PUT", `${commitPath}/reports/gate`, report)).rejects.toThrow();
    expect(fake.calls[0]?.status).toBe(0);
  });

  it("delays the answer", async () => {
    fake.inject({ kind: "delay", ms: 300 }, { path: /reports/ });
    const started = Date.now();
    expect((await api("PUT", `${commitPath}/reports/gate`, report)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe("as a separate process", () => {
  it("prints its URL, is driven through its control API, and exits 0 without violations", async () => {
    const cli = path.join(import.meta.dirname, "../src/fake-bitbucket-cli.ts");
    const child = spawn(process.execPath, [cli, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const [url] = await new Promise<string[]>((resolve) =>
        createInterface({ input: child.stdout }).once("line", (line) => resolve([line])),
      );
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      const put = await fetch(`${url}/2.0${commitPath}/reports/gate`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(report),
      });
      const calls = await fetch(`${url}/_fake/calls`).then((r) => r.json());

      expect(put.status).toBe(200);
      expect(calls).toEqual([expect.objectContaining({ method: "PUT", status: 200 })]);
    } finally {
      const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exit).toBe(0);
    }
  });
});
