/**
 * S3 (and S3-compatible services) through the official SDK. A PutObject is atomic by S3's own
 * rules (a reader sees the old or the new object). Metadata goes into user metadata (x-amz-meta-*),
 * its values URI-encoded since S3 takes ASCII only. Endpoint, region and credentials come from the
 * standard AWS environment (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID...).
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import type { Env } from "@pipes/core";
import { checkKey, type ObjectInfo, type ObjectStore, type StoredObject } from "./types.ts";

function encodeMetadata(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata).map(([k, value]) => [k.toLowerCase(), encodeURIComponent(value)]),
  );
}

function decodeMetadata(metadata: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata ?? {}).map(([k, value]) => [k, decodeURIComponent(value)]),
  );
}

function notFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "NoSuchKey" || e.name === "NotFound" || e.$metadata?.httpStatusCode === 404;
}

/** An AWS SDK client's settings from the standard environment, for one service ("S3", "KMS"). */
export function awsClientConfigFromEnv(
  env: Env,
  service: string,
): {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
} {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  return {
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
    ...(endpoint ? { endpoint } : {}),
    ...(accessKeyId && secretAccessKey
      ? {
          credentials: {
            accessKeyId,
            secretAccessKey,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {}),
  };
}

export function s3ClientFromEnv(env: Env): S3Client {
  const config = awsClientConfigFromEnv(env, "S3");
  return new S3Client({ ...config, ...(config.endpoint ? { forcePathStyle: true } : {}) });
}

export class S3Store implements ObjectStore {
  readonly location: string;
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(client: S3Client, bucket: string, prefix: string) {
    this.#client = client;
    this.#bucket = bucket;
    this.#prefix = prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`;
    this.location = `s3://${bucket}${this.#prefix === "" ? "" : `/${this.#prefix.replace(/\/$/, "")}`}`;
  }

  #key(key: string): string {
    checkKey(key);
    return `${this.#prefix}${key}`;
  }

  async put(key: string, body: Uint8Array, metadata: Record<string, string> = {}): Promise<void> {
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: this.#key(key),
        Body: body,
        Metadata: encodeMetadata(metadata),
      }),
    );
  }

  async get(key: string): Promise<StoredObject | undefined> {
    try {
      const out = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }),
      );
      const body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      return { key, body, metadata: decodeMetadata(out.Metadata) };
    } catch (error) {
      if (notFound(error)) return undefined;
      throw error;
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const out = await this.#client.send(
        new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }),
      );
      return {
        key,
        size: out.ContentLength ?? 0,
        modified: out.LastModified ?? new Date(0),
        metadata: decodeMetadata(out.Metadata),
      };
    } catch (error) {
      if (notFound(error)) return undefined;
      throw error;
    }
  }

  async list(prefix = ""): Promise<ObjectInfo[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.#client.send(
        new ListObjectsV2Command({
          Bucket: this.#bucket,
          Prefix: `${this.#prefix}${prefix}`,
          ContinuationToken: token,
        }),
      );
      for (const item of out.Contents ?? []) if (item.Key) keys.push(item.Key.slice(this.#prefix.length));
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    keys.sort();
    const infos: ObjectInfo[] = [];
    for (const key of keys) {
      const info = await this.head(key);
      if (info) infos.push(info);
    }
    return infos;
  }

  async delete(key: string): Promise<void> {
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }));
  }
}
