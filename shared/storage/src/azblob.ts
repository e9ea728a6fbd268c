/**
 * Azure Blob Storage through the official SDK. One Put Blob (a single-shot upload of body and
 * metadata) is atomic: a reader sees the old or the new blob. A get is one download, whose response
 * carries the body and the metadata of the same blob version.
 *
 * Metadata names must be C# identifiers for Azure and are case-insensitive, so a name other than
 * lowercase letters, digits and `_` (not starting with a digit) is stored as `pipes_x_` + the hex of
 * its UTF-8 bytes, and decoded on read: every name round-trips exactly (`terraform_version` is
 * stored as it is, `Content-Kind` as `pipes_x_436f6e74656e742d4b696e64`). Values are URI-encoded,
 * since a header takes ASCII only, and an empty value, which Azure would drop, is stored as a lone
 * `%` (which URI-encoding never gives). https://learn.microsoft.com/rest/api/storageservices/setting-and-retrieving-properties-and-metadata-for-blob-resources
 *
 * Credentials, from the environment given (first match): AZURE_STORAGE_CONNECTION_STRING (its
 * BlobEndpoint for Azurite); AZURE_STORAGE_KEY, the account's shared key; else Microsoft Entra ID:
 * workload identity (AZURE_FEDERATED_TOKEN_FILE, AZURE_CLIENT_ID, AZURE_TENANT_ID, as @pipes/oidc
 * writes them for a pipeline's OIDC token) or DefaultAzureCredential's chain.
 * AZURE_STORAGE_BLOB_ENDPOINT overrides https://<account>.blob.core.windows.net.
 */
import {
  type BlobItem,
  BlobServiceClient,
  type ContainerClient,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { type Env, InputError, PipeError } from "@pipes/core";
import { checkKey, type ObjectInfo, type ObjectStore, type StoredObject } from "./types.ts";

const ENCODED = "pipes_x_";
const PLAIN_NAME = /^[a-z_][a-z0-9_]*$/;
const EMPTY = "%";

/** Store metadata as Azure metadata: names made valid identifiers (see the module's comment), values URI-encoded. */
export function encodeAzureMetadata(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata).map(([name, value]) => [
      PLAIN_NAME.test(name) && !name.startsWith(ENCODED)
        ? name
        : `${ENCODED}${Buffer.from(name, "utf8").toString("hex")}`,
      value === "" ? EMPTY : encodeURIComponent(value),
    ]),
  );
}

export function decodeAzureMetadata(metadata: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata ?? {}).map(([stored, value]) => {
      const lower = stored.toLowerCase();
      const hex = lower.slice(ENCODED.length);
      const name =
        lower.startsWith(ENCODED) && /^(?:[0-9a-f]{2})+$/.test(hex)
          ? Buffer.from(hex, "hex").toString("utf8")
          : lower;
      return [name, safeDecode(value)];
    }),
  );
}

/** A value another tool wrote unencoded (a stray `%`) is returned as it is. */
function safeDecode(value: string): string {
  if (value === EMPTY) return "";
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function connectionStringField(connectionString: string, field: string): string | undefined {
  for (const part of connectionString.split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim().toLowerCase() === field.toLowerCase())
      return part.slice(at + 1).trim();
  }
  return undefined;
}

export interface AzureContainerLocation {
  account: string;
  container: string;
}

/** A ContainerClient with the credentials of `env` (see the module's comment for the order). */
export async function azureContainerClientFromEnv(
  env: Env,
  location: AzureContainerLocation,
): Promise<ContainerClient> {
  const { account, container } = location;
  const connectionString = env.AZURE_STORAGE_CONNECTION_STRING;
  if (connectionString) {
    const named = connectionStringField(connectionString, "AccountName");
    if (named !== undefined && named !== account)
      throw new InputError(
        `AZURE_STORAGE_CONNECTION_STRING is for the storage account ${named}, but the store is in ${account}`,
        { suggestion: "Use the connection string of the account in the store's URL." },
      );
    return BlobServiceClient.fromConnectionString(connectionString).getContainerClient(container);
  }
  const endpoint = (env.AZURE_STORAGE_BLOB_ENDPOINT ?? `https://${account}.blob.core.windows.net`).replace(
    /\/+$/,
    "",
  );
  if (env.AZURE_STORAGE_KEY)
    return new BlobServiceClient(
      endpoint,
      new StorageSharedKeyCredential(account, env.AZURE_STORAGE_KEY),
    ).getContainerClient(container);
  // Loaded only here: the identity library is large and most runs use a key or a connection string.
  const identity = await import("@azure/identity");
  const credential =
    env.AZURE_FEDERATED_TOKEN_FILE && env.AZURE_CLIENT_ID && env.AZURE_TENANT_ID
      ? new identity.WorkloadIdentityCredential({
          tokenFilePath: env.AZURE_FEDERATED_TOKEN_FILE,
          clientId: env.AZURE_CLIENT_ID,
          tenantId: env.AZURE_TENANT_ID,
        })
      : new identity.DefaultAzureCredential();
  return new BlobServiceClient(endpoint, credential).getContainerClient(container);
}

