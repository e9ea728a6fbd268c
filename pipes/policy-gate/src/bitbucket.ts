/**
 * The Bitbucket API client of this pipe: credentials from its variables, otherwise the Pipelines
 * proxy; endpoints overridable through the environment (tests, local runs).
 */
import {
  type BitbucketClient,
  bitbucketCredentials,
  createBitbucketClient,
  endpointOverrides,
} from "@pipes/bitbucket";
import type { Env, Logger } from "@pipes/core";
import type { Variables } from "./variables.ts";

export function bitbucketClient(vars: Variables, env: Env, log: Logger): BitbucketClient {
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
