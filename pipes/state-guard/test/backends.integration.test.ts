/**
 * Real remote backends and stores: tofu's pg backend on a real PostgreSQL and its s3 backend on
 * moto's server hold the state; state-guard pulls it through the backend, backs it up (to a folder,
 * and to S3 on moto), applies retention on S3, and pushes a version back through each backend.
 * Backups to Azure Blob (Azurite) and GCS (fake-gcs-server) are written, read back and audited: a
 * blob changed, and a middle version deleted, with the service's own SDK behind the store's back.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { BlobServiceClient } from "@azure/storage-blob";
import { Storage } from "@google-cloud/storage";
import { PipeError } from "@pipes/core";
import { LocalStore, type ObjectStore, openStore, S3Store, s3ClientFromEnv } from "@pipes/storage";
import {
  type Azurite,
  type FakeGcs,
  type Moto,
  type Postgres,
  startAzurite,
  startFakeGcs,
  startMoto,
  startPostgres,
} from "@pipes/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditStore } from "../src/audit.ts";
import { type Backup, backupState, listBackups, readBackup } from "../src/backups.ts";
import { pushBack } from "../src/restore.ts";
import { applyRetention, retentionPlan } from "../src/retention.ts";
import { inspectState } from "../src/state.ts";
import { pullState } from "../src/terraform.ts";
import { pgBackendConfig, type RemoteModule, remoteModule, s3BackendConfig } from "./backend-fixture.ts";
import { quietLog } from "./terraform-fixture.ts";

const keys = { passphrase: "backends test passphrase", scrypt: { N: 2 ** 12, r: 8, p: 1 } };
const log = quietLog();
let pg: Postgres;
let moto: Moto;
let s3: S3Client;

beforeAll(async () => {
  [pg, moto] = await Promise.all([startPostgres(), startMoto()]);
  s3 = s3ClientFromEnv(moto.env);
  await s3.send(new CreateBucketCommand({ Bucket: "tfstate" }));
  await s3.send(new CreateBucketCommand({ Bucket: "state-backups" }));
}, 120_000);
afterAll(async () => {
  await pg?.stop();
  await moto?.stop();
});

const pgModule = (schema?: string) => remoteModule("pg", pgBackendConfig(pg, schema), { log });
const currentState = async (module: RemoteModule) =>
  JSON.parse(Buffer.from(await pullState(module.source, log)).toString("utf8"));
const the = (backups: readonly Backup[], i: number) => backups.at(i) as Backup;

/** Applies three values, backing up each state pulled through the backend; returns the backups. */
async function threeVersions(module: RemoteModule, store: ObjectStore): Promise<Backup[]> {
  const serials: number[] = [];
  for (const value of ["one", "two", "three"]) {
    await module.apply(value);
    const bytes = await pullState(module.source, log);
    serials.push(inspectState(bytes).serial);
    expect((await backupState(store, bytes, { keys })).status).toBe("created");
  }
  const backups = await listBackups(store);
  expect(backups.map((b) => b.serial)).toEqual(serials);
  return backups;
}

/** Pushes the first backup back through the backend: its resources return, the serial above the current one. */
async function pushFirstBack(module: RemoteModule, store: ObjectStore, backups: readonly Backup[]) {
  const before = await currentState(module);
  const pushed = await pushBack({
    source: module.source,
    store,
    backup: the(backups, 0),
    keys,
    confirm: true,
    log,
  });
  expect(pushed.serial).toBeGreaterThan(before.serial);
  const after = await currentState(module);
  expect(after.serial).toBe(pushed.serial);
  expect(after.lineage).toBe(the(backups, 0).lineage);
  expect(after.resources[0].instances[0].attributes.input).toEqual({ value: "one", type: "string" });
}

async function refusal(promise: Promise<unknown>): Promise<PipeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof PipeError)) throw new Error(`expected a PipeError, got ${String(error)}`);
  return error;
}

