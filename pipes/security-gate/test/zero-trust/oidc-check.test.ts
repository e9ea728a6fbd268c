import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWTPayload, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { checkOidc, oidcCheckSettings } from "../../src/zero-trust/oidc-check.ts";

const WORKSPACE_UUID = "{0b1f6ab3-5a5c-4f7e-9b59-2d1a8c6f0e11}";
const REPOSITORY_UUID = "{6f3c2a9e-8d41-4b7a-a1c2-5e9f0d3b7c44}";
const PIPELINE_UUID = "{a8e2c1d4-2f5b-4e6a-9c3d-7b1e0f2a4d55}";
const STEP_UUID = "{c4d5e6f7-1a2b-4c3d-8e9f-0a1b2c3d4e66}";
const PRODUCTION_UUID = "{e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a77}";
const ISSUER = "https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";
const NOW = new Date("2026-03-01T12:00:00Z");
const at = (offsetSeconds: number) => Math.floor(NOW.getTime() / 1000) + offsetSeconds;

let jwks: JSONWebKeySet;
let sign: (claims: JWTPayload) => Promise<string>;
beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256" }] };
  sign = (claims) => new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k1" }).sign(privateKey);
});

/** The claims Bitbucket puts in the token of a deployment step on main. */
const claims = (overrides: JWTPayload = {}): JWTPayload => ({
  iss: ISSUER,
  aud: "ari:cloud:bitbucket::workspace/0b1f6ab3-5a5c-4f7e-9b59-2d1a8c6f0e11",
  sub: `${REPOSITORY_UUID}:${PRODUCTION_UUID}:${STEP_UUID}`,
  iat: at(-60),
  exp: at(3540),
  accountUuid: "{11111111-2222-4333-8444-555555555555}",
  workspaceUuid: WORKSPACE_UUID,
  repositoryUuid: REPOSITORY_UUID,
  pipelineUuid: PIPELINE_UUID,
  stepUuid: STEP_UUID,
  deploymentEnvironmentUuid: PRODUCTION_UUID,
  branchName: "main",
  ...overrides,
});

/** The step's own Bitbucket variables, as bitbucketContext() reads them. */
const step = (oidcToken: string | undefined) => ({
  oidcToken,
  workspace: "acme",
  repoUuid: REPOSITORY_UUID,
  pipelineUuid: PIPELINE_UUID,
  stepUuid: STEP_UUID,
  deploymentEnvironment: "production",
  deploymentEnvironmentUuid: PRODUCTION_UUID,
});

const check = async (token: string | undefined, variables = {}) =>
  checkOidc(oidcCheckSettings({ OIDC: true, ...variables }, step(token)), { jwks, now: NOW });

describe("the OIDC check of the security gate", () => {
  it("passes a valid token of this repository, branch and deployment environment", async () => {
    const result = await check(await sign(claims()), {
      OIDC_BRANCH_PATTERN: "main",
      OIDC_DEPLOYMENT_ENVIRONMENT: "Production",
    });
    expect(result).toEqual({
      name: "oidc",
      status: "pass",
      message: `The step's OIDC token is valid and comes from repository ${REPOSITORY_UUID}, branch main, deployment environment ${PRODUCTION_UUID}`,
      details: [],
    });
  });

  it("fails an expired token", async () => {
    const result = await check(await sign(claims({ iat: at(-7200), exp: at(-3600) })));
    expect(result).toMatchObject({
      status: "fail",
      message: "The step's OIDC token is refused: the OIDC token expired at 2026-03-01T11:00:00.000Z",
      details: ["Step tokens are short-lived: use the token of the running step, not one saved earlier."],
    });
  });

  it("fails a token of another repository, defaulting the expected one to BITBUCKET_REPO_UUID", async () => {
    const other = "{99999999-0000-4000-8000-000000000000}";
    const result = await check(await sign(claims({ repositoryUuid: other })));
    expect(result).toEqual({
      name: "oidc",
      status: "fail",
      message: "The step's OIDC token is valid but does not meet an expectation",
      details: [`the token is for repository ${other}, not ${REPOSITORY_UUID}`],
    });
  });

  it("fails a token copied from another pipeline run", async () => {
    const result = await check(await sign(claims({ pipelineUuid: "{0000}", stepUuid: "{1111}" })));
    expect(result.details).toEqual([
      `the token was issued to pipeline {0000}, not this pipeline ${PIPELINE_UUID}`,
      `the token was issued to step {1111}, not this step ${STEP_UUID}`,
    ]);
  });

  it("fails a branch or deployment environment other than the expected ones", async () => {
    const result = await check(await sign(claims({ branchName: "feature/x" })), {
      OIDC_BRANCH_PATTERN: "release/*",
      OIDC_DEPLOYMENT_ENVIRONMENT: "{12345678-0000-4000-8000-000000000000}",
    });
    expect(result.details).toEqual([
      'branch "feature/x" does not match "release/*"',
      `the token is for deployment environment ${PRODUCTION_UUID}, not {12345678-0000-4000-8000-000000000000}`,
    ]);
  });

  it("tells how to get a token when the step has none", async () => {
    expect(await check(undefined)).toEqual({
      name: "oidc",
      status: "fail",
      message:
        "OIDC is on, but the step has no OIDC token: add `oidc: true` to the step in bitbucket-pipelines.yml",
      details: [],
    });
  });

  it("fails when it cannot tell which workspace's issuer to trust", async () => {
    const settings = oidcCheckSettings(
      { OIDC: true },
      { ...step(await sign(claims())), workspace: undefined },
    );
    expect((await checkOidc(settings, { jwks, now: NOW })).message).toBe(
      "Cannot verify the OIDC token: the issuer is unknown: BITBUCKET_WORKSPACE is not set (or set OIDC_ISSUER_URL)",
    );
  });

  it("is skipped when OIDC is off", async () => {
    const result = await checkOidc(oidcCheckSettings({}, step(undefined)), { jwks, now: NOW });
    expect(result.status).toBe("skipped");
  });

  it("verifies against OIDC_ISSUER_URL when it is given", async () => {
    const issuer = "https://idp.test.example/oidc";
    expect((await check(await sign(claims({ iss: issuer })), { OIDC_ISSUER_URL: issuer })).status).toBe(
      "pass",
    );
    expect((await check(await sign(claims({ iss: issuer })))).message).toBe(
      `The step's OIDC token is refused: the OIDC token was issued by ${issuer}, not ${ISSUER}`,
    );
  });
});
