import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PipeError } from "@pipes/core";
import { LocalStore } from "@pipes/storage";
import { beforeAll, describe, expect, it } from "vitest";
import { backupState, type Keyring, listBackups } from "../src/backups.ts";
import { pushBack, restoreToFile, selectVersion } from "../src/restore.ts";
import { inspectState } from "../src/state.ts";
import type { StateSource } from "../src/terraform.ts";
import { quietLog, terraformWorkspace, type Workspace } from "./terraform-fixture.ts";

const keys: Keyring = { passphrase: "correct horse battery staple", scrypt: { N: 2 ** 12, r: 8, p: 1 } };
let ws: Workspace;
let store: LocalStore;
let source: StateSource;
const states: Uint8Array[] = [];

async function failure(promise: Promise<unknown>): Promise<PipeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PipeError);
  return error as PipeError;
}

beforeAll(async () => {
  ws = await terraformWorkspace("terraform");
  store = new LocalStore(await mkdtemp(path.join(tmpdir(), "state-guard-restore-")));
  for (const value of ["one", "two", "three"]) {
    await ws.apply(value);
    const bytes = await ws.pull();
    states.push(bytes);
    await backupState(store, bytes, { keys });
  }
  source = {
    binary: "terraform",
    moduleDir: ws.dir,
    dataDir: path.join(ws.dir, ".tfdata"),
    env: { CHECKPOINT_DISABLE: "1" },
  };
}, 240_000);

const outputValue = (bytes: Uint8Array) =>
  (JSON.parse(Buffer.from(bytes).toString()) as { outputs: { value: { value: string } } }).outputs.value
    .value;

describe("restore of real terraform states", () => {
  it("selects by serial, latest, and refuses an unknown serial with RESTORE_VERSION", async () => {
    const backups = await listBackups(store);
    const first = inspectState(states[0] as Uint8Array);
    expect(selectVersion(backups, { serial: first.serial }).sha256).toBe(first.sha256);
    expect(selectVersion(backups, "latest").sha256).toBe(inspectState(states[2] as Uint8Array).sha256);
    expect(() => selectVersion(backups, { serial: 9999 })).toThrow(/RESTORE_VERSION/);
    expect(() => selectVersion([], "latest")).toThrow(/RESTORE_VERSION/);
  });

  it("writes the decrypted, verified state to a file with mode 0600", async () => {
    const backups = await listBackups(store);
    const file = path.join(await mkdtemp(path.join(tmpdir(), "state-guard-out-")), "restored.tfstate");
    await restoreToFile(store, selectVersion(backups, { serial: backups[0]?.serial }), keys, file);
    expect(Buffer.from(await readFile(file)).equals(Buffer.from(states[0] as Uint8Array))).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await rm(path.dirname(file), { recursive: true, force: true });
  });

  it("without RESTORE_CONFIRM=true refuses and changes nothing", async () => {
    const before = await ws.pull();
    const backup = (await listBackups(store))[0];
    if (!backup) throw new Error("no backup");
    const error = await failure(
      pushBack({ source, store, backup, keys, confirm: undefined, log: quietLog() }),
    );
    expect(error.code).toBe("RESTORE_NOT_CONFIRMED");
    expect(error.suggestion).toMatch(/RESTORE_CONFIRM/);
    expect(Buffer.from(await ws.pull()).equals(Buffer.from(before))).toBe(true);
  }, 60_000);

  it("refuses a backup of another lineage with RESTORE_LINEAGE_MISMATCH and pushes nothing", async () => {
    const other = await terraformWorkspace("terraform");
    await other.apply("elsewhere");
    const otherStore = new LocalStore(await mkdtemp(path.join(tmpdir(), "state-guard-other-")));
    await backupState(otherStore, await other.pull(), { keys });
    const foreign = (await listBackups(otherStore))[0];
    if (!foreign) throw new Error("no backup");
    const before = await ws.pull();
    const error = await failure(
      pushBack({ source, store: otherStore, backup: foreign, keys, confirm: true, log: quietLog() }),
    );
    expect(error.code).toBe("RESTORE_LINEAGE_MISMATCH");
    expect(Buffer.from(await ws.pull()).equals(Buffer.from(before))).toBe(true);
  }, 120_000);

  it("pushes version 'one' back: outputs show 'one' and the serial is raised past the current", async () => {
    const current = inspectState(await ws.pull());
    expect(outputValue(await ws.pull())).toBe("three");
    const backups = await listBackups(store);
    const one = selectVersion(backups, { serial: inspectState(states[0] as Uint8Array).serial });
    const { serial } = await pushBack({ source, store, backup: one, keys, confirm: true, log: quietLog() });
    const after = await ws.pull();
    // Set to current + 1; terraform's local backend raises it once more as it writes the changed state.
    expect(serial).toBeGreaterThan(current.serial);
    expect(inspectState(after).serial).toBe(serial);
    expect(inspectState(after).lineage).toBe(current.lineage);
    expect(outputValue(after)).toBe("one");
  }, 120_000);
});