function errorCode(error: unknown): { status?: number; code?: string } {
  const e = error as { statusCode?: number; code?: string; details?: { errorCode?: string } };
  return { status: e.statusCode, code: e.details?.errorCode ?? e.code };
}

function blobMissing(error: unknown): boolean {
  const { status, code } = errorCode(error);
  return status === 404 && code !== "ContainerNotFound";
}

export class AzureBlobStore implements ObjectStore {
  readonly location: string;
  readonly #container: ContainerClient;
  readonly #prefix: string;

  constructor(container: ContainerClient, prefix: string) {
    this.#container = container;
    this.#prefix = prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`;
    const where = `azblob://${container.accountName}/${container.containerName}`;
    this.location = this.#prefix === "" ? where : `${where}/${this.#prefix.replace(/\/$/, "")}`;
  }

  #blob(key: string) {
    checkKey(key);
    return this.#container.getBlockBlobClient(`${this.#prefix}${key}`);
  }

  /** A missing container is the operator's to create: say so rather than pass on a bare 404. */
  #explain(error: unknown): unknown {
    if (errorCode(error).code !== "ContainerNotFound") return error;
    return new PipeError(`the container of ${this.location} does not exist`, {
      code: "STORE_NOT_FOUND",
      suggestion: `Create it first: az storage container create --account-name ${this.#container.accountName} --name ${this.#container.containerName}`,
      cause: error,
    });
  }

  async put(key: string, body: Uint8Array, metadata: Record<string, string> = {}): Promise<void> {
    try {
      await this.#blob(key).upload(body, body.byteLength, {
        metadata: encodeAzureMetadata(metadata),
        blobHTTPHeaders: { blobContentType: "application/octet-stream" },
      });
    } catch (error) {
      throw this.#explain(error);
    }
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const blob = this.#blob(key);
    try {
      const out = await blob.download(0);
      const chunks: Buffer[] = [];
      for await (const chunk of out.readableStreamBody ?? []) chunks.push(Buffer.from(chunk as Buffer));
      return {
        key,
        body: new Uint8Array(Buffer.concat(chunks)),
        metadata: decodeAzureMetadata(out.metadata),
      };
    } catch (error) {
      if (blobMissing(error)) return undefined;
      throw this.#explain(error);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const out = await this.#blob(key).getProperties();
      return {
        key,
        size: out.contentLength ?? 0,
        modified: out.lastModified ?? new Date(0),
        metadata: decodeAzureMetadata(out.metadata),
      };
    } catch (error) {
      // A HEAD's 404 has no body, so a missing container cannot be told from a missing blob here.
      if (errorCode(error).status === 404) return undefined;
      throw error;
    }
  }

  async list(prefix = ""): Promise<ObjectInfo[]> {
    const items: BlobItem[] = [];
    try {
      for await (const item of this.#container.listBlobsFlat({
        prefix: `${this.#prefix}${prefix}`,
        includeMetadata: true,
      }))
        items.push(item);
    } catch (error) {
      throw this.#explain(error);
    }
    return items
      .map((item) => ({
        key: item.name.slice(this.#prefix.length),
        size: item.properties.contentLength ?? 0,
        modified: item.properties.lastModified,
        metadata: decodeAzureMetadata(item.metadata),
      }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    try {
      await this.#blob(key).deleteIfExists();
    } catch (error) {
      throw this.#explain(error);
    }
  }
}
