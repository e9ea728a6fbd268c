/**
 * Which repository, commit or pull request a call is about, read from the step's context, and the API
 * paths below it with every segment encoded (UUIDs come in braces, branch names hold slashes).
 */
import { type BitbucketContext, InputError } from "@pipes/core";

export interface RepositoryRef {
  /** Workspace slug or `{uuid}`. */
  workspace: string;
  /** Repository slug or `{uuid}`. */
  repoSlug: string;
}

export interface CommitRef extends RepositoryRef {
  /** The full commit hash. */
  commit: string;
}

export interface PullRequestRef extends RepositoryRef {
  prId: number;
}

export function repositoryFromContext(context: BitbucketContext): RepositoryRef {
  const { workspace, repoSlug } = context;
  if (!workspace || !repoSlug) {
    throw new InputError(
      "The repository is unknown: BITBUCKET_WORKSPACE or BITBUCKET_REPO_SLUG is not set.",
      {
        suggestion: "Run the pipe in Bitbucket Pipelines, or set both variables when running it elsewhere.",
      },
    );
  }
  return { workspace, repoSlug };
}

export function commitFromContext(context: BitbucketContext): CommitRef {
  const repository = repositoryFromContext(context);
  if (!context.commit) {
    throw new InputError("The commit is unknown: BITBUCKET_COMMIT is not set.", {
      suggestion: "Run the pipe in Bitbucket Pipelines, or set BITBUCKET_COMMIT to the full commit hash.",
    });
  }
  return { ...repository, commit: context.commit };
}

/** The pull request the step builds, or undefined outside a pull-request pipeline. */
export function pullRequestFromContext(context: BitbucketContext): PullRequestRef | undefined {
  return context.prId === undefined ? undefined : { ...repositoryFromContext(context), prId: context.prId };
}

/** `/repositories/{workspace}/{repo_slug}/...segments`, each segment encoded. */
export function repositoryPath(
  repository: RepositoryRef,
  ...segments: ReadonlyArray<string | number>
): string {
  return ["", "repositories", repository.workspace, repository.repoSlug, ...segments]
    .map((segment) => encodeURIComponent(String(segment)))
    .join("/");
}
