import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PipeError } from "@pipes/core";
import { LocalStore, type ObjectStore, type PutStep } from "@pipes/storage";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backupState, listBackups, readBackup } from "../src/backups.ts";
import { inspectState } from "../src/state.ts";
import { terraformWorkspace, type Workspace } from "./terraform-fixture.ts";

const keys = { passphrase: "correct horse battery staple", scrypt: { N: 2 ** 12, r: 8, p: 1 } };
let dir: string;
let store: LocalStore;
let ws: Workspace;
const states: Uint8Array[] = [];

beforeAll(async () => {
  ws = await terraformWorkspace("terraform");
  for (const value of ["one", "two", "three"]) {
    await ws.apply(value);
    states.push(await ws.pull());
  }
}, 180_000);

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "state-guard-store-"));
  store = new LocalStore(dir);
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

async function snapshot(s: ObjectStore): Promise<string[]> {
  return (await s.list()).map((o) => `${o.key}:${o.metadata.sha256}`);
}

async function failure(promise: Promise<unknown>): Promise<PipeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PipeError);
  return error as PipeError;
}

describe("backup of real terraform states", () => {
  it("pulls a valid version 4 state with rising serials from a real terraform run", () => {
    const infos = states.map((s) => inspectState(s));
    expect(infos.map((i) => i.terraformVersion)).toEqual(["1.13.3", "1.13.3", "1.13.3"]);
    expect(new Set(infos.map((i) => i.lineage)).size).toBe(1);
    expect(infos[1]?.serial).toBeGreaterThan(infos[0]?.serial ?? Infinity);
    expect(infos[2]?.serial).toBeGreaterThan(infos[1]?.serial ?? Infinity);
  });

  it("keeps each version encrypted, verified, with lineage/serial/sha256/time/commit; unchanged makes no new version", async () => {
    const first = await backupState(store, states[0] as Uint8Array, { keys, commit: "abc123" });
    expect(first.status).toBe("created");
    const again = await backupState(store, states[0] as Uint8Array, { keys, commit: "def456" });
    expect(again.status).toBe("unchanged");
    await backupState(store, states[1] as Uint8Array, { keys, commit: "def456" });
    const backups = await listBackups(store);
    expect(backups.map((b) => b.serial)).toEqual(states.slice(0, 2).map((s) => inspectState(s).serial));
    expect(backups[0]).toMatchObject({
      commit: "abc123",
      lineage: inspectState(states[0] as Uint8Array).lineage,
    });
    // Encrypted at rest: the value applied is in the state, not in the stored file.
    const raw = await readFile(path.join(dir, ...(backups[1]?.key ?? "").split("/")));
    expect(Buffer.from(states[1] as Uint8Array).toString()).toContain('"two"');
    expect(raw.toString()).not.toContain('"two"');
    const { plaintext } = await readBackup(store, backups[1] as (typeof backups)[number], keys);
    expect(plaintext.equals(Buffer.from(states[1] as Uint8Array))).toBe(true);
  });

  it("a lineage change is a FAIL that changes nothing", async () => {
    await backupState(store, states[0] as Uint8Array, { keys });
    const other = await terraformWorkspace("terraform");
    await other.apply("elsewhere");
    const before = await snapshot(store);
    const error = await failure(backupState(store, await other.pull(), { keys }));
    expect(error.code).toBe("LINEAGE_CHANGED");
    expect(error.message).toMatch(/another state is about to replace this one/);
    expect(await snapshot(store)).toEqual(before);
    await rm(other.dir, { recursive: true, force: true });
  });

  it("a serial rollback is a FAIL that changes nothing", async () => {
    await backupState(store, states[0] as Uint8Array, { keys });
    await backupState(store, states[2] as Uint8Array, { keys });
    const before = await snapshot(store);
    const error = await failure(backupState(store, states[1] as Uint8Array, { keys }));
    expect(error.code).toBe("SERIAL_ROLLBACK");
    expect(error.message).toMatch(/lower than the newest backup's/);
    expect(await snapshot(store)).toEqual(before);
  });

  it("a wrong passphrase is a FAIL that changes nothing; an old one after rotation still reads", async () => {
    await backupState(store, states[0] as Uint8Array, { keys });
    const before = await snapshot(store);
    const error = await failure(
      backupState(store, states[1] as Uint8Array, { keys: { ...keys, passphrase: "wrong" } }),
    );
    expect(error.code).toBe("BACKUP_WRONG_PASSPHRASE");
    expect(await snapshot(store)).toEqual(before);
    const rotated = { ...keys, passphrase: "new passphrase", previous: [keys.passphrase] };
    expect((await backupState(store, states[1] as Uint8Array, { keys: rotated })).status).toBe("created");
    const backups = await listBackups(store);
    for (const b of backups) await readBackup(store, b, rotated);
  });

  it("tampered ciphertext is a FAIL that changes nothing", async () => {
    await backupState(store, states[0] as Uint8Array, { keys });
    const [backup] = await listBackups(store);
    const file = path.join(dir, ...(backup?.key ?? "").split("/"));
    const bytes = await readFile(file);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0x01;
    await writeFile(file, bytes);
    const before = await snapshot(store);
    const error = await failure(backupState(store, states[1] as Uint8Array, { keys }));
    expect(error.code).toBe("BACKUP_TAMPERED");
    expect(error.message).toMatch(/tampered/);
    expect(await snapshot(store)).toEqual(before);
  });

  it("refuses what is not a version 4 state", async () => {
    const state = JSON.parse(Buffer.from(states[0] as Uint8Array).toString());
    for (const [broken, message] of [
      ["{not json", /not JSON/],
      [JSON.stringify({ ...state, version: 3 }), /format version 3, expected 4/],
      [JSON.stringify({ ...state, lineage: undefined }), /lineage/],
      [JSON.stringify({ ...state, serial: -1 }), /serial/],
      [JSON.stringify({ ...state, terraform_version: "" }), /terraform_version/],
    ] as const) {
      const error = await failure(backupState(store, Buffer.from(broken), { keys }));
      expect(error.code).toBe("STATE_INVALID");
      expect(error.message).toMatch(message);
    }
    expect(await store.list()).toEqual([]);
  });
});

describe("crash injection", () => {
  for (const step of ["open", "write", "fsync", "rename", "fsync-dir"] satisfies PutStep[]) {
    it(`a backup killed at ${step} leaves every earlier version, the newest intact, nothing half-written`, async () => {
      await backupState(store, states[0] as Uint8Array, { keys });
      await backupState(store, states[1] as Uint8Array, { keys });
      const before = await snapshot(store);
      const crashing = new LocalStore(dir, {
        beforeStep: (s) => {
          if (s === step) throw new Error(`killed at ${s}`);
        },
      });
      await expect(backupState(crashing, states[2] as Uint8Array, { keys })).rejects.toThrow(
        `killed at ${step}`,
      );
      const after = new LocalStore(dir);
      const backups = await listBackups(after);
      // After the rename the object is whole: it may count (it is complete and verifiable); before, never.
      if (step === "fsync-dir") expect(backups).toHaveLength(3);
      else expect(await snapshot(after)).toEqual(before);
      for (const b of backups) await readBackup(after, b, keys);
      expect(await after.leftovers()).toEqual([]);
      // The next run completes the history.
      const next = await backupState(after, states[2] as Uint8Array, { keys });
      expect(next.status).toBe(step === "fsync-dir" ? "unchanged" : "created");
    });
  }

  it("a backup whose read-back does not verify is removed and FAILs", async () => {
    await backupState(store, states[0] as Uint8Array, { keys });
    const before = await snapshot(store);
    let puts = 0;
    const corrupting: ObjectStore = {
      location: store.location,
      put: (k, body, m) => {
        puts++;
        const bad = Uint8Array.from(body);
        bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0xff;
        return store.put(k, bad, m);
      },
      get: (k) => store.get(k),
      head: (k) => store.head(k),
      list: (p) => store.list(p),
      delete: (k) => store.delete(k),
    };
    const error = await failure(backupState(corrupting, states[1] as Uint8Array, { keys }));
    expect(puts).toBe(1);
    expect(error.code).toBe("BACKUP_VERIFY_FAILED");
    expect(await snapshot(store)).toEqual(before);
  });
});
