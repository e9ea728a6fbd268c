import { beforeAll, describe, expect, it } from "vitest";
// The step token as @pipes/oidc's own tests model it: the same claims, issuer and signing key setup.
import {
  stepClaims as claims,
  type IdentityProvider,
  ISSUER,
  identityProvider,
  NOW,
  PIPELINE_UUID,
  PRODUCTION_UUID,
  REPOSITORY_UUID,
  STEP_UUID,
} from "../../../../shared/oidc/test/step-token-fixture.ts";
import { checkOidc, oidcCheckSettings } from "../../src/zero-trust/oidc-check.ts";

const at = (offsetSeconds: number) => Math.floor(NOW.getTime() / 1000) + offsetSeconds;

let jwks: IdentityProvider["jwks"];
let sign: IdentityProvider["sign"];
beforeAll(async () => {
  ({ jwks, sign } = await identityProvider());
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
