import { PipeError } from "@pipes/core";
import { describe, expect, it } from "vitest";
import { azurermBlobName } from "../src/locks/azurerm.ts";
import { gcsLockObject } from "../src/locks/gcs.ts";
import type { ResolvedBackend } from "../src/locks/init.ts";
import { localStatePath, lockInfoPath, posixLockHolders } from "../src/locks/local.ts";
import { s3StateKey } from "../src/locks/s3.ts";
import { describeLock, type HeldLock, lockVerdict, parseLockInfo } from "../src/locks.ts";

const now = new Date("2026-12-07T12:00:00Z");
const lock = (ageSeconds: number | undefined, id = "0da3676e-e778-85ac-9a5c-fcdafc7b2692"): HeldLock => ({
  backend: "s3",
  id,
  who: "runner@ci",
  operation: "OperationTypeApply",
  ...(ageSeconds === undefined ? {} : { created: new Date(now.getTime() - ageSeconds * 1000) }),
  info: "s3://tfstate/live/dev/terraform.tfstate.tflock",
});

describe("lockVerdict", () => {
  it("passes when no lock is held", () => {
    expect(lockVerdict([], { staleAfterSeconds: 3600, staleAction: "fail" }, now)).toEqual({
      verdict: "PASS",
      locks: [],
      reasons: [],
    });
  });

  it("passes but lists a fresh lock as a run in progress, with its age", () => {
    const result = lockVerdict([lock(300)], { staleAfterSeconds: 3600, staleAction: "fail" }, now);
    expect(result.verdict).toBe("PASS");
    expect(result.locks).toEqual([expect.objectContaining({ ageSeconds: 300, stale: false })]);
    expect(result.reasons).toEqual([
      "lock 0da3676e-e778-85ac-9a5c-fcdafc7b2692 (OperationTypeApply by runner@ci) in s3://tfstate/live/dev/terraform.tfstate.tflock is held for 5 min: a run is probably in progress",
    ]);
  });

  it.each([
    ["warn", "WARN"],
    ["fail", "FAIL"],
  ] as const)("a lock older than the threshold is stale: staleAction %s gives %s", (staleAction, verdict) => {
    const result = lockVerdict([lock(7200)], { staleAfterSeconds: 3600, staleAction }, now);
    expect(result.verdict).toBe(verdict);
    expect(result.locks[0]).toMatchObject({ ageSeconds: 7200, stale: true });
    expect(result.reasons[0]).toContain("is stale: held for 2 h, longer than 60 min");
  });

  it("a lock exactly at the threshold is not yet stale", () => {
    expect(lockVerdict([lock(3600)], { staleAfterSeconds: 3600, staleAction: "fail" }, now).verdict).toBe(
      "PASS",
    );
  });

  it("one stale lock among fresh ones decides the verdict", () => {
    const result = lockVerdict(
      [lock(10, "fresh"), lock(90_000, "old")],
      { staleAfterSeconds: 600, staleAction: "fail" },
      now,
    );
    expect(result.verdict).toBe("FAIL");
    expect(result.locks.map((l) => [l.id, l.stale])).toEqual([
      ["fresh", false],
      ["old", true],
    ]);
    expect(result.reasons[1]).toContain("held for 25 h");
  });

  it("a lock without a creation time has an unknown age: listed, never stale", () => {
    const result = lockVerdict([lock(undefined)], { staleAfterSeconds: 0, staleAction: "fail" }, now);
    expect(result.verdict).toBe("PASS");
    expect(result.locks[0]).toMatchObject({ stale: false });
    expect(result.locks[0]?.ageSeconds).toBeUndefined();
    expect(result.reasons[0]).toContain("has no creation time: its age is unknown");
  });

  it("a Created time in the future (clock skew) is age 0, not negative", () => {
    expect(
      lockVerdict([lock(-30)], { staleAfterSeconds: 10, staleAction: "fail" }, now).locks[0]?.ageSeconds,
    ).toBe(0);
  });
});

