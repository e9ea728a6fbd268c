/**
 * The gcs backend locks a workspace by creating `<prefix>/<workspace>.tflock` only if it does not
 * exist; its body is the LockInfo JSON, but the lock ID is the object's generation (not known until
 * written: the backend overwrites the ID it reads back with it, and unlocks on that generation).
 */
import { type Logger, PipeError } from "@pipes/core";
import { gcsBucketFromEnv } from "@pipes/storage";
import { type HeldLock, parseLockInfo } from "../locks.ts";
import { type ResolvedBackend, setting } from "./init.ts";

type Env = Record<string, string | undefined>;

export function gcsLockObject(backend: ResolvedBackend): string {
  const prefix = (setting(backend, "prefix") ?? "").replace(/^\/+|\/+$/g, "");
  return prefix === "" ? `${backend.workspace}.tflock` : `${prefix}/${backend.workspace}.tflock`;
}

function lockBucket(backend: ResolvedBackend, env: Env) {
  const bucketName = setting(backend, "bucket");
  if (!bucketName)
    throw new PipeError("The gcs backend has no bucket", {
      code: "LOCK_BACKEND",
      suggestion: "Run init with its bucket.",
    });
  const custom = setting(backend, "storage_custom_endpoint");
  const credentials = setting(backend, "credentials");
  const bucket = gcsBucketFromEnv(
    {
      ...env,
      ...(custom ? { STORAGE_EMULATOR_HOST: custom.replace(/\/storage\/v1\/?$/, "") } : {}),
      ...(credentials && !credentials.trimStart().startsWith("{")
        ? { GOOGLE_APPLICATION_CREDENTIALS: credentials }
        : {}),
    },
    bucketName,
  );
  return { bucket, bucketName };
}

export async function findGcsLocks(backend: ResolvedBackend, env: Env, _log: Logger): Promise<HeldLock[]> {
  const { bucket, bucketName } = lockBucket(backend, env);
  const name = gcsLockObject(backend);
  const file = bucket.file(name);
  let body: Buffer;
  let generation: string;
  try {
    const [metadata] = await file.getMetadata();
    generation = String(metadata.generation ?? "");
    [body] = await file.download();
  } catch (error) {
    if ((error as { code?: unknown }).code === 404) return [];
    throw error;
  }
  const lock = parseLockInfo(body.toString("utf8"), "gcs", `gs://${bucketName}/${name}`);
  return [{ ...lock, id: generation || lock.id }];
}

/**
 * What the gcs backend's own Unlock does: delete the lock object if its generation is still the
 * lock's ID (a newer lock is left alone). `tofu force-unlock` cannot be used here: for a workspace
 * whose state it does not see (fake-gcs-server's listing, or a first apply that never wrote one),
 * loading the workspace takes the lock first and fails on the very lock to release.
 */
export async function releaseGcsLock(backend: ResolvedBackend, env: Env, lock: HeldLock): Promise<void> {
  if (!/^\d+$/.test(lock.id))
    throw new PipeError(`${lock.id} is not a gcs lock ID (the lock object's generation)`, {
      code: "LOCK_ID",
      suggestion: "Unlock the ID that MODE=locks listed for this gcs backend.",
    });
  const { bucket } = lockBucket(backend, env);
  await bucket.file(gcsLockObject(backend)).delete({ ifGenerationMatch: lock.id });
}