describe("the pg backend on PostgreSQL", () => {
  it("state pulled through the backend, backed up to a folder, and a version pushed back with the serial raised", async () => {
    const module = await pgModule();
    const store = new LocalStore(await mkdtemp(path.join(tmpdir(), "state-guard-pg-store-")));
    const backups = await threeVersions(module, store);
    await pushFirstBack(module, store, backups);
    expect(pg.sql("select name from terraform_remote_state.states")).toBe("default");
  });

  it("refuses to push back another state's backup, or one not confirmed, and leaves the state as it was", async () => {
    const module = await pgModule("guarded");
    const other = await pgModule("other");
    const store = new LocalStore(await mkdtemp(path.join(tmpdir(), "state-guard-pg-guard-")));
    await module.apply("mine");
    await other.apply("theirs");
    await backupState(store, await pullState(other.source, log), { keys });
    const [foreign] = await listBackups(store);
    const before = await currentState(module);

    const mismatch = await refusal(
      pushBack({ source: module.source, store, backup: foreign as Backup, keys, confirm: true, log }),
    );
    expect(mismatch.code).toBe("RESTORE_LINEAGE_MISMATCH");
    expect(mismatch.message).toContain(before.lineage);
    expect(mismatch.suggestion).toBeTruthy();

    await backupState(store, await pullState(module.source, log), { keys, allowNewLineage: true });
    const own = (await listBackups(store)).find((b) => b.lineage === before.lineage) as Backup;
    const unconfirmed = await refusal(
      pushBack({ source: module.source, store, backup: own, keys, confirm: undefined, log }),
    );
    expect(unconfirmed.code).toBe("RESTORE_NOT_CONFIRMED");
    expect(unconfirmed.suggestion).toContain("RESTORE_CONFIRM=true");

    expect(await currentState(module)).toEqual(before);
  });
});

describe("the s3 backend and S3 backups on moto", () => {
  it("backs up to S3, reads every version back, applies retention on S3, and pushes a version back", async () => {
    const module = await remoteModule("s3", s3BackendConfig(moto, "tfstate", "live/dev/terraform.tfstate"), {
      env: moto.env,
      log,
    });
    const store = new S3Store(s3, "state-backups", "live/dev");
    const backups = await threeVersions(module, store);
    for (const b of backups) await readBackup(store, b, keys);
    await pushFirstBack(module, store, backups);

    const plan = retentionPlan(
      await listBackups(store),
      { keepLast: 1, daily: 0, weekly: 0, monthly: 0 },
      new Date(),
    );
    const dry = await applyRetention(store, plan, { dryRun: true });
    expect(dry.wouldRemove).toEqual([the(backups, 0).key, the(backups, 1).key]);
    expect(await listBackups(store)).toHaveLength(3);
    const applied = await applyRetention(store, plan, { dryRun: false });
    expect(applied.removed).toEqual(dry.wouldRemove);
    const left = await listBackups(store);
    expect(left.map((b) => b.key)).toEqual([the(backups, -1).key]);
    await readBackup(store, the(left, 0), keys);
    // Retention leaves gaps by design: the audit reports them as information, not as problems.
    const audit = await auditStore(store, keys);
    expect(audit.problems).toEqual([]);
    expect(audit.gaps).toEqual([]);
  });
});

/** The service's own SDK, behind the store's back: rewrite a body (metadata kept), delete an object. */
interface ServiceBackdoor {
  flipByte(key: string): Promise<void>;
  remove(key: string): Promise<void>;
}

const flip = (body: Buffer) => {
  body[body.length - 3] = (body[body.length - 3] as number) ^ 0x01;
  return body;
};

