/**
 * Azure Key Vault and Google Cloud KMS have no local emulator: their adapters run here against
 * fakes of the two SDK calls each uses (a real RSA-OAEP-256 key pair per Key Vault key version,
 * an AES key per Cloud KMS key), on a real terraform state. What this protects is the envelope:
 * which key the header records, which key decryption asks for, and the errors a user sees.
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  generateKeyPairSync,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
} from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { PipeError } from "@pipes/core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type DecryptionKeys,
  decryptBackup,
  encryptBackup,
  type KeyService,
  readHeader,
} from "../src/crypto.ts";
import { azureKeyVaultService, type KeyVaultWrapClient } from "../src/keys/azurekv.ts";
import { type CloudKmsClient, gcpKmsService } from "../src/keys/gcpkms.ts";
import { makeKeyring } from "../src/keys.ts";
import { inspectState } from "../src/state.ts";

let stateBytes: Buffer;
let stateHeader: Parameters<typeof encryptBackup>[1];
beforeAll(async () => {
  // A state terraform 1.11.4 wrote (see keys.integration.test.ts for its origin).
  stateBytes = await readFile(path.join(import.meta.dirname, "fixtures", "legacy-v0.1.tfstate"));
  const { lineage, serial, sha256, terraformVersion, size } = inspectState(stateBytes, "fixture");
  stateHeader = { lineage, serial, sha256, terraformVersion, size };
});

const backup = (service: KeyService) => encryptBackup(stateBytes, stateHeader, { kind: "service", service });
const open = (object: Uint8Array, keys: DecryptionKeys) => decryptBackup(object, keys, "backup b1");
const failure = async (promise: Promise<unknown>): Promise<PipeError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PipeError);
  return error as PipeError;
};

/** A Key Vault key with versions; CryptographyClient for a versionless URL uses the newest. */
function fakeVault(keyUrl: string) {
  const versions: { id: string; keys: { publicKey: KeyObject; privateKey: KeyObject } }[] = [];
  const unwrapped: string[] = [];
  const algorithms: string[] = [];
  let refuse: string | undefined;
  const rotate = () => {
    versions.push({
      id: `${keyUrl}/${randomBytes(16).toString("hex")}`,
      keys: generateKeyPairSync("rsa", { modulusLength: 2048 }),
    });
  };
  const version = (url: string) => {
    const found = url === keyUrl ? versions.at(-1) : versions.find((v) => v.id === url);
    if (!found) throw new Error(`A key with (name/id) ${url} was not found in this key vault`);
    return found;
  };
  const oaep = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" };
  const clientFor = (url: string): KeyVaultWrapClient => ({
    async wrapKey(algorithm, key) {
      algorithms.push(algorithm);
      if (refuse) throw new Error(refuse);
      const v = version(url);
      return { keyID: v.id, result: publicEncrypt({ key: v.keys.publicKey, ...oaep }, key) };
    },
    async unwrapKey(algorithm, encryptedKey) {
      algorithms.push(algorithm);
      unwrapped.push(url);
      if (refuse) throw new Error(refuse);
      return { result: privateDecrypt({ key: version(url).keys.privateKey, ...oaep }, encryptedKey) };
    },
  });
  rotate();
  return {
    clientFor,
    rotate,
    versions,
    unwrapped,
    algorithms,
    refuseWith: (message: string) => {
      refuse = message;
    },
  };
}

/** Cloud KMS symmetric keys: a ciphertext opens only with the crypto key that made it. */
function fakeCloudKms(options: { base64Strings?: boolean } = {}) {
  const keys = new Map<string, Buffer>();
  const decrypted: string[] = [];
  const key = (name: string) => {
    if (!keys.has(name)) keys.set(name, randomBytes(32));
    return keys.get(name) as Buffer;
  };
  const client: CloudKmsClient = {
    async encrypt({ name, plaintext }) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key(name), iv);
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      const ciphertext = Buffer.concat([iv, cipher.getAuthTag(), body]);
      return { ciphertext: options.base64Strings ? ciphertext.toString("base64") : ciphertext };
    },
    async decrypt({ name, ciphertext }) {
      decrypted.push(name);
      const bytes = Buffer.from(ciphertext);
      const decipher = createDecipheriv("aes-256-gcm", key(name), bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      try {
        return { plaintext: Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]) };
      } catch {
        throw new Error("3 INVALID_ARGUMENT: Decryption failed: the ciphertext is invalid.");
      }
    },
  };
  return { client, decrypted };
}

const VAULT_KEY = "https://team-vault.vault.azure.net/keys/state-guard";
const GCP_KEY = "projects/infra/locations/europe-west1/keyRings/state/cryptoKeys/state-guard";

