import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { JSONWebKeySet } from "jose";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { InvalidStepTokenError } from "../src/invalid-token.ts";
import { bitbucketIssuer } from "../src/issuer.ts";
import { verifyStepToken } from "../src/verify.ts";
import {
  type IdentityProvider,
  ISSUER,
  identityProvider,
  NOW,
  PRODUCTION_UUID,
  REPOSITORY_UUID,
  stepClaims,
} from "./step-token-fixture.ts";

let bitbucket: IdentityProvider;
let stranger: IdentityProvider;
beforeAll(async () => {
  bitbucket = await identityProvider();
  stranger = await identityProvider("bitbucket-key-1");
});

const expectations = { issuer: ISSUER, repositoryUuid: REPOSITORY_UUID };

async function refusal(token: string, expected = expectations, now = NOW): Promise<InvalidStepTokenError> {
  const error = await verifyStepToken(token, expected, { jwks: bitbucket.jwks, now }).catch(
    (e: unknown) => e,
  );
  if (!(error instanceof InvalidStepTokenError)) throw new Error(`expected a refusal, got ${String(error)}`);
  expect(error.message).not.toContain(token);
  return error;
}

describe("verifying a Bitbucket Pipelines step token", () => {
  it("accepts a token of the workspace's issuer and returns its claims with no problems", async () => {
    const token = await bitbucket.sign();
    const { claims, problems } = await verifyStepToken(token, expectations, {
      jwks: bitbucket.jwks,
      now: NOW,
    });
    expect(problems).toEqual([]);
    expect(claims).toMatchObject({
      repositoryUuid: REPOSITORY_UUID,
      deploymentEnvironmentUuid: PRODUCTION_UUID,
      branchName: "main",
    });
  });

  it("refuses an expired token and says when it expired", async () => {
    const token = await bitbucket.sign(stepClaims({ exp: Math.floor(NOW.getTime() / 1000) - 120 }));
    const error = await refusal(token);
    expect(error.reason).toBe("expired");
    expect(error.message).toBe("the OIDC token expired at 2026-03-01T11:58:00.000Z");
  });

  it("tolerates a minute of clock skew", async () => {
    const token = await bitbucket.sign(stepClaims({ exp: Math.floor(NOW.getTime() / 1000) - 30 }));
    await expect(
      verifyStepToken(token, expectations, { jwks: bitbucket.jwks, now: NOW }),
    ).resolves.toBeDefined();
  });

  it("refuses a token of another workspace's issuer", async () => {
    const token = await bitbucket.sign(stepClaims({ iss: bitbucketIssuer("someone-else") }));
    const error = await refusal(token);
    expect(error.reason).toBe("issuer");
    expect(error.message).toBe(
      "the OIDC token was issued by https://api.bitbucket.org/2.0/workspaces/someone-else/pipelines-config/identity/oidc, not https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc",
    );
  });

  it("refuses a token whose audience is not the workspace's", async () => {
    const token = await bitbucket.sign(stepClaims({ aud: "https://vault.example.com" }));
    const error = await refusal(token);
    expect(error.reason).toBe("audience");
    expect(error.message).toBe(
      'the OIDC token\'s audience "https://vault.example.com" is not "ari:cloud:bitbucket::workspace/0b1f6ab3-5a5c-4f7e-9b59-2d1a8c6f0e11"',
    );
  });

  it("accepts a custom audience when it is the expected one, among several the step requested", async () => {
    const token = await bitbucket.sign(
      stepClaims({ aud: ["api://AzureADTokenExchange", "sts.amazonaws.com"] }),
    );
    const verified = await verifyStepToken(
      token,
      { ...expectations, audience: "sts.amazonaws.com" },
      { jwks: bitbucket.jwks, now: NOW },
    );
    expect(verified.problems).toEqual([]);
  });

  it("refuses a token signed by another key under the same key id", async () => {
    const error = await refusal(await stranger.sign());
    expect(error.reason).toBe("signature");
    expect(error.message).toBe("the OIDC token's signature does not verify");
  });

  it("refuses a token signed by a key the issuer does not publish", async () => {
    const error = await refusal(await stranger.sign(stepClaims(), { kid: "forged-key" }));
    expect(error.reason).toBe("signature");
    expect(error.message).toBe("the OIDC token was signed by a key the issuer does not publish");
  });

  it("refuses a signed JWT that is not a Pipelines step token", async () => {
    const token = await bitbucket.sign(stepClaims({ repositoryUuid: undefined, stepUuid: undefined }));
    const error = await refusal(token);
    expect(error.reason).toBe("malformed");
    expect(error.message).toBe(
      "the OIDC token is not a Bitbucket Pipelines step token: repositoryUuid, stepUuid are missing or invalid",
    );
  });

  it("refuses text that is not a JWT", async () => {
    expect((await refusal("not-a-token")).reason).toBe("malformed");
  });

  it("reports each unmet claim expectation separately", async () => {
    const token = await bitbucket.sign(
      stepClaims({ branchName: "feature/login", deploymentEnvironmentUuid: undefined }),
    );
    const { problems } = await verifyStepToken(
      token,
      {
        issuer: ISSUER,
        repositoryUuid: "{99999999-0000-4000-8000-000000000000}",
        branch: "main",
        deploymentEnvironment: { uuid: PRODUCTION_UUID },
      },
      { jwks: bitbucket.jwks, now: NOW },
    );
    expect(problems).toEqual([
      {
        claim: "repositoryUuid",
        message: `the token is for repository ${REPOSITORY_UUID}, not {99999999-0000-4000-8000-000000000000}`,
      },
      { claim: "branchName", message: 'branch "feature/login" does not match "main"' },
      {
        claim: "deploymentEnvironmentUuid",
        message: `the token carries no deployment environment (the step has no \`deployment:\`), but ${PRODUCTION_UUID} is required`,
      },
    ]);
  });
});

describe("fetching the issuer's keys", () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  async function serveKeys(jwks: JSONWebKeySet | undefined): Promise<string> {
    server = createServer((request, response) => {
      if (jwks === undefined || request.url !== "/keys.json") {
        response.writeHead(503).end();
        return;
      }
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys.json`;
  }

  it("verifies against the JWKS published at the keys URL", async () => {
    const jwksUrl = await serveKeys(bitbucket.jwks);
    const verified = await verifyStepToken(await bitbucket.sign(), expectations, { jwksUrl, now: NOW });
    expect(verified.problems).toEqual([]);
  });

  it("says the keys could not be fetched, rather than blaming the token", async () => {
    const jwksUrl = await serveKeys(undefined);
    const error = await verifyStepToken(await bitbucket.sign(), expectations, { jwksUrl, now: NOW }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidStepTokenError);
    expect(error).toMatchObject({
      reason: "keys-unavailable",
      code: "OIDC_KEYS_UNAVAILABLE",
      message: `the issuer's keys could not be fetched from ${jwksUrl}`,
    });
  });
});
