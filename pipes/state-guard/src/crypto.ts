/**
 * Envelope encryption of one backup. A fresh 256-bit data key per backup encrypts the state with
 * AES-256-GCM; the data key is wrapped (AES-256-GCM again) by a key derived from the passphrase with
 * scrypt, whose parameters and salt are stored in the backup's header. The header (format, KDF
 * parameters, wrapped key, IVs, and the state's lineage/serial/sha256) is the additional
 * authenticated data of the state's encryption: changing any byte of it fails decryption.
 *
 * Layout of a backup object: one line of header JSON, "\n", then the ciphertext.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb } from "node:crypto";
import { PipeError } from "@pipes/core";

export const FORMAT = "state-guard-backup/1";

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}
/** 2^15 × 8: 32 MiB and ~100 ms per derivation (OWASP's scrypt minimum is 2^17 × 8 × 1 for passwords; state passphrases are long secrets). */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

export interface BackupHeader {
  format: typeof FORMAT;
  kdf: { name: "scrypt"; salt: string } & ScryptParams;
  /** The data key, wrapped by the passphrase key: base64 of iv, tag and ciphertext. */
  wrappedKey: { iv: string; tag: string; data: string };
  cipher: { name: "aes-256-gcm"; iv: string; tag: string };
  state: { lineage: string; serial: number; sha256: string; terraformVersion: string; size: number };
}

function deriveKey(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(
      passphrase.normalize("NFC"),
      salt,
      32,
      { ...params, maxmem: 256 * params.N * params.r + 16 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

const b64 = (b: Buffer) => b.toString("base64");
const unb64 = (s: string) => Buffer.from(s, "base64");

export async function encryptBackup(
  plaintext: Uint8Array,
  state: BackupHeader["state"],
  passphrase: string,
  params: ScryptParams = DEFAULT_SCRYPT,
): Promise<Uint8Array> {
  const salt = randomBytes(16);
  const kek = await deriveKey(passphrase, salt, params);
  const dataKey = randomBytes(32);
  const wrapIv = randomBytes(12);
  const wrap = createCipheriv("aes-256-gcm", kek, wrapIv);
  const wrapped = Buffer.concat([wrap.update(dataKey), wrap.final()]);
  const iv = randomBytes(12);
  // The tag of the data is known only after encrypting, so it lives outside the AAD.
  const headerWithoutTag = {
    format: FORMAT as typeof FORMAT,
    kdf: { name: "scrypt" as const, salt: b64(salt), ...params },
    wrappedKey: { iv: b64(wrapIv), tag: b64(wrap.getAuthTag()), data: b64(wrapped) },
    cipher: { name: "aes-256-gcm" as const, iv: b64(iv) },
    state,
  };
  const cipher = createCipheriv("aes-256-gcm", dataKey, iv);
  cipher.setAAD(Buffer.from(JSON.stringify(headerWithoutTag)));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const header: BackupHeader = {
    ...headerWithoutTag,
    cipher: { ...headerWithoutTag.cipher, tag: b64(cipher.getAuthTag()) },
  };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), ciphertext]);
}

export function readHeader(object: Uint8Array, where: string): { header: BackupHeader; ciphertext: Buffer } {
  const buffer = Buffer.from(object.buffer, object.byteOffset, object.byteLength);
  const end = buffer.indexOf(0x0a);
  let header: BackupHeader | undefined;
  try {
    header = end < 0 ? undefined : (JSON.parse(buffer.subarray(0, end).toString("utf8")) as BackupHeader);
  } catch {
    header = undefined;
  }
  if (header?.format !== FORMAT)
    throw new PipeError(`${where} is not a state-guard backup (its header is missing or damaged)`, {
      code: "BACKUP_TAMPERED",
    });
  return { header, ciphertext: buffer.subarray(end + 1) };
}

/**
 * Decrypts with the first passphrase that opens the data key (the current one, then older ones:
 * rotating the passphrase keeps old backups readable). Throws BACKUP_WRONG_PASSPHRASE when none
 * opens it, BACKUP_TAMPERED when the key opens but the ciphertext or header was changed.
 */
export async function decryptBackup(
  object: Uint8Array,
  passphrases: readonly string[],
  where: string,
): Promise<{ header: BackupHeader; plaintext: Buffer }> {
  const { header, ciphertext } = readHeader(object, where);
  const { kdf, wrappedKey, cipher } = header;
  let dataKey: Buffer | undefined;
  for (const passphrase of passphrases) {
    const kek = await deriveKey(passphrase, unb64(kdf.salt), { N: kdf.N, r: kdf.r, p: kdf.p });
    try {
      const unwrap = createDecipheriv("aes-256-gcm", kek, unb64(wrappedKey.iv));
      unwrap.setAuthTag(unb64(wrappedKey.tag));
      dataKey = Buffer.concat([unwrap.update(unb64(wrappedKey.data)), unwrap.final()]);
      break;
    } catch {
      // Not this passphrase.
    }
  }
  if (!dataKey)
    throw new PipeError(
      `STATE_PASSPHRASE does not open ${where} (wrong passphrase, or its key header was changed)`,
      {
        code: "BACKUP_WRONG_PASSPHRASE",
        suggestion:
          "Use the passphrase the backups were made with; after a rotation give the old one as STATE_PASSPHRASE_PREVIOUS.",
      },
    );
  const { tag, ...rest } = cipher;
  const aad = Buffer.from(JSON.stringify({ ...header, cipher: rest }));
  try {
    const decipher = createDecipheriv("aes-256-gcm", dataKey, unb64(cipher.iv));
    decipher.setAAD(aad);
    decipher.setAuthTag(unb64(tag));
    return { header, plaintext: Buffer.concat([decipher.update(ciphertext), decipher.final()]) };
  } catch {
    throw new PipeError(`${where} has been tampered with: its ciphertext or header fails authentication`, {
      code: "BACKUP_TAMPERED",
    });
  }
}