describe("Azure Key Vault (fake CryptographyClient)", () => {
  it("records azurekv and the key version that wrapped the data key, with RSA-OAEP-256, and reads the backup back", async () => {
    const vault = fakeVault(VAULT_KEY);
    const service = await azureKeyVaultService(VAULT_KEY, vault.clientFor);
    const object = await backup(service);
    const { header } = readHeader(object, "b1");
    expect(header.kms).toMatchObject({ service: "azurekv", keyId: vault.versions[0]?.id });
    expect(header.kdf).toBeUndefined();
    expect(header.wrappedKey).toBeUndefined();
    const { plaintext } = await open(object, { passphrases: [], services: [service] });
    expect(plaintext.equals(stateBytes)).toBe(true);
    expect(vault.algorithms).toEqual(["RSA-OAEP-256", "RSA-OAEP-256"]);
  });

  it("after a new key version, a backup of the old version is unwrapped with the version its header names", async () => {
    const vault = fakeVault(VAULT_KEY);
    const service = await azureKeyVaultService(VAULT_KEY, vault.clientFor);
    const old = await backup(service);
    vault.rotate();
    const fresh = await backup(service);
    expect(readHeader(fresh, "b2").header.kms?.keyId).toBe(vault.versions[1]?.id);
    for (const object of [old, fresh]) await open(object, { passphrases: [], services: [service] });
    expect(vault.unwrapped).toEqual([vault.versions[0]?.id, vault.versions[1]?.id]);
  });

  it("a vault that refuses to unwrap is BACKUP_WRONG_KEY naming the recorded key version and the vault's reason", async () => {
    const vault = fakeVault(VAULT_KEY);
    const service = await azureKeyVaultService(VAULT_KEY, vault.clientFor);
    const object = await backup(service);
    vault.refuseWith("Operation unwrapKey is not permitted on this key.");
    const error = await failure(open(object, { passphrases: [], services: [service] }));
    expect(error.code).toBe("BACKUP_WRONG_KEY");
    expect(error.message).toContain(vault.versions[0]?.id);
    expect(error.message).toContain("Operation unwrapKey is not permitted");
  });

  it("a vault that refuses to wrap is KEY_SERVICE_FAILED (exit 3) naming the key", async () => {
    const vault = fakeVault(VAULT_KEY);
    vault.refuseWith("Caller is not authorized to perform action on resource.");
    const error = await failure(backup(await azureKeyVaultService(VAULT_KEY, vault.clientFor)));
    expect(error.code).toBe("KEY_SERVICE_FAILED");
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain(`azurekv could not wrap a data key with key ${VAULT_KEY}`);
  });
});

describe("Google Cloud KMS (fake KeyManagementServiceClient)", () => {
  it("records gcpkms and the crypto key name, and reads the backup back", async () => {
    const kms = fakeCloudKms();
    const service = await gcpKmsService(GCP_KEY, kms.client);
    const object = await backup(service);
    expect(readHeader(object, "b1").header.kms).toMatchObject({ service: "gcpkms", keyId: GCP_KEY });
    const { plaintext } = await open(object, { passphrases: [], services: [service] });
    expect(plaintext.equals(stateBytes)).toBe(true);
  });

  it("takes the ciphertext and plaintext as base64 strings too (the SDK's types allow both)", async () => {
    const kms = fakeCloudKms({ base64Strings: true });
    const service = await gcpKmsService(GCP_KEY, kms.client);
    const { plaintext } = await open(await backup(service), { passphrases: [], services: [service] });
    expect(plaintext.equals(stateBytes)).toBe(true);
  });

  it("after KEY_SOURCE moves to another crypto key, an old backup is decrypted with the key its header names", async () => {
    const kms = fakeCloudKms();
    const old = await backup(await gcpKmsService(GCP_KEY, kms.client));
    const newKey = GCP_KEY.replace(/state-guard$/, "state-guard-2027");
    const current = await gcpKmsService(newKey, kms.client);
    expect(readHeader(await backup(current), "b2").header.kms?.keyId).toBe(newKey);
    await open(old, { passphrases: [], services: [current] });
    expect(kms.decrypted).toEqual([GCP_KEY]);
  });
});

describe("the key header", () => {
  it("a Cloud KMS backup opened with a Key Vault key source is BACKUP_WRONG_KEY naming the service to use", async () => {
    const gcp = await gcpKmsService(GCP_KEY, fakeCloudKms().client);
    const azure = await azureKeyVaultService(VAULT_KEY, fakeVault(VAULT_KEY).clientFor);
    const error = await failure(
      open(await backup(gcp), { passphrases: ["a passphrase"], services: [azure] }),
    );
    expect(error.code).toBe("BACKUP_WRONG_KEY");
    expect(error.message).toContain(`encrypted with gcpkms key ${GCP_KEY}, and KEY_SOURCE is not gcpkms`);
    expect(error.suggestion).toContain("KEY_SOURCE=gcpkms:");
  });

  it("a changed byte in a key-service backup's header is BACKUP_TAMPERED", async () => {
    const vault = fakeVault(VAULT_KEY);
    const service = await azureKeyVaultService(VAULT_KEY, vault.clientFor);
    const object = Buffer.from(await backup(service));
    const text = object.toString("latin1");
    const tampered = Buffer.from(
      text.replace(`"serial":${stateHeader.serial}`, `"serial":${stateHeader.serial + 1}`),
      "latin1",
    );
    expect(tampered.equals(object)).toBe(false);
    const error = await failure(open(tampered, { passphrases: [], services: [service] }));
    expect(error.code).toBe("BACKUP_TAMPERED");
  });

  it("makeKeyring gives an azurekv key source its service and versioned key, without calling the vault", async () => {
    // (gcpkms is left out: constructing its SDK client starts a GCE metadata lookup.)
    const keys = await makeKeyring({
      keySource: `azurekv:${VAULT_KEY}/0123abcd`,
      previousPassphrases: ["old"],
      env: {},
    });
    expect(keys.service).toMatchObject({ service: "azurekv", keyId: `${VAULT_KEY}/0123abcd` });
    expect(keys.previous).toEqual(["old"]);
  });
});
