/**
 * The process the crash test kills: one backupState into a LocalStore, which stops (and waits to be
 * SIGKILLed) before the put step named in argv, or while the backup is being verified.
 *
 *   node crash-child.ts <store dir> <state file> <open|write|fsync|rename|fsync-dir|verify> <marker file>
 */
import { readFile, writeFile } from "node:fs/promises";
import { LocalStore, type PutStep } from "@pipes/storage";
import { backupState } from "../src/backups.ts";
import { CRASH_KEYS } from "./crash-keys.ts";

const [dir, stateFile, stopAt, marker] = process.argv.slice(2) as [
  string,
  string,
  PutStep | "verify",
  string,
];
const hang = async (): Promise<never> => {
  await writeFile(marker, stopAt);
  // Wait for the SIGKILL; the timer keeps the event loop (and the process) alive.
  return new Promise<never>(() => setInterval(() => {}, 1000));
};

class StoppingStore extends LocalStore {
  #written = false;
  override async put(key: string, body: Uint8Array, metadata?: Record<string, string>): Promise<void> {
    await super.put(key, body, metadata);
    this.#written = true;
  }
  override async get(key: string) {
    if (stopAt === "verify" && this.#written) await hang();
    return super.get(key);
  }
}

const store = new StoppingStore(dir, {
  beforeStep: async (step) => {
    if (step === stopAt) await hang();
  },
});
await backupState(store, await readFile(stateFile), { keys: CRASH_KEYS });
await writeFile(marker, "finished");
