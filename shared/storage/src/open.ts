import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Env, InputError } from "@pipes/core";
import { LocalStore } from "./local.ts";
import type { ObjectStore } from "./types.ts";

export interface OpenStoreOptions {
  env: Env;
  /** Relative paths are resolved against it (the clone directory). */
  cwd: string;
  /** The variable the URL came from, named in errors. */
  variable: string;
}

const EXPECTED = `a directory path, file:///dir, s3://bucket/prefix, azblob://account/container/prefix or gs://bucket/prefix`;

/** Azure's rules: an account is 3-24 lowercase letters and digits; a container 3-63 lowercase letters, digits and single dashes. */
const AZURE_ACCOUNT = "[a-z0-9]{3,24}";
const AZURE_CONTAINER = "[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]";
const AZURE_EXPECTED =
  "azblob://account/container/prefix or https://account.blob.core.windows.net/container/prefix, with an account of 3-24 lowercase letters and digits and a container of 3-63 lowercase letters, digits and single dashes";
const GCS_BUCKET = "[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]";

const trimSlashes = (prefix: string | undefined) => (prefix ?? "").replace(/^\/+|\/+$/g, "");

/**
 * "./dir" | "file:///dir" | "s3://bucket/prefix" | "azblob://account/container/prefix" |
 * "https://account.blob.core.windows.net/container/prefix" | "gs://bucket/prefix".
 * Unknown schemes and malformed URLs are an InputError naming the variable; credentials come from
 * `env`, never from the URL.
 */
export async function openStore(url: string, options: OpenStoreOptions): Promise<ObjectStore> {
  const { variable } = options;
  const value = url.trim();
  if (value === "") throw new InputError(`${variable} is empty: expected ${EXPECTED}`);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(value) && !/^[a-z]:[\\/]/i.test(value))
      throw new InputError(`${variable}=${JSON.stringify(value)} is not a valid store: expected ${EXPECTED}`);
    return new LocalStore(path.resolve(options.cwd, value));
  }
  if (scheme === "file") {
    let dir: string;
    try {
      dir = fileURLToPath(value);
    } catch (error) {
      throw new InputError(
        `${variable}=${JSON.stringify(value)} is not a valid file URL: expected file:///absolute/dir`,
        {
          cause: error,
        },
      );
    }
    return new LocalStore(dir);
  }
  if (scheme === "s3") {
    const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(value);
    if (!match)
      throw new InputError(
        `${variable}=${JSON.stringify(value)} is not a valid S3 location: expected s3://bucket/prefix with a bucket name of 3-63 lowercase letters, digits, dots or dashes`,
      );
    const { S3Store, s3ClientFromEnv } = await import("./s3.ts");
    return new S3Store(s3ClientFromEnv(options.env), match[1] as string, trimSlashes(match[2]));
  }
  if (scheme === "azblob" || scheme === "https") return openAzureBlob(value, scheme, options);
  if (scheme === "gs") {
    const match = new RegExp(`^gs://(${GCS_BUCKET})(?:/(.*))?$`).exec(value);
    if (!match)
      throw new InputError(
        `${variable}=${JSON.stringify(value)} is not a valid GCS location: expected gs://bucket/prefix with a bucket name of 3-222 lowercase letters, digits, dots, dashes or underscores`,
      );
    const { GcsStore, gcsBucketFromEnv } = await import("./gcs.ts");
    return new GcsStore(gcsBucketFromEnv(options.env, match[1] as string), trimSlashes(match[2]));
  }
  throw new InputError(
    `${variable}=${JSON.stringify(value)} uses the scheme ${scheme}://, which is not a store: expected ${EXPECTED}`,
  );
}

async function openAzureBlob(value: string, scheme: string, options: OpenStoreOptions): Promise<ObjectStore> {
  const { variable } = options;
  // A SAS URL holds a signature: never echo its query, and take credentials from the environment.
  const query = value.search(/[?#]/);
  if (query >= 0)
    throw new InputError(
      `${variable}=${JSON.stringify(`${value.slice(0, query)}?…`)} has a query string: expected ${AZURE_EXPECTED}`,
      {
        suggestion:
          "Credentials go in AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_KEY (or OIDC), not in the URL.",
      },
    );
  const match =
    scheme === "azblob"
      ? new RegExp(`^azblob://(${AZURE_ACCOUNT})/(${AZURE_CONTAINER})(?:/(.*))?$`).exec(value)
      : new RegExp(
          `^https://(${AZURE_ACCOUNT})\\.blob\\.core\\.windows\\.net/(${AZURE_CONTAINER})(?:/(.*))?$`,
        ).exec(value);
  if (!match)
    throw new InputError(
      `${variable}=${JSON.stringify(value)} is not a valid Azure Blob location: expected ${AZURE_EXPECTED}`,
    );
  const [, account, container, prefix] = match as unknown as [string, string, string, string | undefined];
  const { AzureBlobStore, azureContainerClientFromEnv } = await import("./azblob.ts");
  const client = await azureContainerClientFromEnv(options.env, { account, container });
  return new AzureBlobStore(client, trimSlashes(prefix));
}
