/**
 * Crash injection with real kills: a child process backs up a real terraform state and is SIGKILLed
 * before each step of the store's atomic put (open, write, fsync, rename, fsync-dir) and while the
 * new backup is being verified. After each kill the store still holds every earlier version, its
 * newest readable version is intact, nothing half-written is listed as a backup, and the next
 * backup run succeeds.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { LocalStore } from "@pipes/storage";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditStore } from "../src/audit.ts";
import { backupState, listBackups, readBackup } from "../src/backups.ts";
import { sha256 } from "../src/state.ts";
import { CRASH_KEYS } from "./crash-keys.ts";
import { terraformWorkspace } from "./terraform-fixture.ts";

const states: Uint8Array[] = [];
let dir: string;
let work: string;

beforeAll(async () => {
  const ws = await terraformWorkspace("terraform");
  for (const value of ["one", "two", "three"]) {
    await ws.apply(value);
    states.push(await ws.pull());
  }
}, 180_000);
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), "state-guard-crash-"));
  dir = path.join(work, "store");
});
afterEach(async () => rm(work, { recursive: true, force: true }));

async function until(condition: () => boolean, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (child.exitCode !== null)
      throw new Error(`the child exited (${child.exitCode}) before stopping:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`the child never stopped:\n${output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs the child until it stops at `step`, then SIGKILLs it. */
async function killedAt(step: string, state: Uint8Array): Promise<void> {
  const stateFile = path.join(work, "state.tfstate");
  const marker = path.join(work, "stopped");
  await writeFile(stateFile, state);
  await rm(marker, { force: true });
  const child = spawn(
    process.execPath,
    [path.join(import.meta.dirname, "crash-child.ts"), dir, stateFile, step, marker],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (c) => (output += c));
  child.stderr?.on("data", (c) => (output += c));
  await until(
    () => existsSync(marker),
    child,
    () => output,
  );
  expect(await readFile(marker, "utf8")).toBe(step);
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on("exit", (_code, signal) => resolve(signal)),
  );
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
}

const serialOf = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString("utf8")).serial as number;
/** Steps killed before the rename: the object never reached its key. */
const BEFORE_RENAME = ["open", "write", "fsync", "rename"];
/** Steps at which the child holds a temp file under .pipes-tmp/ (opened, not yet renamed). */
const TEMP_FILE_LEFT = ["write", "fsync", "rename"];

/** What a user sees after the kill: the audit and what each listed backup decrypts to. */
async function expectOnlyWholeBackups(store: LocalStore, sources: readonly Uint8Array[]): Promise<void> {
  const listed = await listBackups(store);
  expect(listed).toHaveLength(sources.length);
  for (const [i, backup] of listed.entries()) {
    const { plaintext } = await readBackup(store, backup, CRASH_KEYS);
    expect(sha256(plaintext)).toBe(sha256(sources[i] as Uint8Array));
  }
  // Everything under the store's prefix is a whole backup: no problem, no object the audit cannot read.
  const audit = await auditStore(store, CRASH_KEYS);
  expect(audit.problems).toEqual([]);
  expect(audit.checked).toBe(sources.length);
  expect((await store.list("")).map((o) => o.key)).toEqual(listed.map((b) => b.key));
}

describe("a backup SIGKILLed part way", () => {
  it.each(["open", "write", "fsync", "rename", "fsync-dir", "verify"])(
    "before %s leaves every earlier version readable, nothing half-written listed, and the next run succeeds",
    async (step) => {
      const store = new LocalStore(dir);
      await backupState(store, states[0] as Uint8Array, { keys: CRASH_KEYS });
      await backupState(store, states[1] as Uint8Array, { keys: CRASH_KEYS });
      const earlier = await listBackups(store);
      expect(earlier).toHaveLength(2);

      await killedAt(step, states[2] as Uint8Array);

      const after = await listBackups(store);
      // Every earlier version is still there, under its key, and opens to the state it was made from.
      for (const backup of earlier) expect(after.map((b) => b.key)).toContain(backup.key);
      const beforeRename = BEFORE_RENAME.includes(step);
      // A kill before the rename leaves no new backup; after it, a complete one (decrypts, hash matches).
      await expectOnlyWholeBackups(store, beforeRename ? states.slice(0, 2) : states);
      expect(after.at(-1)?.serial).toBe(serialOf(states[beforeRename ? 1 : 2] as Uint8Array));
      // The half-written object is really there, as a temp file the store never lists.
      expect(await store.leftovers()).toHaveLength(TEMP_FILE_LEFT.includes(step) ? 1 : 0);

      const next = await backupState(store, states[2] as Uint8Array, { keys: CRASH_KEYS });
      expect(next.status).toBe(beforeRename ? "created" : "unchanged");
      await expectOnlyWholeBackups(store, states);
    },
  );

  it("the first backup of an empty store killed before its rename leaves no backup, and the next run creates it", async () => {
    await killedAt("fsync", states[0] as Uint8Array);
    const store = new LocalStore(dir);
    expect(await store.leftovers()).toHaveLength(1);
    await expectOnlyWholeBackups(store, []);

    expect((await backupState(store, states[0] as Uint8Array, { keys: CRASH_KEYS })).status).toBe("created");
    await expectOnlyWholeBackups(store, states.slice(0, 1));
  });
});
