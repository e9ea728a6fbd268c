/** Restore: pick a backup, write it to a file, or push it back through the backend. */
import { chmod } from "node:fs/promises";
import { InputError, type Logger, PipeError, writeFileAtomic } from "@pipes/core";
import type { ObjectStore } from "@pipes/storage";
import { type Backup, type Keyring, readBackup } from "./backups.ts";
import { inspectState } from "./state.ts";
import { pullState, pushState, type StateSource } from "./terraform.ts";

export type VersionSelector = { serial?: number; lineage?: string; key?: string } | "latest";

const newestFirst = (a: Backup, b: Backup) =>
  b.time.getTime() - a.time.getTime() || b.serial - a.serial || b.key.localeCompare(a.key);

export function selectVersion(backups: readonly Backup[], selector: VersionSelector): Backup {
  const sorted = [...backups].sort(newestFirst);
  if (selector === "latest") {
    const [latest] = sorted;
    if (!latest)
      throw new InputError("RESTORE_VERSION=latest: the store holds no backup", {
        code: "RESTORE_VERSION",
        suggestion: "Run state-guard in backup mode first, or check the store location.",
      });
    return latest;
  }
  const matches = sorted.filter(
    (b) =>
      (selector.key === undefined || b.key === selector.key) &&
      (selector.serial === undefined || b.serial === selector.serial) &&
      (selector.lineage === undefined || b.lineage === selector.lineage),
  );
  const wanted = JSON.stringify(selector);
  if (matches.length === 0)
    throw new InputError(`RESTORE_VERSION ${wanted} matches no backup`, {
      code: "RESTORE_VERSION",
      suggestion: "List the backups (MODE=audit) and name a serial, lineage or key that exists.",
    });
  if (matches.length > 1)
    throw new InputError(`RESTORE_VERSION ${wanted} matches ${matches.length} backups`, {
      code: "RESTORE_VERSION",
      suggestion: "Add the lineage (or name the key) to pick one backup.",
    });
  return matches[0] as Backup;
}

/** Decrypts and verifies `backup`, then writes it atomically to `file`, readable by the owner only. */
export async function restoreToFile(
  store: ObjectStore,
  backup: Backup,
  keys: Keyring,
  file: string,
): Promise<void> {
  const { plaintext } = await readBackup(store, backup, keys);
  await writeFileAtomic(file, plaintext);
  await chmod(file, 0o600);
}

/** The state with only its top-level "serial" rewritten. */
export function withSerial(bytes: Uint8Array, serial: number): Buffer {
  const text = Buffer.from(bytes).toString("utf8");
  const rewritten = text.replace(/"serial"(\s*):(\s*)\d+/, `"serial"$1:$2${serial}`);
  if (inspectState(Buffer.from(rewritten)).serial !== serial)
    throw new PipeError("could not rewrite the restored state's serial", { code: "RESTORE_SERIAL" });
  return Buffer.from(rewritten, "utf8");
}

const content = (bytes: Uint8Array) => {
  const s = JSON.parse(Buffer.from(bytes).toString("utf8")) as Record<string, unknown>;
  return JSON.stringify({ lineage: s.lineage, outputs: s.outputs, resources: s.resources });
};

export interface PushBackOptions {
  source: StateSource;
  store: ObjectStore;
  backup: Backup;
  keys: Keyring;
  confirm: boolean | undefined;
  log: Logger;
}

/**
 * Pushes `backup` back as the current state (serial set to current + 1), then pulls again and checks
 * lineage, outputs and resources. Returns the serial the backend holds afterwards.
 */
export async function pushBack({ source, store, backup, keys, confirm, log }: PushBackOptions): Promise<{
  serial: number;
}> {
  if (confirm !== true)
    throw new PipeError(`restoring serial ${backup.serial} over the current state needs confirmation`, {
      code: "RESTORE_NOT_CONFIRMED",
      suggestion: "Set RESTORE_CONFIRM=true to push the backup back through the backend.",
    });
  const { plaintext } = await readBackup(store, backup, keys);
  const current = inspectState(await pullState(source, log), "the current state");
  if (current.lineage !== backup.lineage)
    throw new PipeError(
      `the backup's lineage ${backup.lineage} differs from the current state's ${current.lineage}: it belongs to another state`,
      {
        code: "RESTORE_LINEAGE_MISMATCH",
        suggestion: "Pick a backup of this state's lineage, or check the backend configuration.",
      },
    );
  const serial = current.serial + 1;
  const restored = withSerial(plaintext, serial);
  await pushState(source, restored, log);
  const after = await pullState(source, log);
  // Terraform's local backend raises the serial once more as it writes a changed state: accept ≥.
  const afterSerial = inspectState(after, "the state after the push").serial;
  if (content(after) !== content(restored) || afterSerial < serial) {
    throw new PipeError("the state read back after the push differs from the restored backup", {
      code: "RESTORE_VERIFY_FAILED",
      suggestion: "Pull the state and compare; the backend may have changed it concurrently.",
    });
  }
  return { serial: afterSerial };
}
