/**
 * How every pipe reaches the Bitbucket API: the same four variables (an access token, or a user
 * with an app password / API token, else the Pipelines proxy; an API URL for tests and proxies), the
 * client made from them (endpoints overridable through the environment), and the one way a pipe
 * publishes its Code Insights report and sticky PR comment.
 */
import { type BitbucketContext, type Env, type Logger, v } from "@pipes/core";
import { type BitbucketClient, createBitbucketClient } from "./client.ts";
import type { InsightAnnotation, InsightReport } from "./code-insights.ts";
import { upsertStickyComment } from "./comments.ts";
import { endpointOverrides } from "./connection.ts";
import { bitbucketCredentials } from "./credentials.ts";
import { publish } from "./publish.ts";
import { publishCodeInsights } from "./reports.ts";
import { commitFromContext, pullRequestFromContext } from "./repository.ts";

/** Spread into a pipe's `defineVariables({...})`. */
export const bitbucketAccessVariables = {
  BITBUCKET_ACCESS_TOKEN: v.string({
    description:
      "Repository or workspace access token for the Bitbucket API. Default: the Pipelines proxy, which needs none.",
    secret: true,
    optional: true,
  }),
  BITBUCKET_USERNAME: v.string({
    description: "User for `BITBUCKET_APP_PASSWORD` (API token / app password auth).",
    optional: true,
  }),
  BITBUCKET_APP_PASSWORD: v.string({
    description: "App password or API token of `BITBUCKET_USERNAME`.",
    secret: true,
    optional: true,
  }),
  BITBUCKET_API_URL: v.string({
    description: "Bitbucket API base URL (for tests and proxies).",
    optional: true,
  }),
};

export interface BitbucketAccess {
  BITBUCKET_ACCESS_TOKEN?: string | undefined;
  BITBUCKET_USERNAME?: string | undefined;
  BITBUCKET_APP_PASSWORD?: string | undefined;
  BITBUCKET_API_URL?: string | undefined;
}

/** The client a pipe's variables ask for. */
export function pipeBitbucketClient(vars: BitbucketAccess, env: Env, log: Logger): BitbucketClient {
  const credentials = bitbucketCredentials({
    accessToken: vars.BITBUCKET_ACCESS_TOKEN,
    username: vars.BITBUCKET_USERNAME,
    appPassword: vars.BITBUCKET_APP_PASSWORD,
  });
  return createBitbucketClient({
    logger: log,
    credentials,
    ...endpointOverrides(env),
    ...(vars.BITBUCKET_API_URL ? { baseUrl: vars.BITBUCKET_API_URL } : {}),
  });
}

/** What a pipe shows in Bitbucket, made only when it is published. */
export interface PipePublication {
  /** The pipe's name: the key of its sticky comment. */
  pipe: string;
  vars: BitbucketAccess & { CODE_INSIGHTS: boolean; PR_COMMENT: boolean };
  context: BitbucketContext;
  env: Env;
  log: Logger;
  report: () => InsightReport;
  /** Without it the report has no annotations. */
  annotations?: () => readonly InsightAnnotation[];
  comment: () => string;
}

/**
 * The Code Insights report (with its annotations) on the commit and the sticky PR comment, each as
 * the variables ask and each best effort (`publish`): skipped, with one line, outside a Pipelines step.
 */
export async function publishToBitbucket(publication: PipePublication): Promise<void> {
  const { vars, context, log } = publication;
  if (!vars.CODE_INSIGHTS && !vars.PR_COMMENT) return;
  if (!context.workspace || !context.repoSlug || !context.commit) {
    log.info(
      "Bitbucket reports skipped: not in a Pipelines step (BITBUCKET_WORKSPACE, BITBUCKET_REPO_SLUG, BITBUCKET_COMMIT unset)",
    );
    return;
  }
  const client = pipeBitbucketClient(vars, publication.env, log);
  if (vars.CODE_INSIGHTS) {
    const published = await publish(log, "Code Insights report", () =>
      publishCodeInsights(
        client,
        commitFromContext(context),
        publication.report(),
        publication.annotations?.() ?? [],
      ),
    );
    if (published.ok) {
      const { reportId, annotationsSent, annotationsOmitted } = published.value;
      const annotations = publication.annotations
        ? ` with ${annotationsSent} annotations${annotationsOmitted ? ` (${annotationsOmitted} more over the API's limit)` : ""}`
        : "";
      log.info(`Code Insights: report "${reportId}"${annotations}`);
    }
  }
  const pr = pullRequestFromContext(context);
  if (vars.PR_COMMENT && pr) {
    const comment = await publish(log, "PR comment", () =>
      upsertStickyComment(client, pr, publication.pipe, publication.comment()),
    );
    if (comment.ok) log.info(`PR #${pr.prId} comment ${comment.value.action}`);
  }
}
