/**
 * Where a Bitbucket workspace's Pipelines OIDC identity provider lives. Each workspace is its own
 * issuer; Repository settings → Pipelines → OpenID Connect shows the same URL and audience.
 * https://support.atlassian.com/bitbucket-cloud/docs/integrate-pipelines-with-resource-servers-using-oidc/
 */

/** The issuer (`iss`) of the workspace's step tokens. `workspace` is the slug or `{uuid}`. */
export function bitbucketIssuer(workspace: string): string {
  return `https://api.bitbucket.org/2.0/workspaces/${encodeURIComponent(workspace)}/pipelines-config/identity/oidc`;
}

/** The issuer's signing keys (JWKS), as its discovery document's `jwks_uri` names them. */
export function bitbucketJwksUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, "")}/keys.json`;
}

export function bitbucketDiscoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
}

/**
 * The audience Bitbucket puts in a step token unless the step names its own (`oidc: audiences:`).
 * Bitbucket writes the workspace uuid here without braces.
 */
export function bitbucketDefaultAudience(workspaceUuid: string): string {
  return `ari:cloud:bitbucket::workspace/${bareUuid(workspaceUuid)}`;
}

/**
 * Bitbucket writes uuids as `{…}` in tokens and variables, and bare in places such as the audience:
 * compare them in one form.
 */
export function bareUuid(uuid: string): string {
  return uuid.trim().replace(/^\{/, "").replace(/\}$/, "").toLowerCase();
}

export function sameUuid(a: string, b: string): boolean {
  return bareUuid(a) === bareUuid(b);
}
