/**
 * A failed Bitbucket API call, written for the build log: the status and Bitbucket's own explanation
 * first (so "Code Insights report not published: 403 Forbidden: ..." reads well), then the call, and a
 * suggestion that depends on how the pipe authenticated.
 */
import { PipeError } from "@pipes/core";
import { type AuthMode, PIPELINES_PROXY_URL } from "./connection.ts";

export interface ApiFailure {
  method: string;
  /** The API path, without the base URL. */
  path: string;
  mode: AuthMode;
  /** Absent when no response arrived. */
  status?: number | undefined;
  statusText?: string | undefined;
  /** Bitbucket's error message and detail, or what went wrong with the connection. */
  detail?: string | undefined;
  /** Why the call was not tried again, when it was retried or could have been. */
  retryNote?: string | undefined;
  cause?: unknown;
}

export class BitbucketApiError extends PipeError {
  readonly status: number | undefined;
  readonly method: string;
  readonly path: string;

  constructor(failure: ApiFailure) {
    const what =
      failure.status === undefined ? "no response" : `${failure.status} ${failure.statusText ?? ""}`.trim();
    const detail = failure.detail ? `: ${failure.detail}` : "";
    const retry = failure.retryNote ? `; ${failure.retryNote}` : "";
    super(`${what}${detail} (${failure.method} ${failure.path}${retry})`, {
      code: failure.status === undefined ? "BITBUCKET_UNREACHABLE" : `BITBUCKET_${failure.status}`,
      suggestion: suggestionFor(failure),
      cause: failure.cause,
    });
    this.name = "BitbucketApiError";
    this.status = failure.status;
    this.method = failure.method;
    this.path = failure.path;
  }
}

function suggestionFor(failure: ApiFailure): string | undefined {
  const proxy = failure.mode === "Pipelines proxy";
  switch (failure.status) {
    case undefined:
      return proxy
        ? `The Pipelines auth proxy (${PIPELINES_PROXY_URL}) is only there inside Bitbucket Pipelines; elsewhere set BITBUCKET_ACCESS_TOKEN.`
        : "Check the network path to api.bitbucket.org (proxy settings, firewall) and https://bitbucket.status.atlassian.com.";
    case 401:
      return proxy
        ? "The Pipelines auth proxy did not authenticate the request: set BITBUCKET_ACCESS_TOKEN, or BITBUCKET_USERNAME with BITBUCKET_APP_PASSWORD or BITBUCKET_API_TOKEN."
        : `The ${failure.mode} was not accepted: check that it is current and belongs to this workspace.`;
    case 403:
      return `The ${failure.mode} lacks a permission this call needs: repository write for Code Insights and commit statuses, pull request write for comments.`;
    case 404:
      return "Check the workspace, repository, commit or pull request: it does not exist, or the credentials cannot see it.";
    case 429:
      return "Bitbucket's API rate limit was reached: fewer pipes calling the API at once, or a token of another user, helps.";
    default:
      return undefined;
  }
}
