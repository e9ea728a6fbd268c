/**
 * The OIDC check: the step's BITBUCKET_STEP_OIDC_TOKEN must verify against the workspace's
 * identity provider and say it comes from this repository (and, when asked, branch and deployment
 * environment). A token that cannot be verified fails: zero trust means unverified is untrusted.
 */
import type { BitbucketContext } from "@pipes/core";
import {
  bitbucketIssuer,
  InvalidStepTokenError,
  type StepTokenClaims,
  type StepTokenExpectations,
  type StepTokenKeys,
  verifyStepToken,
} from "@pipes/oidc";
import type { ZeroTrustCheck } from "../gate.ts";

export interface OidcVariables {
  OIDC?: boolean | undefined;
  OIDC_AUDIENCE?: string | undefined;
  OIDC_BRANCH_PATTERN?: string | undefined;
  OIDC_DEPLOYMENT_ENVIRONMENT?: string | undefined;
  OIDC_ISSUER_URL?: string | undefined;
  /** Expected repository; default BITBUCKET_REPO_UUID. */
  OIDC_REPOSITORY_UUID?: string | undefined;
}

export type OidcCheckSettings =
  | { enabled: false }
  | { enabled: true; token: string | undefined; expectations: StepTokenExpectations }
  /** On, but the token cannot be verified for want of something: said in `unverifiable`. */
  | { enabled: true; token: string | undefined; unverifiable: string };

const UUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;

function environmentExpectation(
  value: string | undefined,
  context: Pick<BitbucketContext, "deploymentEnvironment" | "deploymentEnvironmentUuid">,
): StepTokenExpectations["deploymentEnvironment"] {
  if (value === undefined) return undefined;
  if (UUID.test(value.trim())) return { uuid: value.trim() };
  return {
    name: value,
    step: { name: context.deploymentEnvironment, uuid: context.deploymentEnvironmentUuid },
  };
}

/** What the check expects, from the pipe's variables and the step's own Bitbucket variables. Pure. */
export function oidcCheckSettings(
  variables: OidcVariables,
  context: Pick<
    BitbucketContext,
    | "oidcToken"
    | "workspace"
    | "repoUuid"
    | "pipelineUuid"
    | "stepUuid"
    | "deploymentEnvironment"
    | "deploymentEnvironmentUuid"
  >,
): OidcCheckSettings {
  if (!variables.OIDC) return { enabled: false };
  const issuer =
    variables.OIDC_ISSUER_URL ??
    (context.workspace === undefined ? undefined : bitbucketIssuer(context.workspace));
  if (issuer === undefined)
    return {
      enabled: true,
      token: context.oidcToken,
      unverifiable: "the issuer is unknown: BITBUCKET_WORKSPACE is not set (or set OIDC_ISSUER_URL)",
    };
  return {
    enabled: true,
    token: context.oidcToken,
    expectations: {
      issuer,
      audience: variables.OIDC_AUDIENCE,
      repositoryUuid: variables.OIDC_REPOSITORY_UUID ?? context.repoUuid,
      branch: variables.OIDC_BRANCH_PATTERN,
      deploymentEnvironment: environmentExpectation(variables.OIDC_DEPLOYMENT_ENVIRONMENT, context),
      // A token is bound to the run and step it was issued to: one copied from another run fails.
      pipelineUuid: context.pipelineUuid,
      stepUuid: context.stepUuid,
    },
  };
}

function verifiedMessage(claims: StepTokenClaims): string {
  const parts = [`repository ${claims.repositoryUuid}`];
  if (claims.branchName !== undefined) parts.push(`branch ${claims.branchName}`);
  if (claims.deploymentEnvironmentUuid !== undefined)
    parts.push(`deployment environment ${claims.deploymentEnvironmentUuid}`);
  return `The step's OIDC token is valid and comes from ${parts.join(", ")}`;
}

export async function checkOidc(
  settings: OidcCheckSettings,
  options: StepTokenKeys & { now: Date },
): Promise<ZeroTrustCheck> {
  if (!settings.enabled)
    return {
      name: "oidc",
      status: "skipped",
      message: "The step's OIDC token is not checked (OIDC is off)",
      details: [],
    };
  if (settings.token === undefined)
    return {
      name: "oidc",
      status: "fail",
      message:
        "OIDC is on, but the step has no OIDC token: add `oidc: true` to the step in bitbucket-pipelines.yml",
      details: [],
    };
  if ("unverifiable" in settings)
    return {
      name: "oidc",
      status: "fail",
      message: `Cannot verify the OIDC token: ${settings.unverifiable}`,
      details: [],
    };
  try {
    const { claims, problems } = await verifyStepToken(settings.token, settings.expectations, options);
    if (problems.length === 0)
      return { name: "oidc", status: "pass", message: verifiedMessage(claims), details: [] };
    return {
      name: "oidc",
      status: "fail",
      message: `The step's OIDC token is valid but does not meet ${problems.length === 1 ? "an expectation" : `${problems.length} expectations`}`,
      details: problems.map((problem) => problem.message),
    };
  } catch (error) {
    if (!(error instanceof InvalidStepTokenError)) throw error;
    return {
      name: "oidc",
      status: "fail",
      message: `The step's OIDC token is refused: ${error.message}`,
      details: error.suggestion === undefined ? [] : [error.suggestion],
    };
  }
}
