/**
 * How a pipe proves who it is to Bitbucket. Without credentials, a pipe inside Bitbucket Pipelines
 * goes through the Pipelines auth proxy instead (see connection.ts).
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#authentication
 */
import { InputError } from "@pipes/core";

export type BitbucketCredentials =
  /** A repository, project or workspace access token, or an OAuth access token: sent as Bearer. */
  | { kind: "access-token"; token: string }
  /** Username and app password, or Atlassian account email and API token: sent as Basic. */
  | { kind: "basic"; username: string; secret: string };

/** The credential variables a pipe accepts, as its variables schema parsed them. */
export interface CredentialValues {
  accessToken?: string | undefined;
  username?: string | undefined;
  appPassword?: string | undefined;
  apiToken?: string | undefined;
}

/**
 * The credentials the values describe, or undefined when none are given (the Pipelines proxy is then
 * used). An access token wins over a username and secret; a username without a secret, or a secret
 * without a username, is an error rather than a silent fall-back to the proxy.
 */
export function bitbucketCredentials(values: CredentialValues): BitbucketCredentials | undefined {
  const present = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  const token = present(values.accessToken);
  if (token) return { kind: "access-token", token };
  const username = present(values.username);
  const secret = present(values.appPassword) ?? present(values.apiToken);
  if (username && secret) return { kind: "basic", username, secret };
  if (username) {
    throw new InputError(
      "BITBUCKET_USERNAME is set but neither BITBUCKET_APP_PASSWORD nor BITBUCKET_API_TOKEN is.",
      {
        suggestion: "Add the app password or API token as a secured variable, or remove BITBUCKET_USERNAME.",
      },
    );
  }
  if (secret) {
    throw new InputError("An app password or API token is set but BITBUCKET_USERNAME is not.", {
      suggestion:
        "Set BITBUCKET_USERNAME to the Bitbucket username (app password) or Atlassian account email (API token).",
    });
  }
  return undefined;
}

/** The Authorization header value for the credentials. */
export function authorizationHeader(credentials: BitbucketCredentials): string {
  return credentials.kind === "access-token"
    ? `Bearer ${credentials.token}`
    : `Basic ${Buffer.from(`${credentials.username}:${credentials.secret}`).toString("base64")}`;
}

/**
 * Every form in which the credentials could reach a log line: the secrets themselves and the encoded
 * Basic header, which the masker would not recognise from the secret alone.
 */
export function credentialSecrets(credentials: BitbucketCredentials): string[] {
  if (credentials.kind === "access-token") return [credentials.token];
  return [credentials.secret, authorizationHeader(credentials).slice("Basic ".length)];
}
