/**
 * Azure: the step token is a federated client assertion for an Entra ID app registration (or a
 * user-assigned managed identity) whose federated credential trusts the workspace's issuer. The
 * tools do the exchange themselves; the pipe writes the token to a file and points them at it.
 * The federated credential's audience must be one the step requests (`oidc: audiences:`), usually
 * `api://AzureADTokenExchange`.
 * Terraform azurerm/azuread: https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/guides/service_principal_oidc
 * azure-identity WorkloadIdentityCredential: AZURE_FEDERATED_TOKEN_FILE, AZURE_CLIENT_ID, AZURE_TENANT_ID.
 */
import type { Logger, ToolCommand } from "@pipes/core";
import { TOKEN_FILE_NAME, writePrivateFile } from "./private-file.ts";

export interface AzureFederationOptions {
  /** Application (client) id of the app registration or managed identity. */
  clientId: string;
  tenantId: string;
  subscriptionId?: string;
  /** A folder the caller owns and removes: the token file goes there. */
  dir: string;
  /**
   * How azurerm/azuread get the token: `file` (ARM_OIDC_TOKEN_FILE_PATH, default) or `env`
   * (ARM_OIDC_TOKEN, for provider versions before 3.25 that lack the file form).
   */
  armTokenIn?: "file" | "env";
}

export interface AzureFederation {
  tokenFile: string;
  env: Record<string, string>;
}

export async function azureFederation(
  token: string,
  options: AzureFederationOptions,
  log: Logger,
): Promise<AzureFederation> {
  log.masker.add(token);
  const tokenFile = await writePrivateFile(options.dir, TOKEN_FILE_NAME, token);
  const armToken: Record<string, string> =
    (options.armTokenIn ?? "file") === "file"
      ? { ARM_OIDC_TOKEN_FILE_PATH: tokenFile }
      : { ARM_OIDC_TOKEN: token };
  return {
    tokenFile,
    env: {
      ARM_USE_OIDC: "true",
      ...armToken,
      ARM_CLIENT_ID: options.clientId,
      ARM_TENANT_ID: options.tenantId,
      ...(options.subscriptionId === undefined ? {} : { ARM_SUBSCRIPTION_ID: options.subscriptionId }),
      AZURE_FEDERATED_TOKEN_FILE: tokenFile,
      AZURE_CLIENT_ID: options.clientId,
      AZURE_TENANT_ID: options.tenantId,
    },
  };
}

/**
 * `az login` with the federated token: the Azure CLI reads no token file of its own. The token is
 * an argument because az takes it no other way; the logger masks it in anything printed.
 */
export function azLoginCommand(
  token: string,
  options: Pick<AzureFederationOptions, "clientId" | "tenantId">,
): ToolCommand {
  return {
    tool: "az",
    args: [
      "login",
      "--service-principal",
      "--username",
      options.clientId,
      "--tenant",
      options.tenantId,
      "--federated-token",
      token,
      "--allow-no-subscriptions",
      "--output",
      "none",
    ],
  };
}
