/**
 * Credentials of one target, for terraform/tofu and the backend: the step's OIDC token exchanged
 * through @pipes/oidc (AWS role, Azure federated credential, GCP workload identity), else the static
 * credentials of the pipe's secret variables, which reach the tool through the environment. Every
 * secret is masked by the helpers; nothing here prints a value.
 */
import { type BitbucketContext, InputError, type Logger } from "@pipes/core";
import { assumeAwsRole, azureFederation, gcpWorkloadIdentity } from "@pipes/oidc";
import type { Target } from "@pipes/terraform";
import type { Variables } from "./variables.ts";

export type AuthMethod = "oidc" | "static" | "none";

export interface TargetCredentials {
  method: AuthMethod;
  /** For the tool's environment. */
  env: Record<string, string>;
  /** What the log says: never a value of a secret. */
  description: string;
}

const WORKLOAD_IDENTITY_PROVIDER =
  /^projects\/(\d+)\/locations\/global\/workloadIdentityPools\/([^/]+)\/providers\/([^/]+)$/;

function needToken(target: Target, what: string, context: BitbucketContext): string {
  if (!context.oidcToken)
    throw new InputError(
      `target ${target.name} authenticates to ${target.provider} with ${what}, but the step has no OIDC token (BITBUCKET_STEP_OIDC_TOKEN)`,
      { code: "OIDC_TOKEN_MISSING", suggestion: "Add `oidc: true` to the step." },
    );
  return context.oidcToken;
}

/** `dir`: a folder the caller owns and removes; token and credential files go there (mode 0600). */
export async function targetCredentials(
  target: Target,
  vars: Variables,
  context: BitbucketContext,
  dir: string,
  log: Logger,
): Promise<TargetCredentials> {
  const auth = target.auth;
  if (target.provider === "aws") {
    const roleArn = auth.role_arn ?? vars.AWS_ROLE_ARN;
    const region = auth.region ?? vars.AWS_REGION;
    if (roleArn) {
      const token = needToken(target, `role ${roleArn}`, context);
      const session = await assumeAwsRole(
        token,
        {
          roleArn,
          region,
          sessionName:
            auth.session_name ?? `bitbucket-${context.buildNumber ?? "local"}-${target.name}`.slice(0, 64),
          ...(vars.AWS_STS_ENDPOINT ? { endpoint: vars.AWS_STS_ENDPOINT } : {}),
        },
        log,
      );
      return {
        method: "oidc",
        env: session.env,
        description: `OIDC: assumed ${session.credentials.assumedRoleArn ?? roleArn}`,
      };
    }
    if (vars.AWS_ACCESS_KEY_ID && vars.AWS_SECRET_ACCESS_KEY)
      return { method: "static", env: { AWS_REGION: region }, description: "static AWS access key" };
  }
  if (target.provider === "azure") {
    const clientId = auth.client_id ?? vars.AZURE_CLIENT_ID;
    const tenantId = auth.tenant_id ?? vars.AZURE_TENANT_ID;
    const subscriptionId = auth.subscription_id ?? vars.AZURE_SUBSCRIPTION_ID;
    if (clientId && tenantId) {
      const token = needToken(target, `client ${clientId}`, context);
      const federation = await azureFederation(
        token,
        { clientId, tenantId, ...(subscriptionId ? { subscriptionId } : {}), dir },
        log,
      );
      return { method: "oidc", env: federation.env, description: `OIDC: federated client ${clientId}` };
    }
    if (vars.ARM_CLIENT_SECRET && clientId)
      return {
        method: "static",
        env: {
          ARM_CLIENT_ID: clientId,
          ...(tenantId ? { ARM_TENANT_ID: tenantId } : {}),
          ...(subscriptionId ? { ARM_SUBSCRIPTION_ID: subscriptionId } : {}),
        },
        description: "static Azure client secret",
      };
  }
  if (target.provider === "gcp") {
    const provider = auth.workload_identity_provider ?? vars.GCP_WORKLOAD_IDENTITY_PROVIDER;
    const serviceAccount = auth.service_account ?? vars.GCP_SERVICE_ACCOUNT;
    const projectId = auth.project_id ?? vars.GCP_PROJECT_ID;
    if (provider) {
      const parts = WORKLOAD_IDENTITY_PROVIDER.exec(provider);
      if (!parts)
        throw new InputError(
          `target ${target.name}: auth.workload_identity_provider "${provider}" is not projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`,
        );
      const token = needToken(target, "workload identity federation", context);
      const identity = await gcpWorkloadIdentity(
        token,
        {
          projectNumber: parts[1] as string,
          poolId: parts[2] as string,
          providerId: parts[3] as string,
          ...(serviceAccount ? { serviceAccountEmail: serviceAccount } : {}),
          ...(projectId ? { projectId } : {}),
          dir,
        },
        log,
      );
      return {
        method: "oidc",
        env: identity.env,
        description: `OIDC: workload identity ${provider}${serviceAccount ? ` as ${serviceAccount}` : ""}`,
      };
    }
    if (vars.GOOGLE_CREDENTIALS)
      return {
        method: "static",
        env: projectId ? { GOOGLE_PROJECT: projectId } : {},
        description: "static service-account key",
      };
  }
  return {
    method: "none",
    env: {},
    description: "no cloud credentials (enough for providers that need none)",
  };
}
