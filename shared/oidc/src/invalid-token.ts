/**
 * Why a step token was refused before any claim was looked at. The message names the reason and
 * the claim values involved, never the token itself.
 */
import { PipeError } from "@pipes/core";

export const InvalidTokenReason = {
  /** Not a JWT, or not a Bitbucket step token (a required claim is missing). */
  malformed: "malformed",
  /** The signature does not verify, or no key of the issuer's JWKS signed it. */
  signature: "signature",
  expired: "expired",
  notYetValid: "not-yet-valid",
  issuer: "issuer",
  audience: "audience",
  /** The issuer's keys could not be fetched, so nothing could be verified. */
  keysUnavailable: "keys-unavailable",
} as const;
export type InvalidTokenReason = (typeof InvalidTokenReason)[keyof typeof InvalidTokenReason];

const suggestions: Record<InvalidTokenReason, string> = {
  malformed: "Pass the step's BITBUCKET_STEP_OIDC_TOKEN unchanged (the step needs `oidc: true`).",
  signature:
    "The token was not signed by this workspace's identity provider: check the issuer URL, and that the token is this step's BITBUCKET_STEP_OIDC_TOKEN.",
  expired: "Step tokens are short-lived: use the token of the running step, not one saved earlier.",
  "not-yet-valid": "The clock of this machine is behind: check its time.",
  issuer:
    "The token comes from another workspace or provider: check the workspace, or the issuer URL (Repository settings → Pipelines → OpenID Connect).",
  audience:
    "Set the expected audience to the one the step requests (`oidc: audiences:` in bitbucket-pipelines.yml), or remove the custom audience.",
  "keys-unavailable":
    "Check that the issuer's keys.json is reachable from the step, then run the step again.",
};

export class InvalidStepTokenError extends PipeError {
  readonly reason: InvalidTokenReason;

  constructor(reason: InvalidTokenReason, message: string, options: { cause?: unknown } = {}) {
    super(message, {
      code: reason === "keys-unavailable" ? "OIDC_KEYS_UNAVAILABLE" : "OIDC_TOKEN_INVALID",
      suggestion: suggestions[reason],
      cause: options.cause,
    });
    this.name = "InvalidStepTokenError";
    this.reason = reason;
  }
}
