/**
 * Held Terraform/OpenTofu state locks: who holds them, since when, and whether they are stale.
 * `lockVerdict` and `parseLockInfo` are pure; `findLocks` asks the backend `init` resolved, through
 * one adapter per backend type (src/locks/*.ts); `forceUnlock` is the tool's own `force-unlock`.
 */
import { type Logger, PipeError, processEnv, runTool } from "@pipes/core";
import { findAzurermLocks } from "./locks/azurerm.ts";
import { findGcsLocks, releaseGcsLock } from "./locks/gcs.ts";
import { initBackend, type ResolvedBackend } from "./locks/init.ts";
import { findLocalLocks } from "./locks/local.ts";
import { findPgLocks, terminatePgLockHolder } from "./locks/pg.ts";
import { findS3Locks } from "./locks/s3.ts";
import { type StateSource, toolFor } from "./terraform.ts";

export interface HeldLock {
  backend: string;
  id: string;
  who?: string;
  operation?: string;
  created?: Date;
  path?: string;
  version?: string;
  /** Where it was found, for messages (a file, an object URL, a table item, a pg backend pid). */
  info: string;
}

export interface LockPolicy {
  staleAfterSeconds: number;
  staleAction: "warn" | "fail";
}

export type JudgedLock = HeldLock & { ageSeconds?: number; stale: boolean };

export type LockVerdict = {
  verdict: "PASS" | "WARN" | "FAIL";
  locks: JudgedLock[];
  reasons: string[];
};

/**
 * A held lock younger than the threshold is a run in progress: PASS, but listed. A lock older than
 * the threshold is stale: WARN or FAIL by `staleAction`. A lock without a (valid) Created time has
 * an unknown age: it cannot be called stale, and a reason says so.
 */
export function lockVerdict(held: readonly HeldLock[], policy: LockPolicy, now: Date): LockVerdict {
  const reasons: string[] = [];
  const locks = held.map((lock): JudgedLock => {
    const created = lock.created?.getTime();
    if (created === undefined || Number.isNaN(created)) {
      reasons.push(`${describeLock(lock)} has no creation time: its age is unknown`);
      return { ...lock, stale: false };
    }
    const ageSeconds = Math.max(0, Math.floor((now.getTime() - created) / 1000));
    const stale = ageSeconds > policy.staleAfterSeconds;
    reasons.push(
      stale
        ? `${describeLock(lock)} is stale: held for ${formatAge(ageSeconds)}, longer than ${formatAge(policy.staleAfterSeconds)}`
        : `${describeLock(lock)} is held for ${formatAge(ageSeconds)}: a run is probably in progress`,
    );
    return { ...lock, ageSeconds, stale };
  });
  const anyStale = locks.some((lock) => lock.stale);
  const verdict = !anyStale ? "PASS" : policy.staleAction === "fail" ? "FAIL" : "WARN";
  return { verdict, locks, reasons };
}

/** "lock 1a2b… (OperationTypeApply by ci@runner) in s3://bucket/key.tflock" */
export function describeLock(lock: HeldLock): string {
  const holder = [lock.operation, lock.who && `by ${lock.who}`].filter(Boolean).join(" ");
  return `lock ${lock.id}${holder ? ` (${holder})` : ""} in ${lock.info}`;
}

function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}

/**
 * Terraform's LockInfo JSON (internal/states/statemgr/locker.go: ID, Operation, Info, Who, Version,
 * Created, Path) as a HeldLock. Text that is not a LockInfo object is a PipeError naming `info`.
 */
export function parseLockInfo(text: string, backend: string, info: string): HeldLock {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PipeError(`The lock information in ${info} is not JSON`, {
      code: "LOCK_INFO",
      suggestion: "Inspect it by hand; `terraform force-unlock <id>` needs the lock ID Terraform printed.",
      cause: error,
    });
  }
  const record =
    typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  const field = (name: string) => {
    const value = record?.[name];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const id = field("ID");
  if (!id)
    throw new PipeError(`The lock information in ${info} has no ID`, {
      code: "LOCK_INFO",
      suggestion: "It was not written by Terraform or OpenTofu; inspect it by hand.",
    });
  const createdText = field("Created");
  const created = createdText === undefined ? undefined : new Date(createdText);
  return {
    backend,
    id,
    info,
    ...optional("who", field("Who")),
    ...optional("operation", field("Operation")),
    ...optional("created", created && !Number.isNaN(created.getTime()) ? created : undefined),
    ...optional("path", field("Path")),
    ...optional("version", field("Version")),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** Which adapter reads which backend's locks; each takes the settings `init` resolved. */
const finders: Record<
  string,
  (backend: ResolvedBackend, env: Record<string, string | undefined>, log: Logger) => Promise<HeldLock[]>
> = {
  local: findLocalLocks,
  s3: findS3Locks,
  pg: findPgLocks,
  azurerm: findAzurermLocks,
  gcs: findGcsLocks,
};

/** The locks held on `source`'s state now, after `init` resolved its backend. */
export async function findLocks(
  source: StateSource,
  env: Record<string, string | undefined>,
  log: Logger,
): Promise<HeldLock[]> {
  const backend = await initBackend(source, log);
  const finder = finders[backend.type];
  if (!finder)
    throw new PipeError(`Finding locks is not supported for the "${backend.type}" backend`, {
      code: "LOCK_BACKEND",
      suggestion: `Supported backends: ${Object.keys(finders).join(", ")}.`,
    });
  return finder(backend, { ...source.env, ...env }, log);
}

/**
 * `terraform|tofu force-unlock -force <id>` (s3 lockfile and DynamoDB, azurerm), then checks that
 * findLocks no longer sees the lock. Where the tool's force-unlock cannot release it: pg's lock
 * ends with its session (state-guard ends that session); gcs's lock object is deleted on its
 * generation, as the backend's Unlock does (see releaseGcsLock); the local backend's lock ends
 * with its process only (a PipeError says which one).
 */
export async function forceUnlock(source: StateSource, lock: HeldLock, log: Logger): Promise<void> {
  const backend = await initBackend(source, log);
  if (backend.type === "local")
    throw new PipeError(
      `${describeLock(lock)} belongs to a running process: only ending it releases the lock`,
      {
        code: "LOCK_LOCAL",
        suggestion:
          "Stop the run that holds it (its process is named above); the local backend has no force-unlock.",
      },
    );
  // The tool reads the process environment too (runTool extends it): the adapters see the same.
  const env = { ...processEnv(), ...source.env };
  if (backend.type === "pg") await terminatePgLockHolder(backend, env, lock);
  else if (backend.type === "gcs") await releaseGcsLock(backend, env, lock);
  else await runTool({ ...toolFor(source), args: ["force-unlock", "-force", "-no-color", lock.id] }, log);
  const still = (await findLocks(source, env, log)).find((held) => held.id === lock.id);
  if (still)
    throw new PipeError(`${describeLock(still)} is still held after force-unlock`, {
      code: "LOCK_STILL_HELD",
      suggestion: "Remove it by hand in the backend, after making sure no run holds it.",
    });
  log.success(`Released ${describeLock(lock)}`);
}
