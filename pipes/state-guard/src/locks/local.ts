/**
 * The local backend locks its state file with a POSIX record lock (fcntl) and writes
 * `.<state file>.lock.info` (LockInfo JSON) beside it while locked. A run that was killed leaves the
 * info file but not the lock (the kernel drops it with the process), and the next run takes the lock
 * and rewrites the file: so the lock is held only while /proc/locks shows a lock on the state file.
 * Where /proc/locks does not exist (not Linux), the info file alone is taken as a held lock.
 */
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "@pipes/core";
import type { HeldLock } from "../locks.ts";
import { parseLockInfo } from "../locks.ts";
import { type ResolvedBackend, setting } from "./init.ts";

/** The state file the local backend uses for `backend.workspace`, absolute. */
export function localStatePath(backend: ResolvedBackend): string {
  const relative =
    backend.workspace === "default"
      ? (setting(backend, "path") ?? "terraform.tfstate")
      : path.join(
          setting(backend, "workspace_dir") ?? "terraform.tfstate.d",
          backend.workspace,
          "terraform.tfstate",
        );
  return path.resolve(backend.moduleDir, relative);
}

export function lockInfoPath(statePath: string): string {
  return path.join(path.dirname(statePath), `.${path.basename(statePath)}.lock.info`);
}

/**
 * The pids holding a POSIX lock on the file `major:minor:inode`, from /proc/locks' text
 * (`1: POSIX  ADVISORY  WRITE 11543 fe:00:11144703 0 EOF`; `->` lines are waiters, not holders).
 */
export function posixLockHolders(
  procLocks: string,
  file: { major: number; minor: number; inode: number },
): number[] {
  const want = `${file.major.toString(16).padStart(2, "0")}:${file.minor.toString(16).padStart(2, "0")}:${file.inode}`;
  const holders: number[] = [];
  for (const line of procLocks.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === "->" || fields[1] !== "POSIX") continue;
    if (fields[5] === want) holders.push(Number(fields[4]));
  }
  return holders;
}

/** glibc's encoding of st_dev (major and minor split over the low and high bits). */
function deviceNumbers(dev: number): { major: number; minor: number } {
  const big = BigInt(dev);
  const major = Number(((big >> 8n) & 0xfffn) | ((big >> 32n) & ~0xfffn));
  const minor = Number((big & 0xffn) | ((big >> 12n) & ~0xffn));
  return { major, minor };
}

/** The pids holding the state file's lock; undefined when the system cannot tell (no /proc/locks). */
export async function localLockHolders(statePath: string): Promise<number[] | undefined> {
  if (!existsSync("/proc/locks")) return undefined;
  if (!existsSync(statePath)) return [];
  const stats = await stat(statePath);
  return posixLockHolders(await readFile("/proc/locks", "utf8"), {
    ...deviceNumbers(stats.dev),
    inode: stats.ino,
  });
}

export async function findLocalLocks(
  backend: ResolvedBackend,
  _env: Record<string, string | undefined>,
  log: Logger,
): Promise<HeldLock[]> {
  const statePath = localStatePath(backend);
  const infoPath = lockInfoPath(statePath);
  const holders = await localLockHolders(statePath);
  const infoText = existsSync(infoPath) ? await readFile(infoPath, "utf8") : undefined;
  if (holders !== undefined && holders.length === 0) {
    if (infoText !== undefined)
      log.info(`${infoPath} was left by a run that ended without unlocking; the state is not locked`);
    return [];
  }
  if (infoText === undefined) {
    if (holders === undefined) return [];
    // Locked (another tool, or between taking the lock and writing the file): no LockInfo to show.
    return [
      {
        backend: "local",
        id: `pid ${holders.join(",")}`,
        info: `${statePath} (process ${holders.join(", ")})`,
      },
    ];
  }
  const where = holders === undefined ? infoPath : `${infoPath} (process ${holders.join(", ")})`;
  return [parseLockInfo(infoText, "local", where)];
}
