/**
 * What a verified step token must say about where it came from: the claim checks after the
 * signature, issuer, audience and expiry are known to be good. Pure: claims in, problems out.
 */
import picomatch from "picomatch";
import type { ClaimName, StepTokenClaims } from "./claims.ts";
import { sameUuid } from "./issuer.ts";

export interface DeploymentEnvironmentExpectation {
  /** The environment's uuid, with or without braces. */
  uuid?: string;
  /**
   * The environment's name. The token carries only the environment's uuid, so a name is tied to
   * it through `step`: the environment the step itself reports.
   */
  name?: string;
  /** `BITBUCKET_DEPLOYMENT_ENVIRONMENT` (a slug of the name) and `BITBUCKET_DEPLOYMENT_ENVIRONMENT_UUID`. */
  step?: { name?: string | undefined; uuid?: string | undefined };
}

export interface StepTokenExpectations {
  /** The workspace's identity provider URL (`iss`): see `bitbucketIssuer()`. Checked by `verifyStepToken`. */
  issuer: string;
  /**
   * Accepted audiences (`aud`), checked by `verifyStepToken`. Default:
   * `ari:cloud:bitbucket::workspace/<uuid>` of the token's own `workspaceUuid`, which the issuer
   * check pins to the workspace (each workspace is its own issuer).
   */
  audience?: string | readonly string[];
  /** `repositoryUuid` must be this repository. */
  repositoryUuid?: string;
  /** `branchName` must match one of these globs (picomatch), e.g. `main` or `release/*`. */
  branch?: string | readonly string[];
  deploymentEnvironment?: DeploymentEnvironmentExpectation;
  /** `pipelineUuid` must be this pipeline run: a token replayed from another run fails. */
  pipelineUuid?: string;
  /** `stepUuid` must be this step. */
  stepUuid?: string;
}

export interface ClaimProblem {
  claim: ClaimName;
  /** Names claim values only, never the token. */
  message: string;
}

function repositoryProblem(claims: StepTokenClaims, expected: string | undefined): ClaimProblem[] {
  if (expected === undefined || sameUuid(claims.repositoryUuid, expected)) return [];
  return [
    {
      claim: "repositoryUuid",
      message: `the token is for repository ${claims.repositoryUuid}, not ${expected}`,
    },
  ];
}

function branchProblem(
  claims: StepTokenClaims,
  expected: string | readonly string[] | undefined,
): ClaimProblem[] {
  if (expected === undefined) return [];
  const patterns = typeof expected === "string" ? [expected] : [...expected];
  if (patterns.length === 0) return [];
  const wanted = patterns.map((p) => `"${p}"`).join(" or ");
  if (claims.branchName === undefined)
    return [
      {
        claim: "branchName",
        message: `the token names no branch (a tag or custom pipeline), but the branch must match ${wanted}`,
      },
    ];
  // dot: a branch such as release/.hotfix is still a branch to match.
  if (picomatch.isMatch(claims.branchName, patterns, { dot: true })) return [];
  return [{ claim: "branchName", message: `branch "${claims.branchName}" does not match ${wanted}` }];
}

/** Bitbucket's `BITBUCKET_DEPLOYMENT_ENVIRONMENT` is a URL-friendly form of the name. */
function sameEnvironmentName(a: string, b: string): boolean {
  const slug = (name: string) =>
    name
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");
  return slug(a) === slug(b);
}

function environmentProblems(
  claims: StepTokenClaims,
  expected: DeploymentEnvironmentExpectation | undefined,
): ClaimProblem[] {
  if (expected === undefined || (expected.uuid === undefined && expected.name === undefined)) return [];
  const claim = "deploymentEnvironmentUuid";
  const actual = claims.deploymentEnvironmentUuid;
  const wanted = [expected.name && `"${expected.name}"`, expected.uuid].filter(Boolean).join(" ");
  if (actual === undefined)
    return [
      {
        claim,
        message: `the token carries no deployment environment (the step has no \`deployment:\`), but ${wanted} is required`,
      },
    ];
  const problems: ClaimProblem[] = [];
  if (expected.uuid !== undefined && !sameUuid(actual, expected.uuid))
    problems.push({
      claim,
      message: `the token is for deployment environment ${actual}, not ${expected.uuid}`,
    });
  if (expected.name !== undefined) {
    const step = expected.step ?? {};
    if (step.name === undefined || step.uuid === undefined)
      problems.push({
        claim,
        message: `cannot tie the token's deployment environment ${actual} to the name "${expected.name}": the token carries only the uuid, and the step reports no BITBUCKET_DEPLOYMENT_ENVIRONMENT(_UUID)`,
      });
    else if (!sameEnvironmentName(step.name, expected.name))
      problems.push({ claim, message: `the step deploys to "${step.name}", not "${expected.name}"` });
    else if (!sameUuid(step.uuid, actual))
      problems.push({
        claim,
        message: `the token is for deployment environment ${actual}, not the step's "${step.name}" (${step.uuid})`,
      });
  }
  return problems;
}

function runProblem(
  claims: StepTokenClaims,
  claim: "pipelineUuid" | "stepUuid",
  expected: string | undefined,
): ClaimProblem[] {
  if (expected === undefined || sameUuid(claims[claim], expected)) return [];
  const what = claim === "pipelineUuid" ? "pipeline" : "step";
  return [
    { claim, message: `the token was issued to ${what} ${claims[claim]}, not this ${what} ${expected}` },
  ];
}

/**
 * Every claim expectation the claims do not meet, one problem each, in a stable order. Issuer and
 * audience are not among them: a token that fails those is not trusted at all.
 */
export function claimProblems(claims: StepTokenClaims, expected: StepTokenExpectations): ClaimProblem[] {
  return [
    ...repositoryProblem(claims, expected.repositoryUuid),
    ...branchProblem(claims, expected.branch),
    ...environmentProblems(claims, expected.deploymentEnvironment),
    ...runProblem(claims, "pipelineUuid", expected.pipelineUuid),
    ...runProblem(claims, "stepUuid", expected.stepUuid),
  ];
}