describe.each([
  ["Azure Blob on Azurite", "azure"],
  ["GCS on fake-gcs-server", "gcs"],
] as const)("backups to %s", (_name, kind) => {
  let service: Azurite | FakeGcs;
  /** A store under `live/<name>/` (one state each: the lineage guard refuses a second) and its SDK backdoor. */
  let storeAt: (name: string) => Promise<{ store: ObjectStore; backdoor: ServiceBackdoor }>;

  beforeAll(async () => {
    if (kind === "azure") {
      const azurite = await startAzurite();
      service = azurite;
      const env = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString };
      const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
        "state-backups",
      );
      await container.create();
      storeAt = async (name) => ({
        store: await openStore(`azblob://${azurite.accountName}/state-backups/live/${name}`, {
          env,
          cwd: "/",
          variable: "BACKUP_STORE",
        }),
        backdoor: {
          async flipByte(key) {
            const blob = container.getBlockBlobClient(`live/${name}/${key}`);
            const [body, properties] = await Promise.all([blob.downloadToBuffer(), blob.getProperties()]);
            await blob.uploadData(flip(body), { metadata: properties.metadata });
          },
          remove: async (key) => void (await container.deleteBlob(`live/${name}/${key}`)),
        },
      });
    } else {
      const gcs = await startFakeGcs();
      service = gcs;
      await gcs.createBucket("state-backups");
      const bucket = new Storage({ apiEndpoint: gcs.endpoint, projectId: "test" }).bucket("state-backups");
      storeAt = async (name) => ({
        store: await openStore(`gs://state-backups/live/${name}`, {
          env: gcs.env,
          cwd: "/",
          variable: "BACKUP_STORE",
        }),
        backdoor: {
          async flipByte(key) {
            const file = bucket.file(`live/${name}/${key}`);
            const [[body], [metadata]] = await Promise.all([file.download(), file.getMetadata()]);
            await file.save(flip(body), { resumable: false, metadata: { metadata: metadata.metadata } });
          },
          remove: async (key) => void (await bucket.file(`live/${name}/${key}`).delete()),
        },
      });
    }
  }, 120_000);
  afterAll(async () => service?.stop());

  it("holds every version, reads each back, and the audit finds a blob tampered with through the SDK", async () => {
    const { store, backdoor } = await storeAt("tamper");
    const backups = await threeVersions(await pgModule(`${kind}_tamper`), store);
    for (const b of backups) await readBackup(store, b, keys);
    const clean = await auditStore(store, keys);
    expect(clean.problems).toEqual([]);
    expect(clean.ok.map((b) => b.key)).toEqual(backups.map((b) => b.key));

    const victim = the(backups, 1);
    await backdoor.flipByte(victim.key);
    // The metadata still names a backup: it is listed, and only reading it finds the change.
    expect((await listBackups(store)).map((b) => b.key)).toContain(victim.key);
    const audit = await auditStore(store, keys);
    expect(audit.problems).toEqual([expect.objectContaining({ key: victim.key, code: "BACKUP_TAMPERED" })]);
    expect(audit.problems[0]?.message).toContain(victim.key);
    expect(audit.ok.map((b) => b.key)).toEqual([the(backups, 0).key, the(backups, 2).key]);
    expect((await refusal(readBackup(store, victim, keys))).code).toBe("BACKUP_TAMPERED");
  });

  it("reports the serial of a middle version deleted through the SDK as a gap, the rest ok", async () => {
    const { store, backdoor } = await storeAt("gap");
    const backups = await threeVersions(await pgModule(`${kind}_gap`), store);
    const lineage = the(backups, 0).lineage;
    // tofu raises the serial by one per apply here, so three versions have no gap.
    expect(backups.map((b) => b.serial - the(backups, 0).serial)).toEqual([0, 1, 2]);
    expect((await auditStore(store, keys)).gaps).toEqual([]);

    const middle = the(backups, 1);
    await backdoor.remove(middle.key);
    const audit = await auditStore(store, keys);
    expect(audit.gaps).toEqual([{ lineage, missing: [middle.serial] }]);
    expect(audit.problems).toEqual([]);
    expect(audit.ok.map((b) => b.key)).toEqual([the(backups, 0).key, the(backups, 2).key]);
    expect(audit.lineages).toEqual([{ lineage, versions: 2, newestSerial: the(backups, 2).serial }]);
  });
});