describe("parseLockInfo", () => {
  it("rejects lock information that is not JSON, naming where it was found", () => {
    expect(() => parseLockInfo("{trunc", "s3", "s3://b/k.tflock")).toThrow(
      expect.objectContaining({
        code: "LOCK_INFO",
        message: "The lock information in s3://b/k.tflock is not JSON",
      }),
    );
  });

  it("rejects JSON without an ID", () => {
    expect(() => parseLockInfo('{"Who":"x"}', "gcs", "gs://b/default.tflock")).toThrow(PipeError);
  });

  it("leaves out an unparseable Created time instead of inventing an age", () => {
    const parsed = parseLockInfo('{"ID":"abc","Created":"yesterday"}', "local", "f");
    expect(parsed).toEqual({ backend: "local", id: "abc", info: "f" });
    expect(describeLock(parsed)).toBe("lock abc in f");
  });
});

describe("where each backend keeps a workspace's lock", () => {
  const backend = (type: string, workspace: string, config: Record<string, unknown>): ResolvedBackend => ({
    type,
    workspace,
    config,
    moduleDir: "/repo/live",
  });

  it.each([
    ["default", {}, "/repo/live/terraform.tfstate"],
    ["default", { path: "state/dev.tfstate" }, "/repo/live/state/dev.tfstate"],
    ["staging", {}, "/repo/live/terraform.tfstate.d/staging/terraform.tfstate"],
    ["staging", { workspace_dir: "ws" }, "/repo/live/ws/staging/terraform.tfstate"],
  ])("local, workspace %s %j: %s", (workspace, config, expected) => {
    const statePath = localStatePath(backend("local", workspace, config));
    expect(statePath).toBe(expected);
    expect(lockInfoPath(statePath)).toBe(expected.replace(/[^/]+$/, (name) => `.${name}.lock.info`));
  });

  it.each([
    ["default", { key: "live/dev.tfstate" }, "live/dev.tfstate"],
    ["staging", { key: "live/dev.tfstate" }, "env:/staging/live/dev.tfstate"],
    [
      "staging",
      { key: "live/dev.tfstate", workspace_key_prefix: "workspaces" },
      "workspaces/staging/live/dev.tfstate",
    ],
  ])("s3, workspace %s %j: %s", (workspace, config, expected) => {
    expect(s3StateKey(backend("s3", workspace, config))).toBe(expected);
  });

  it("gcs: <prefix>/<workspace>.tflock", () => {
    expect(gcsLockObject(backend("gcs", "default", { prefix: "live/dev/" }))).toBe("live/dev/default.tflock");
    expect(gcsLockObject(backend("gcs", "staging", {}))).toBe("staging.tflock");
  });

  it("azurerm: the state blob, <key>env:<workspace> outside default", () => {
    expect(azurermBlobName(backend("azurerm", "default", { key: "dev.tfstate" }))).toBe("dev.tfstate");
    expect(azurermBlobName(backend("azurerm", "staging", { key: "dev.tfstate" }))).toBe(
      "dev.tfstateenv:staging",
    );
  });
});

describe("posixLockHolders", () => {
  // /proc/locks as Linux prints it (proc(5)); the `->` line is a process waiting for the lock.
  const procLocks = [
    "1: POSIX  ADVISORY  WRITE 11543 fe:00:11144703 0 EOF",
    "1: -> POSIX  ADVISORY  WRITE 11600 fe:00:11144703 0 EOF",
    "2: FLOCK  ADVISORY  WRITE 900 fe:00:11144703 0 EOF",
    "3: POSIX  ADVISORY  WRITE 700 fe:01:11144703 0 EOF",
  ].join("\n");

  it("finds the process holding a POSIX lock on the file, not waiters, flocks or other devices", () => {
    expect(posixLockHolders(procLocks, { major: 0xfe, minor: 0, inode: 11144703 })).toEqual([11543]);
    expect(posixLockHolders(procLocks, { major: 0xfe, minor: 0, inode: 1 })).toEqual([]);
  });
});
