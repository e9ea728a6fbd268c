/**
 * The s3 backend's two lock kinds, either or both:
 * - `use_lockfile`: the object `<state key>.tflock` beside the state, its body the LockInfo JSON;
 * - `dynamodb_table`: the item whose LockID is `<bucket>/<state key>`, its `Info` the LockInfo JSON
 *   (the `<bucket>/<state key>-md5` item beside it is the state's digest, not a lock).
 * A workspace other than default keeps its state at `<workspace_key_prefix>/<workspace>/<key>`.
 * Endpoints, region and credentials: the backend's settings first, then the AWS_* environment.
 */
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { Logger } from "@pipes/core";
import { type HeldLock, parseLockInfo } from "../locks.ts";
import { nestedSetting, type ResolvedBackend, setting } from "./init.ts";

type Env = Record<string, string | undefined>;

export function s3StateKey(backend: ResolvedBackend): string {
  const key = setting(backend, "key") ?? "terraform.tfstate";
  if (backend.workspace === "default") return key;
  return `${setting(backend, "workspace_key_prefix") ?? "env:"}/${backend.workspace}/${key}`;
}

function awsClientConfig(backend: ResolvedBackend, env: Env, service: "s3" | "dynamodb") {
  const upper = service.toUpperCase();
  const endpoint =
    nestedSetting(backend, "endpoints", service) ??
    setting(backend, service === "s3" ? "endpoint" : "dynamodb_endpoint") ??
    env[`AWS_ENDPOINT_URL_${upper}`] ??
    env.AWS_ENDPOINT_URL;
  const region = setting(backend, "region") ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  const accessKeyId = setting(backend, "access_key") ?? env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = setting(backend, "secret_key") ?? env.AWS_SECRET_ACCESS_KEY;
  const sessionToken = setting(backend, "token") ?? env.AWS_SESSION_TOKEN;
  return {
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(accessKeyId && secretAccessKey
      ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } }
      : {}),
  };
}

function notFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "NoSuchKey" || e.name === "NotFound" || e.$metadata?.httpStatusCode === 404;
}

async function lockfileLock(backend: ResolvedBackend, env: Env): Promise<HeldLock | undefined> {
  const bucket = setting(backend, "bucket") ?? "";
  const key = `${s3StateKey(backend)}.tflock`;
  const pathStyle = backend.config.use_path_style === true || backend.config.force_path_style === true;
  const client = new S3Client({ ...awsClientConfig(backend, env, "s3"), forcePathStyle: pathStyle });
  try {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = (await object.Body?.transformToString("utf8")) ?? "";
    return parseLockInfo(body, "s3", `s3://${bucket}/${key}`);
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  } finally {
    client.destroy();
  }
}

async function dynamodbLock(
  backend: ResolvedBackend,
  env: Env,
  table: string,
): Promise<HeldLock | undefined> {
  const lockId = `${setting(backend, "bucket") ?? ""}/${s3StateKey(backend)}`;
  const client = new DynamoDBClient(awsClientConfig(backend, env, "dynamodb"));
  try {
    const item = await client.send(
      new GetItemCommand({ TableName: table, Key: { LockID: { S: lockId } }, ConsistentRead: true }),
    );
    const info = item.Item?.Info?.S;
    return info === undefined
      ? undefined
      : parseLockInfo(info, "s3", `DynamoDB table ${table}, LockID ${lockId}`);
  } finally {
    client.destroy();
  }
}

export async function findS3Locks(backend: ResolvedBackend, env: Env, _log: Logger): Promise<HeldLock[]> {
  const table = setting(backend, "dynamodb_table");
  const found = await Promise.all([
    backend.config.use_lockfile === true ? lockfileLock(backend, env) : undefined,
    table ? dynamodbLock(backend, env, table) : undefined,
  ]);
  return found.filter((lock): lock is HeldLock => lock !== undefined);
}
