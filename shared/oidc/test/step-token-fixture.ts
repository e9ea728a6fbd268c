/**
 * A stand-in for a workspace's Bitbucket identity provider: an RS256 key pair, its JWKS, and step
 * tokens carrying the claims Bitbucket puts in BITBUCKET_STEP_OIDC_TOKEN.
 */
import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWTPayload, SignJWT } from "jose";
import { bitbucketIssuer } from "../src/issuer.ts";

export const WORKSPACE = "acme";
export const ISSUER = bitbucketIssuer(WORKSPACE);
export const WORKSPACE_UUID = "{0b1f6ab3-5a5c-4f7e-9b59-2d1a8c6f0e11}";
export const REPOSITORY_UUID = "{6f3c2a9e-8d41-4b7a-a1c2-5e9f0d3b7c44}";
export const PIPELINE_UUID = "{a8e2c1d4-2f5b-4e6a-9c3d-7b1e0f2a4d55}";
export const STEP_UUID = "{c4d5e6f7-1a2b-4c3d-8e9f-0a1b2c3d4e66}";
export const PRODUCTION_UUID = "{e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a77}";
export const DEFAULT_AUDIENCE = "ari:cloud:bitbucket::workspace/0b1f6ab3-5a5c-4f7e-9b59-2d1a8c6f0e11";

/** Noon UTC, 1 March 2026: every token's clock. */
export const NOW = new Date("2026-03-01T12:00:00Z");
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export function stepClaims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: ISSUER,
    aud: DEFAULT_AUDIENCE,
    sub: `${REPOSITORY_UUID}:${PRODUCTION_UUID}:${STEP_UUID}`,
    iat: seconds(NOW) - 60,
    exp: seconds(NOW) + 3540,
    accountUuid: "{11111111-2222-4333-8444-555555555555}",
    workspaceUuid: WORKSPACE_UUID,
    repositoryUuid: REPOSITORY_UUID,
    pipelineUuid: PIPELINE_UUID,
    stepUuid: STEP_UUID,
    deploymentEnvironmentUuid: PRODUCTION_UUID,
    branchName: "main",
    ...overrides,
  };
}

export interface IdentityProvider {
  jwks: JSONWebKeySet;
  /** A token signed by this provider; claims with `undefined` are left out. */
  sign(claims?: JWTPayload, header?: { kid?: string }): Promise<string>;
}

export async function identityProvider(kid = "bitbucket-key-1"): Promise<IdentityProvider> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  return {
    jwks: { keys: [jwk] },
    sign: (claims = stepClaims(), header = {}) => {
      const defined = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
      return new SignJWT(defined)
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid, ...header })
        .sign(privateKey);
    },
  };
}
