/**
 * Google Cloud: workload identity federation. An `external_account` credential configuration
 * tells Google's client libraries, gcloud and Terraform's google provider to read the step token
 * from a file and exchange it at Google STS (and impersonate a service account when one is named).
 * The file holds no secret, only where the token is.
 * Format: https://google.aip.dev/auth/4117 and `gcloud iam workload-identity-pools create-cred-config`.
 */
import type { Logger } from "@pipes/core";
import { TOKEN_FILE_NAME, writePrivateFile } from "./private-file.ts";

export interface GcpWorkloadIdentityOptions {
  /** The project *number* that holds the pool. */
  projectNumber: string;
  poolId: string;
  providerId: string;
  /** Impersonate this service account; without it, the federated identity is used directly. */
  serviceAccountEmail?: string;
  /** Lifetime of the impersonated access token. Default: Google's (3600). */
  tokenLifetimeSeconds?: number;
  /** Exported as GOOGLE_CLOUD_PROJECT, CLOUDSDK_CORE_PROJECT and GOOGLE_PROJECT when given. */
  projectId?: string;
  /** A folder the caller owns and removes. */
  dir: string;
}

export interface ExternalAccountCredentials {
  type: "external_account";
  audience: string;
  subject_token_type: "urn:ietf:params:oauth:token-type:jwt";
  token_url: "https://sts.googleapis.com/v1/token";
  service_account_impersonation_url?: string;
  service_account_impersonation?: { token_lifetime_seconds: number };
  credential_source: { file: string; format: { type: "text" } };
  universe_domain: "googleapis.com";
}

export function gcpWorkloadIdentityAudience(
  options: Pick<GcpWorkloadIdentityOptions, "projectNumber" | "poolId" | "providerId">,
): string {
  return `//iam.googleapis.com/projects/${options.projectNumber}/locations/global/workloadIdentityPools/${options.poolId}/providers/${options.providerId}`;
}

export function gcpExternalAccountCredentials(
  tokenFile: string,
  options: Omit<GcpWorkloadIdentityOptions, "dir" | "projectId">,
): ExternalAccountCredentials {
  const impersonation =
    options.serviceAccountEmail === undefined
      ? {}
      : {
          service_account_impersonation_url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${options.serviceAccountEmail}:generateAccessToken`,
          ...(options.tokenLifetimeSeconds === undefined
            ? {}
            : { service_account_impersonation: { token_lifetime_seconds: options.tokenLifetimeSeconds } }),
        };
  return {
    type: "external_account",
    audience: gcpWorkloadIdentityAudience(options),
    subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
    token_url: "https://sts.googleapis.com/v1/token",
    ...impersonation,
    credential_source: { file: tokenFile, format: { type: "text" } },
    universe_domain: "googleapis.com",
  };
}

export interface GcpWorkloadIdentity {
  tokenFile: string;
  credentialsFile: string;
  env: Record<string, string>;
}

export async function gcpWorkloadIdentity(
  token: string,
  options: GcpWorkloadIdentityOptions,
  log: Logger,
): Promise<GcpWorkloadIdentity> {
  log.masker.add(token);
  const tokenFile = await writePrivateFile(options.dir, TOKEN_FILE_NAME, token);
  const credentials = gcpExternalAccountCredentials(tokenFile, options);
  const credentialsFile = await writePrivateFile(
    options.dir,
    "gcp-external-account.json",
    `${JSON.stringify(credentials, null, 2)}\n`,
  );
  const project: Record<string, string> =
    options.projectId === undefined
      ? {}
      : {
          GOOGLE_CLOUD_PROJECT: options.projectId,
          CLOUDSDK_CORE_PROJECT: options.projectId,
          GOOGLE_PROJECT: options.projectId,
        };
  return {
    tokenFile,
    credentialsFile,
    env: {
      // Application Default Credentials: client libraries and Terraform's google provider.
      GOOGLE_APPLICATION_CREDENTIALS: credentialsFile,
      // gcloud and gsutil ignore ADC for their own calls; this points them at the same file.
      CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: credentialsFile,
      ...project,
    },
  };
}
