/**
 * Envelope encryption of one backup. A fresh 256-bit data key per backup encrypts the state with
 * AES-256-GCM; the data key is wrapped either (AES-256-GCM again) by a key derived from the
 * passphrase with scrypt or PBKDF2-SHA256, whose parameters and salt are stored in the backup's
 * header (`kdf`, `wrappedKey`), or by a key service, AWS KMS, Azure Key Vault or GCP KMS (`kms`:
 * the service, the key id and the wrapped key). The header (format, KDF parameters or key id,
 * wrapped key, IVs, and the state's lineage/serial/sha256) is the additional authenticated data of
 * the state's encryption: changing any byte of it fails decryption.
 *
 * Layout of a backup object: one line of header JSON, "\n", then the ciphertext.
 */
import {
  createCipheriv,
  createDecipheriv,
  pbkdf2 as pbkdf2Cb,
  randomBytes,
  scrypt as scryptCb,
} from "node:crypto";
import { errorMessage, PipeError, ToolError } from "@pipes/core";

export const FORMAT = "state-guard-backup/1";

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}
/** 2^15 × 8: 32 MiB and ~100 ms per derivation (OWASP's scrypt minimum is 2^17 × 8 × 1 for passwords; state passphrases are long secrets). */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

/** OWASP 2023's figure for PBKDF2-HMAC-SHA256. */
export const DEFAULT_PBKDF2_ITERATIONS = 600_000;

export type KdfHeader =
  | ({ name: "scrypt"; salt: string } & ScryptParams)
  | { name: "pbkdf2"; hash: "sha256"; iterations: number; salt: string };

export type KeyServiceName = "awskms" | "azurekv" | "gcpkms";

/** A key service that wraps and unwraps data keys; the key never leaves it. */
export interface KeyService {
  service: KeyServiceName;
  /** The key new backups are wrapped with (id, ARN, alias, key URL or resource name). */
  keyId: string;
  wrap(dataKey: Buffer): Promise<{ keyId: string; data: Buffer }>;
  /** `keyId` is the one recorded in the header: after a rotation it may be an older key. */
  unwrap(wrapped: Buffer, keyId: string): Promise<Buffer>;
}

/** How new backups are encrypted: a passphrase and its KDF, or a key service. */
export type KeyWrapping =
  | { kind: "passphrase"; passphrase: string; kdf: "scrypt"; scrypt: ScryptParams }
  | { kind: "passphrase"; passphrase: string; kdf: "pbkdf2"; iterations: number }
  | { kind: "service"; service: KeyService };

