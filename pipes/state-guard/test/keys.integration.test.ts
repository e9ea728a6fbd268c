/**
 * Key sources on real services and real backups: AWS KMS on moto's server, PBKDF2 and scrypt
 * passphrases, rotation from a passphrase to KMS, and a backup written by state-guard 0.1's format.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { InputError, PipeError } from "@pipes/core";
import { LocalStore } from "@pipes/storage";
import { type Moto, startMoto } from "@pipes/testkit";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backupState, listBackups, readBackup, toBackup } from "../src/backups.ts";
import { makeKeyring } from "../src/keys.ts";
import { terraformWorkspace } from "./terraform-fixture.ts";

let moto: Moto;
let kmsKey: string;
let otherKey: string;
const states: Uint8Array[] = [];
let dir: string;
let store: LocalStore;

beforeAll(async () => {
  moto = await startMoto();
  const kms = new KMSClient({
    endpoint: moto.endpoint,
    region: moto.region,
    credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey },
  });
  kmsKey = (await kms.send(new CreateKeyCommand({ Description: "state-guard" }))).KeyMetadata?.Arn as string;
  otherKey = (await kms.send(new CreateKeyCommand({ Description: "another" }))).KeyMetadata?.Arn as string;
  const ws = await terraformWorkspace("terraform");
  for (const value of ["one", "two", "three"]) {
    await ws.apply(value);
    states.push(await ws.pull());
  }
}, 180_000);
afterAll(async () => moto?.stop());
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "state-guard-keys-"));
  store = new LocalStore(dir);
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const header = async (key: string) => {
  const object = await store.get(key);
  const text = Buffer.from(object?.body ?? []).toString("utf8");
  return JSON.parse(text.slice(0, text.indexOf("\n")));
};

describe("AWS KMS (moto)", () => {
  it("wraps each backup's data key with the KMS key, records the key's ARN, and reads the backup back", async () => {
    const keys = await makeKeyring({ keySource: `awskms:${kmsKey}`, env: moto.env });
    const outcome = await backupState(store, states[0] as Uint8Array, { keys });
    expect(outcome.status).toBe("created");
    const h = await header(outcome.backup.key);
    expect(h.kms).toMatchObject({ service: "awskms", keyId: kmsKey });
    expect(h.kdf).toBeUndefined();
    const { plaintext } = await readBackup(store, outcome.backup, keys);
    expect(plaintext.equals(Buffer.from(states[0] as Uint8Array))).toBe(true);
  });

  it("after a rotation from a passphrase to KMS, old passphrase backups stay readable and new ones use KMS", async () => {
    const before = await makeKeyring({
      keySource: "passphrase",
      passphrase: "old passphrase of the team",
      env: {},
    });
    await backupState(store, states[0] as Uint8Array, {
      keys: { ...before, scrypt: { N: 2 ** 12, r: 8, p: 1 } },
    });
    const after = await makeKeyring({
      keySource: `awskms:${kmsKey}`,
      previousPassphrases: ["old passphrase of the team"],
      env: moto.env,
    });
    expect((await backupState(store, states[1] as Uint8Array, { keys: after })).status).toBe("created");
    const backups = await listBackups(store);
    expect(backups).toHaveLength(2);
    for (const b of backups) await readBackup(store, b, after);
    expect((await header(backups[1]?.key as string)).kms.service).toBe("awskms");
  });

  it("a backup wrapped by another KMS key than the step may use is a FAIL naming the key, and nothing is written", async () => {
    const other = await makeKeyring({ keySource: `awskms:${otherKey}`, env: moto.env });
    await backupState(store, states[0] as Uint8Array, { keys: other });
    const before = (await store.list()).map((o) => o.key);
    // A passphrase-only keyring cannot open a KMS backup: refused before anything is written.
    const passphraseOnly = await makeKeyring({
      keySource: "passphrase",
      passphrase: "some passphrase",
      env: {},
    });
    const error = await backupState(store, states[1] as Uint8Array, { keys: passphraseOnly }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PipeError);
    expect((error as PipeError).code).toBe("BACKUP_WRONG_KEY");
    expect((error as PipeError).message).toContain(otherKey);
    expect((await store.list()).map((o) => o.key)).toEqual(before);
  });

  it("a KMS key that does not exist is a tool failure (exit 3) naming the key, not a crash, and nothing is written", async () => {
    const keys = await makeKeyring({
      keySource: "awskms:arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000",
      env: moto.env,
    });
    const error = await backupState(store, states[0] as Uint8Array, { keys }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipeError);
    expect((error as PipeError).code).toBe("KEY_SERVICE_FAILED");
    expect((error as PipeError).exitCode).toBe(3);
    expect((error as PipeError).message).toContain("00000000-0000-4000-8000-000000000000");
    expect(await store.list()).toEqual([]);
  });
});

describe("passphrases", () => {
  it("PBKDF2-SHA256 round trip stores its iterations and salt, and a wrong passphrase is BACKUP_WRONG_PASSPHRASE", async () => {
    const keys = await makeKeyring({
      keySource: "passphrase",
      passphrase: "pbkdf2 passphrase",
      kdf: "pbkdf2",
      env: {},
    });
    const outcome = await backupState(store, states[0] as Uint8Array, {
      keys: { ...keys, pbkdf2Iterations: 10_000 },
    });
    const h = await header(outcome.backup.key);
    expect(h.kdf).toMatchObject({ name: "pbkdf2", hash: "sha256", iterations: 10_000 });
    await readBackup(store, outcome.backup, keys);
    const wrong = await readBackup(store, outcome.backup, { ...keys, passphrase: "another one" }).catch(
      (e: unknown) => e,
    );
    expect((wrong as PipeError).code).toBe("BACKUP_WRONG_PASSPHRASE");
  });

  it("reads a backup written by state-guard 0.1 (scrypt header of the first format)", async () => {
    const fixtures = path.join(import.meta.dirname, "fixtures");
    const object = await readFile(path.join(fixtures, "legacy-v0.1.tfstate.sgb"));
    const meta = JSON.parse(await readFile(path.join(fixtures, "legacy-v0.1.tfstate.sgb.json"), "utf8"));
    const key = `states/${meta.lineage}/${String(meta.serial).padStart(12, "0")}-${meta.sha256.slice(0, 16)}.tfstate.sgb`;
    await store.put(key, object, { ...meta, serial: String(meta.serial), time: "2026-12-06T16:00:00.000Z" });
    const backup = toBackup((await store.head(key)) as NonNullable<Awaited<ReturnType<LocalStore["head"]>>>);
    expect(backup).toBeDefined();
    const keys = await makeKeyring({ keySource: "passphrase", passphrase: "legacy passphrase 0.1", env: {} });
    const { plaintext } = await readBackup(store, backup as NonNullable<typeof backup>, keys);
    expect(plaintext.equals(await readFile(path.join(fixtures, "legacy-v0.1.tfstate")))).toBe(true);
  });
});

describe("KEY_SOURCE", () => {
  it.each([
    ["vault:secret/x", /unknown scheme vault:/],
    ["awskms:", /no key after the scheme/],
    ["awskms:not a key", /not a KMS key id, key ARN, alias or alias ARN/],
    ["azurekv:http://vault/keys/x", /not a Key Vault key URL/],
    ["gcpkms:projects/p/keys/k", /not a Cloud KMS crypto key name/],
  ])("%s is refused, naming KEY_SOURCE and the accepted forms", async (keySource, reason) => {
    const error = await makeKeyring({ keySource, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/^KEY_SOURCE=/);
    expect((error as InputError).message).toMatch(reason);
  });

  it("passphrase without STATE_PASSPHRASE names the variable", async () => {
    await expect(makeKeyring({ keySource: "passphrase", env: {} })).rejects.toThrow(
      /STATE_PASSPHRASE is not set/,
    );
  });
});
