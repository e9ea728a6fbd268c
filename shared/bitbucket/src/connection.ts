/**
 * Where the API is and how requests reach it: directly with credentials, or through the Bitbucket
 * Pipelines auth proxy without them.
 *
 * The proxy is a plain HTTP forward proxy that runs beside every step on port 29418 and adds the
 * step's own credentials to requests for `http://api.bitbucket.org/2.0/...`. It is documented for
 * Code Insights (https://bitbucket.org/blog/provide-full-context-to-reviewers-by-including-pipeline-artifacts-within-the-pull-request:
 * `curl --proxy http://localhost:29418 http://api.bitbucket.org/2.0/...`); a pipe runs in its own
 * container and reaches it as `host.docker.internal:29418`. No extra header is documented: the
 * request is simply sent to the proxy in absolute form, over http, because the proxy could not add
 * credentials inside TLS.
 */
import { type Env, InputError } from "@pipes/core";
import { authorizationHeader, type BitbucketCredentials } from "./credentials.ts";

export const BITBUCKET_API_URL = "https://api.bitbucket.org/2.0";
/** The API as the Pipelines proxy serves it: plain http. */
export const PROXIED_API_URL = "http://api.bitbucket.org/2.0";
/** The Pipelines auth proxy as a pipe's container sees it (`http://localhost:29418` from a step's script). */
export const PIPELINES_PROXY_URL = "http://host.docker.internal:29418";

export type AuthMode = "access token" | "app password or API token" | "Pipelines proxy";

export interface Connection {
  baseUrl: URL;
  /** Set only in proxy mode. */
  proxy: URL | undefined;
  authorization: string | undefined;
  mode: AuthMode;
}

export interface EndpointOptions {
  credentials?: BitbucketCredentials | undefined;
  /** Default: https://api.bitbucket.org/2.0, or http://api.bitbucket.org/2.0 through the proxy. */
  baseUrl?: string | undefined;
  /** Default: http://host.docker.internal:29418. Used only without credentials. */
  proxyUrl?: string | undefined;
}

function parseUrl(value: string, what: string): URL {
  if (!URL.canParse(value)) {
    throw new InputError(`${what} "${value}" is not a URL.`, {
      suggestion: "Give a full URL such as http://host:port.",
    });
  }
  const url = new URL(value);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InputError(`${what} "${value}" must be an http or https URL, not ${url.protocol}.`);
  }
  return url;
}

export function connectionFor(options: EndpointOptions): Connection {
  const { credentials } = options;
  if (credentials) {
    return {
      baseUrl: parseUrl(options.baseUrl ?? BITBUCKET_API_URL, "The Bitbucket API URL"),
      proxy: undefined,
      authorization: authorizationHeader(credentials),
      mode: credentials.kind === "access-token" ? "access token" : "app password or API token",
    };
  }
  const baseUrl = parseUrl(options.baseUrl ?? PROXIED_API_URL, "The Bitbucket API URL");
  if (baseUrl.protocol !== "http:") {
    throw new InputError(
      `The Pipelines proxy only authenticates plain-http requests, but the API URL is ${baseUrl.href}.`,
      {
        suggestion: `Use ${PROXIED_API_URL} with the proxy, or give credentials to call ${BITBUCKET_API_URL} directly.`,
      },
    );
  }
  return {
    baseUrl,
    proxy: parseUrl(options.proxyUrl ?? PIPELINES_PROXY_URL, "The Pipelines proxy URL"),
    authorization: undefined,
    mode: "Pipelines proxy",
  };
}

/**
 * Overrides of the API and proxy addresses, for tests and for runs outside Bitbucket:
 * BITBUCKET_API_URL (the API base URL) and BITBUCKET_PIPELINES_PROXY (the auth proxy).
 */
export function endpointOverrides(env: Env): Pick<EndpointOptions, "baseUrl" | "proxyUrl"> {
  const baseUrl = env.BITBUCKET_API_URL?.trim();
  const proxyUrl = env.BITBUCKET_PIPELINES_PROXY?.trim();
  return { ...(baseUrl ? { baseUrl } : {}), ...(proxyUrl ? { proxyUrl } : {}) };
}