export interface BackupHeader {
  format: typeof FORMAT;
  /** Passphrase backups: the KDF and the data key wrapped by its key (base64 of iv, tag and ciphertext). */
  kdf?: KdfHeader;
  wrappedKey?: { iv: string; tag: string; data: string };
  /** Key-service backups: which service and key wrapped the data key, and the wrapped key (base64). */
  kms?: { service: KeyServiceName; keyId: string; data: string };
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

function derivePbkdf2(passphrase: string, salt: Buffer, iterations: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    pbkdf2Cb(passphrase.normalize("NFC"), salt, iterations, 32, "sha256", (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

function deriveFromHeader(passphrase: string, kdf: KdfHeader): Promise<Buffer> {
  return kdf.name === "pbkdf2"
    ? derivePbkdf2(passphrase, unb64(kdf.salt), kdf.iterations)
    : deriveKey(passphrase, unb64(kdf.salt), { N: kdf.N, r: kdf.r, p: kdf.p });
}

/** The header fields that carry the wrapped data key. */
async function wrapDataKey(
  dataKey: Buffer,
  wrapping: KeyWrapping,
): Promise<Pick<BackupHeader, "kdf" | "wrappedKey" | "kms">> {
  if (wrapping.kind === "service") {
    const { service } = wrapping;
    const { keyId, data } = await service.wrap(dataKey).catch((error: unknown) => {
      throw new ToolError(
        `${service.service} could not wrap a data key with key ${service.keyId}: ${errorMessage(error)}`,
        {
          code: "KEY_SERVICE_FAILED",
          suggestion:
            "Check KEY_SOURCE, that the key exists and is enabled, and that the step's identity may encrypt with it.",
          cause: error,
        },
      );
    });
    return { kms: { service: wrapping.service.service, keyId, data: b64(data) } };
  }
  const salt = randomBytes(16);
  const kdf: KdfHeader =
    wrapping.kdf === "pbkdf2"
      ? { name: "pbkdf2", hash: "sha256", iterations: wrapping.iterations, salt: b64(salt) }
      : { name: "scrypt", salt: b64(salt), ...wrapping.scrypt };
  const kek = await deriveFromHeader(wrapping.passphrase, kdf);
  const wrapIv = randomBytes(12);
  const wrap = createCipheriv("aes-256-gcm", kek, wrapIv);
  const wrapped = Buffer.concat([wrap.update(dataKey), wrap.final()]);
  return { kdf, wrappedKey: { iv: b64(wrapIv), tag: b64(wrap.getAuthTag()), data: b64(wrapped) } };
}

const b64 = (b: Buffer) => b.toString("base64");
const unb64 = (s: string) => Buffer.from(s, "base64");

export async function encryptBackup(
  plaintext: Uint8Array,
  state: BackupHeader["state"],
  wrapping: KeyWrapping,
): Promise<Uint8Array> {
  const dataKey = randomBytes(32);
  const keyFields = await wrapDataKey(dataKey, wrapping);
  const iv = randomBytes(12);
  // The tag of the data is known only after encrypting, so it lives outside the AAD.
  const headerWithoutTag = {
    format: FORMAT as typeof FORMAT,
    ...keyFields,
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

/** What may open a backup: passphrases (current first, then older ones) and key services. */
export interface DecryptionKeys {
  passphrases: readonly string[];
  services?: readonly KeyService[];
}

/**
 * Unwraps the data key with the key service the header names, or the first passphrase that opens
 * it (the current one, then older ones: rotating keeps old backups readable). Throws
 * BACKUP_WRONG_PASSPHRASE / BACKUP_WRONG_KEY when nothing opens it, BACKUP_TAMPERED when the key
 * opens but the ciphertext or header was changed.
 */
export async function decryptBackup(
  object: Uint8Array,
  { passphrases, services = [] }: DecryptionKeys,
  where: string,
): Promise<{ header: BackupHeader; plaintext: Buffer }> {
  const { header, ciphertext } = readHeader(object, where);
  const { cipher } = header;
  const dataKey = header.kms
    ? await unwrapWithService(header.kms, services, where)
    : await unwrapWithPassphrase(header, passphrases, where);
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

async function unwrapWithPassphrase(
  header: BackupHeader,
  passphrases: readonly string[],
  where: string,
): Promise<Buffer> {
  const { kdf, wrappedKey } = header;
  if (!kdf || !wrappedKey)
    throw new PipeError(`${where} is not a state-guard backup (its key header is missing)`, {
      code: "BACKUP_TAMPERED",
    });
  for (const passphrase of passphrases) {
    const kek = await deriveFromHeader(passphrase, kdf);
    try {
      const unwrap = createDecipheriv("aes-256-gcm", kek, unb64(wrappedKey.iv));
      unwrap.setAuthTag(unb64(wrappedKey.tag));
      return Buffer.concat([unwrap.update(unb64(wrappedKey.data)), unwrap.final()]);
    } catch {
      // Not this passphrase.
    }
  }
  throw new PipeError(
    `${passphrases.length ? "STATE_PASSPHRASE does not open" : "no STATE_PASSPHRASE is given to open"} ${where} (a passphrase backup${passphrases.length ? ": wrong passphrase, or its key header was changed" : ""})`,
    {
      code: "BACKUP_WRONG_PASSPHRASE",
      suggestion:
        "Use the passphrase the backups were made with; after a rotation give the old one as STATE_PASSPHRASE_PREVIOUS.",
    },
  );
}

async function unwrapWithService(
  kms: NonNullable<BackupHeader["kms"]>,
  services: readonly KeyService[],
  where: string,
): Promise<Buffer> {
  const service = services.find((s) => s.service === kms.service);
  if (!service)
    throw new PipeError(
      `${where} was encrypted with ${kms.service} key ${kms.keyId}, and KEY_SOURCE is not ${kms.service}`,
      {
        code: "BACKUP_WRONG_KEY",
        suggestion: `Set KEY_SOURCE=${kms.service}:<key> (any key of that service: the backup names its own key).`,
      },
    );
  try {
    return await service.unwrap(unb64(kms.data), kms.keyId);
  } catch (error) {
    throw new PipeError(
      `${kms.service} could not unwrap the data key of ${where} with key ${kms.keyId}: ${(error as Error).message}`,
      {
        code: "BACKUP_WRONG_KEY",
        suggestion: "Check that the step's identity may decrypt with that key, and that the key is enabled.",
        cause: error,
      },
    );
  }
}
