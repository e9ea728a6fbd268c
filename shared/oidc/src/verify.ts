/**
 * Verifying a Bitbucket Pipelines step token with jose: the signature against the workspace
 * issuer's JWKS, then issuer, audience and expiry (with a small clock tolerance), then the claim
 * expectations. A token that cannot be trusted throws InvalidStepTokenError; a trusted token that
 * does not meet the expectations returns its problems, so a caller can report all of them at once.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  jwtVerify,
} from "jose";
import { audiences, type StepTokenClaims, stepTokenClaimsSchema } from "./claims.ts";
import { type ClaimProblem, claimProblems, type StepTokenExpectations } from "./expectations.ts";
import { InvalidStepTokenError } from "./invalid-token.ts";
import { bitbucketDefaultAudience, bitbucketJwksUrl } from "./issuer.ts";

export type StepTokenKeys =
  /** Fetched (and cached by jose) from this URL; default `<issuer>/keys.json`. */
  | { jwksUrl?: string; jwks?: never }
  /** A key set at hand, e.g. in tests. */
  | { jwks: JSONWebKeySet; jwksUrl?: never };

export type VerifyOptions = StepTokenKeys & {
  now: Date;
  /** Allowed clock skew between Bitbucket and this machine. Default 60. */
  clockToleranceSeconds?: number;
  /** Time limit for fetching the JWKS. Default 10 000. */
  jwksTimeoutMs?: number;
};

export interface StepTokenVerification {
  claims: StepTokenClaims;
  /** Empty when every expectation is met. */
  problems: ClaimProblem[];
}

/** Bitbucket signs step tokens with RS256; refusing other algorithms closes alg-confusion attacks. */
const ALGORITHMS = ["RS256"];

/** Marks a failure to get the keys, as opposed to a token no key verifies. */
class KeysUnavailable extends Error {}

function keyResolver(expected: StepTokenExpectations, options: VerifyOptions): JWTVerifyGetKey {
  if (options.jwks) return createLocalJWKSet(options.jwks);
  const url = options.jwksUrl ?? bitbucketJwksUrl(expected.issuer);
  const remote = createRemoteJWKSet(new URL(url), { timeoutDuration: options.jwksTimeoutMs ?? 10_000 });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
        throw error;
      throw new KeysUnavailable(`the issuer's keys could not be fetched from ${url}`, { cause: error });
    }
  };
}

function refusal(error: unknown, expected: StepTokenExpectations): InvalidStepTokenError {
  const cause = { cause: error };
  if (error instanceof InvalidStepTokenError) return error;
  if (error instanceof KeysUnavailable)
    return new InvalidStepTokenError("keys-unavailable", error.message, cause);
  if (error instanceof errors.JWTExpired) {
    const exp = Number(error.payload.exp);
    const when = Number.isFinite(exp) ? ` at ${new Date(exp * 1000).toISOString()}` : "";
    return new InvalidStepTokenError("expired", `the OIDC token expired${when}`, cause);
  }
  if (error instanceof errors.JWKSNoMatchingKey)
    return new InvalidStepTokenError(
      "signature",
      "the OIDC token was signed by a key the issuer does not publish",
      cause,
    );
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new InvalidStepTokenError("signature", "the OIDC token's signature does not verify", cause);
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new InvalidStepTokenError(
      "signature",
      `the OIDC token is not signed with ${ALGORITHMS.join(", ")}`,
      cause,
    );
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "iss")
      return new InvalidStepTokenError(
        "issuer",
        `the OIDC token was issued by ${String(error.payload.iss ?? "no issuer")}, not ${expected.issuer}`,
        cause,
      );
    if (error.claim === "nbf")
      return new InvalidStepTokenError("not-yet-valid", "the OIDC token is not valid yet", cause);
    return new InvalidStepTokenError(
      "malformed",
      `the OIDC token's "${error.claim}" claim is invalid`,
      cause,
    );
  }
  return new InvalidStepTokenError("malformed", "the OIDC token is not a valid signed JWT", cause);
}

function checkAudience(claims: StepTokenClaims, expected: StepTokenExpectations): void {
  const accepted =
    expected.audience === undefined
      ? [bitbucketDefaultAudience(claims.workspaceUuid)]
      : typeof expected.audience === "string"
        ? [expected.audience]
        : [...expected.audience];
  const actual = audiences(claims);
  if (actual.some((aud) => accepted.includes(aud))) return;
  throw new InvalidStepTokenError(
    "audience",
    `the OIDC token's audience ${actual.map((a) => `"${a}"`).join(", ")} is not ${accepted.map((a) => `"${a}"`).join(" or ")}`,
  );
}

/**
 * Verifies `token` (never logged or echoed): signature, issuer, audience and expiry, then the
 * claim expectations.
 * @throws InvalidStepTokenError when the token cannot be trusted: `reason` says why.
 */
export async function verifyStepToken(
  token: string,
  expected: StepTokenExpectations,
  options: VerifyOptions,
): Promise<StepTokenVerification> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token.trim(), keyResolver(expected, options), {
      issuer: expected.issuer,
      algorithms: ALGORITHMS,
      currentDate: options.now,
      clockTolerance: options.clockToleranceSeconds ?? 60,
      requiredClaims: ["exp", "iat"],
    }));
  } catch (error) {
    throw refusal(error, expected);
  }
  const parsed = stepTokenClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    const missing = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))];
    throw new InvalidStepTokenError(
      "malformed",
      `the OIDC token is not a Bitbucket Pipelines step token: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing or invalid`,
    );
  }
  checkAudience(parsed.data, expected);
  return { claims: parsed.data, problems: claimProblems(parsed.data, expected) };
}
