/**
 * Backups in an ObjectStore. One object per state version:
 * `states/<lineage>/<serial, 12 digits>-<sha256 first 16>.tfstate.sgb`, its store metadata carrying
 * lineage, serial, sha256, time, commit and terraform_version (the same values are authenticated
 * inside the encrypted object's header, so metadata alone is never trusted for a restore).
 */
import { PipeError } from "@pipes/core";
import type { ObjectInfo, ObjectStore } from "@pipes/storage";
import {
  type BackupHeader,
  DEFAULT_PBKDF2_ITERATIONS,
  DEFAULT_SCRYPT,
  decryptBackup,
  encryptBackup,
  type KeyService,
  type KeyWrapping,
  type ScryptParams,
} from "./crypto.ts";
import { inspectState, type StateInfo, sha256 } from "./state.ts";

export const PREFIX = "states/";

export interface Backup {
  key: string;
  lineage: string;
  serial: number;
  sha256: string;
  time: Date;
  commit: string;
  terraformVersion: string;
  size: number;
}

export function backupKey(state: StateInfo): string {
  return `${PREFIX}${state.lineage}/${String(state.serial).padStart(12, "0")}-${state.sha256.slice(0, 16)}.tfstate.sgb`;
}

/** A listed object as a backup; undefined for objects that are not backups (foreign or damaged metadata). */
export function toBackup(info: ObjectInfo): Backup | undefined {
  const m = info.metadata;
  const serial = Number(m.serial);
  const time = new Date(m.time ?? "");
  if (!info.key.endsWith(".tfstate.sgb") || !m.lineage || !Number.isSafeInteger(serial) || !m.sha256)
    return undefined;
  if (Number.isNaN(time.getTime())) return undefined;
  return {
    key: info.key,
    lineage: m.lineage,
    serial,
    sha256: m.sha256,
    time,
    commit: m.commit ?? "",
    terraformVersion: m.terraform_version ?? "",
    size: info.size,
  };
}

/** Every backup, oldest first (by serial within a lineage, lineages by time). */
export async function listBackups(store: ObjectStore): Promise<Backup[]> {
  const backups = (await store.list(PREFIX)).map(toBackup).filter((b): b is Backup => b !== undefined);
  return backups.sort(
    (a, b) => a.time.getTime() - b.time.getTime() || a.serial - b.serial || a.key.localeCompare(b.key),
  );
}

export function newest(backups: readonly Backup[]): Backup | undefined {
  return backups.at(-1);
}

export interface Keyring {
  /** Encrypts new backups when there is no `service`; tried first when decrypting. */
  passphrase?: string;
  /** Older passphrases after a rotation: old backups stay readable. */
  previous?: readonly string[];
  kdf?: "scrypt" | "pbkdf2";
  scrypt?: ScryptParams;
  pbkdf2Iterations?: number;
  /** A key service (AWS KMS, Azure Key Vault, GCP KMS): wraps new backups' data keys when set. */
  service?: KeyService;
}

const decryptionKeys = (keys: Keyring) => ({
  passphrases: [...(keys.passphrase ? [keys.passphrase] : []), ...(keys.previous ?? [])],
  services: keys.service ? [keys.service] : [],
});

/** How a new backup's data key is wrapped under `keys`. */
export function keyWrapping(keys: Keyring): KeyWrapping {
  if (keys.service) return { kind: "service", service: keys.service };
  if (!keys.passphrase)
    throw new PipeError("no key to encrypt with: KEY_SOURCE=passphrase needs STATE_PASSPHRASE", {
      code: "STATE_PASSPHRASE",
    });
  return keys.kdf === "pbkdf2"
    ? {
        kind: "passphrase",
        passphrase: keys.passphrase,
        kdf: "pbkdf2",
        iterations: keys.pbkdf2Iterations ?? DEFAULT_PBKDF2_ITERATIONS,
      }
    : {
        kind: "passphrase",
        passphrase: keys.passphrase,
        kdf: "scrypt",
        scrypt: keys.scrypt ?? DEFAULT_SCRYPT,
      };
}

