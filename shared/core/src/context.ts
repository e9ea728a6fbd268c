/**
 * A typed view of the variables Bitbucket Pipelines sets for every step
 * (https://support.atlassian.com/bitbucket-cloud/docs/variables-and-secrets/). Read when called.
 */
import path from "node:path";
import { type Env, envFlag } from "./env.ts";

export interface BitbucketContext {
  ci: boolean;
  workspace: string | undefined;
  repoSlug: string | undefined;
  repoUuid: string | undefined;
  repoFullName: string | undefined;
  commit: string | undefined;
  branch: string | undefined;
  tag: string | undefined;
  prId: number | undefined;
  prDestinationBranch: string | undefined;
  buildNumber: number | undefined;
  pipelineUuid: string | undefined;
  stepUuid: string | undefined;
  /** The clone directory: the pipe's working directory. */
  cloneDir: string;
  deploymentEnvironment: string | undefined;
  deploymentEnvironmentUuid: string | undefined;
  /** Set only on steps with `oidc: true`. Secret. */
  oidcToken: string | undefined;
  /** Private storage of this pipe, kept between its runs in the same step. */
  pipeStorageDir: string;
  /** Storage shared by every pipe of the step: where results for later pipes go. */
  pipeSharedStorageDir: string;
  /** Where the Bitbucket API is reached without credentials from inside a step (Pipelines proxy). */
  gitHttpOrigin: string | undefined;
}

function optionalInt(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isInteger(n) ? n : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

export function bitbucketContext(env: Env, cwd: string = process.cwd()): BitbucketContext {
  const cloneDir = nonEmpty(env.BITBUCKET_CLONE_DIR) ?? cwd;
  const workspace = nonEmpty(env.BITBUCKET_WORKSPACE) ?? nonEmpty(env.BITBUCKET_REPO_OWNER);
  const repoSlug = nonEmpty(env.BITBUCKET_REPO_SLUG);
  return {
    ci: envFlag(env, "CI"),
    workspace,
    repoSlug,
    repoUuid: nonEmpty(env.BITBUCKET_REPO_UUID),
    repoFullName:
      nonEmpty(env.BITBUCKET_REPO_FULL_NAME) ??
      (workspace && repoSlug ? `${workspace}/${repoSlug}` : undefined),
    commit: nonEmpty(env.BITBUCKET_COMMIT),
    branch: nonEmpty(env.BITBUCKET_BRANCH),
    tag: nonEmpty(env.BITBUCKET_TAG),
    prId: optionalInt(env.BITBUCKET_PR_ID),
    prDestinationBranch: nonEmpty(env.BITBUCKET_PR_DESTINATION_BRANCH),
    buildNumber: optionalInt(env.BITBUCKET_BUILD_NUMBER),
    pipelineUuid: nonEmpty(env.BITBUCKET_PIPELINE_UUID),
    stepUuid: nonEmpty(env.BITBUCKET_STEP_UUID),
    cloneDir,
    deploymentEnvironment: nonEmpty(env.BITBUCKET_DEPLOYMENT_ENVIRONMENT),
    deploymentEnvironmentUuid: nonEmpty(env.BITBUCKET_DEPLOYMENT_ENVIRONMENT_UUID),
    oidcToken: nonEmpty(env.BITBUCKET_STEP_OIDC_TOKEN),
    pipeStorageDir:
      nonEmpty(env.BITBUCKET_PIPE_STORAGE_DIR) ??
      path.join(cloneDir, ".bitbucket/pipelines/generated/pipeline/pipes"),
    pipeSharedStorageDir:
      nonEmpty(env.BITBUCKET_PIPE_SHARED_STORAGE_DIR) ??
      path.join(cloneDir, ".bitbucket/pipelines/generated/pipeline/pipes"),
    gitHttpOrigin: nonEmpty(env.BITBUCKET_GIT_HTTP_ORIGIN),
  };
}
