/**
 * The azurerm backend locks a state by taking an infinite lease on its blob, with the lock ID as the
 * proposed lease ID, and writes the LockInfo JSON, base64-encoded, to the blob's metadata
 * `terraformlockid`. The blob is `<key>` for default and `<key>env:<workspace>` for other workspaces.
 * Credentials: the backend's access_key or sas_token, else ARM_ACCESS_KEY, else the Azure
 * environment @pipes/storage reads (connection string, key, identity).
 */
import { type Logger, PipeError } from "@pipes/core";
import { azureContainerClientFromEnv } from "@pipes/storage";
import { type HeldLock, parseLockInfo } from "../locks.ts";
import { type ResolvedBackend, setting } from "./init.ts";

type Env = Record<string, string | undefined>;

export function azurermBlobName(backend: ResolvedBackend): string {
  const key = setting(backend, "key") ?? "terraform.tfstate";
  return backend.workspace === "default" ? key : `${key}env:${backend.workspace}`;
}

export async function findAzurermLocks(
  backend: ResolvedBackend,
  env: Env,
  _log: Logger,
): Promise<HeldLock[]> {
  const account = setting(backend, "storage_account_name");
  const container = setting(backend, "container_name");
  if (!account || !container)
    throw new PipeError("The azurerm backend has no storage_account_name or container_name", {
      code: "LOCK_BACKEND",
      suggestion: "Run init with the backend's storage account and container.",
    });
  const key = setting(backend, "access_key") ?? env.ARM_ACCESS_KEY;
  const client = await azureContainerClientFromEnv(
    { ...env, ...(key && !env.AZURE_STORAGE_CONNECTION_STRING ? { AZURE_STORAGE_KEY: key } : {}) },
    { account, container },
  );
  const name = azurermBlobName(backend);
  const where = `azurerm ${account}/${container}/${name}`;
  let properties: Awaited<ReturnType<ReturnType<typeof client.getBlobClient>["getProperties"]>>;
  try {
    properties = await client.getBlobClient(name).getProperties();
  } catch (error) {
    if ((error as { statusCode?: unknown }).statusCode === 404) return [];
    throw error;
  }
  if (properties.leaseState !== "leased") return [];
  const encoded = Object.entries(properties.metadata ?? {}).find(
    ([k]) => k.toLowerCase() === "terraformlockid",
  )?.[1];
  if (!encoded)
    // A lease without Terraform's lock information: some other tool leased the blob.
    return [
      { backend: "azurerm", id: "(unknown lease)", info: `${where} (leased, no terraformlockid metadata)` },
    ];
  return [parseLockInfo(Buffer.from(encoded, "base64").toString("utf8"), "azurerm", `${where} (blob lease)`)];
}