/** Reads, decrypts and checks one backup against its hash and its metadata. */
export async function readBackup(
  store: ObjectStore,
  backup: Backup,
  keys: Keyring,
): Promise<{ plaintext: Buffer; header: BackupHeader }> {
  const where = `backup ${backup.key} in ${store.location}`;
  const object = await store.get(backup.key);
  if (!object) throw new PipeError(`${where} has disappeared`, { code: "BACKUP_MISSING" });
  const { header, plaintext } = await decryptBackup(object.body, decryptionKeys(keys), where);
  const hash = sha256(plaintext);
  if (hash !== header.state.sha256 || hash !== backup.sha256)
    throw new PipeError(`${where} does not match its sha256 (decrypted ${hash}, recorded ${backup.sha256})`, {
      code: "BACKUP_TAMPERED",
    });
  if (header.state.lineage !== backup.lineage || header.state.serial !== backup.serial)
    throw new PipeError(`${where}: its metadata (lineage/serial) differs from the authenticated header`, {
      code: "BACKUP_TAMPERED",
    });
  return { plaintext, header };
}

export type BackupOutcome =
  | { status: "created"; backup: Backup; previous: Backup | undefined; verifyMs: number }
  | { status: "unchanged"; backup: Backup };

export interface BackupOptions {
  keys: Keyring;
  commit?: string;
  now?: () => Date;
  /** A lineage change is refused unless this is set (a deliberate new state). */
  allowNewLineage?: boolean;
}

/**
 * Guards, encrypts, writes and verifies one state version. Every refusal happens before anything
 * is written: a FAIL leaves the store as it was.
 */
export async function backupState(
  store: ObjectStore,
  bytes: Uint8Array,
  options: BackupOptions,
): Promise<BackupOutcome> {
  const state = inspectState(bytes, "the pulled state");
  const backups = await listBackups(store);
  const last = newest(backups);
  if (last) {
    // The passphrase must open the newest backup: a wrong one would start a second, unreadable history.
    await readBackup(store, last, options.keys);
    if (last.lineage !== state.lineage && !options.allowNewLineage)
      throw new PipeError(
        `the state's lineage ${state.lineage} differs from the newest backup's ${last.lineage} (serial ${last.serial}): another state is about to replace this one`,
        {
          code: "LINEAGE_CHANGED",
          suggestion:
            "Check the backend configuration of this branch; set ALLOW_NEW_LINEAGE=true only for a deliberate new state.",
        },
      );
    if (last.lineage === state.lineage) {
      if (state.serial < last.serial)
        throw new PipeError(
          `the state's serial ${state.serial} is lower than the newest backup's ${last.serial}: a rollback (an older state was pushed over a newer one)`,
          {
            code: "SERIAL_ROLLBACK",
            suggestion: `Restore serial ${last.serial} or newer with MODE=restore.`,
          },
        );
      if (state.sha256 === last.sha256) return { status: "unchanged", backup: last };
      if (state.serial === last.serial)
        throw new PipeError(
          `the state has serial ${state.serial} like the newest backup but other content: two runs diverged`,
          {
            code: "SERIAL_DIVERGED",
            suggestion: "Find which run wrote the state; Terraform raises the serial on every change.",
          },
        );
    }
  }
  const time = (options.now ?? (() => new Date()))();
  const key = backupKey(state);
  const header = {
    lineage: state.lineage,
    serial: state.serial,
    sha256: state.sha256,
    terraformVersion: state.terraformVersion,
    size: state.size,
  };
  const object = await encryptBackup(bytes, header, keyWrapping(options.keys));
  const metadata = {
    lineage: state.lineage,
    serial: String(state.serial),
    sha256: state.sha256,
    time: time.toISOString(),
    commit: options.commit ?? "",
    terraform_version: state.terraformVersion,
    format: "state-guard-backup/1",
  };
  await store.put(key, object, metadata);
  const backup: Backup = {
    key,
    lineage: state.lineage,
    serial: state.serial,
    sha256: state.sha256,
    time,
    commit: metadata.commit,
    terraformVersion: state.terraformVersion,
    size: object.byteLength,
  };
  const started = performance.now();
  try {
    await readBackup(store, backup, options.keys);
  } catch (error) {
    // A backup that does not read back is no backup: remove it so it never counts as one.
    await store.delete(key).catch(() => {});
    throw new PipeError(
      `the backup written to ${store.location} did not verify: ${(error as Error).message}`,
      {
        code: "BACKUP_VERIFY_FAILED",
        cause: error,
      },
    );
  }
  return { status: "created", backup, previous: last, verifyMs: performance.now() - started };
}
