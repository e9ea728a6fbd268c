/**
 * Real remote backends and stores: tofu's pg backend on a real PostgreSQL and its s3 backend on
 * moto's server hold the state; state-guard pulls it through the backend, backs it up (to a folder,
 * and to S3 on moto), applies retention on S3, and pushes a version back through each backend.
 * Backups to Azure Blob (Azurite) and GCS (fake-gcs-server) are written, read back and audited, a
 * blob changed with the service's own SDK found as tampered.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { runTool } from "@pipes/core";
import { LocalStore, type ObjectStore, openStore, S3Store } from "@pipes/storage";
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
import { backupState, listBackups, readBackup } from "../src/backups.ts";
import { pushBack } from "../src/restore.ts";
import { applyRetention, retentionPlan } from "../src/retention.ts";
import { inspectState } from "../src/state.ts";
import { pullState, type StateSource } from "../src/terraform.ts";
import { quietLog } from "./terraform-fixture.ts";

const keys = { passphrase: "backends test passphrase", scrypt: { N: 2 ** 12, r: 8, p: 1 } };
const log = quietLog();
let pg: Postgres;
let moto: Moto;
let s3: S3Client;

beforeAll(async () => {
  [pg, moto] = await Promise.all([startPostgres(), startMoto()]);
  s3 = new S3Client({
    endpoint: moto.endpoint,
    region: moto.region,
    forcePathStyle: true,
    credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey },
  });
  await s3.send(new CreateBucketCommand({ Bucket: "tfstate" }));
  await s3.send(new CreateBucketCommand({ Bucket: "state-backups" }));
}, 120_000);
afterAll(async () => {
  await pg?.stop();
  await moto?.stop();
});

/** A root module whose state lives in `backend`, applied with tofu; returns how to reach its state. */
async function remoteModule(
  backend: "pg" | "s3",
  backendConfig: string,
): Promise<{
  source: StateSource;
  apply(value: string): Promise<void>;
}> {
  const dir = await mkdtemp(path.join(tmpdir(), `state-guard-${backend}-`));
  await writeFile(
    path.join(dir, "main.tf"),
    `terraform {\n  backend "${backend}" {}\n}\n\nvariable "value" {\n  type = string\n}\n\nresource "terraform_data" "example" {\n  input = var.value\n}\n`,
  );
  await writeFile(path.join(dir, "backend.hcl"), backendConfig);
  const env = { ...moto.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  const dataDir = path.join(dir, ".tfdata");
  const run = (args: string[]) =>
    runTool({ tool: "tofu", args, cwd: dir, env: { ...env, TF_DATA_DIR: dataDir } }, log);
  let initialised = false;
  return {
    // The pipe's data dir is its own (not the one the applies used), as in a Pipelines step.
    source: {
      binary: "tofu",
      moduleDir: dir,
      dataDir: path.join(dir, ".state-guard"),
      backendConfig: ["backend.hcl"],
      env,
    },
    async apply(value) {
      if (!initialised) await run(["init", "-input=false", "-no-color", "-backend-config=backend.hcl"]);
      initialised = true;
      await run(["apply", "-auto-approve", "-input=false", "-no-color", `-var=value=${value}`]);
    },
  };
}

async function backupRestoreRoundTrip(module: Awaited<ReturnType<typeof remoteModule>>, store: ObjectStore) {
  const serials: number[] = [];
  for (const value of ["one", "two", "three"]) {
    await module.apply(value);
    const bytes = await pullState(module.source, log);
    serials.push(inspectState(bytes).serial);
    expect((await backupState(store, bytes, { keys })).status).toBe("created");
  }
  const backups = await listBackups(store);
  expect(backups.map((b) => b.serial)).toEqual(serials);
  // Push the first version back through the backend: its resources return, with a serial above the current one.
  const first = backups[0] as (typeof backups)[number];
  const pushed = await pushBack({ source: module.source, store, backup: first, keys, confirm: true, log });
  expect(pushed.serial).toBeGreaterThan(serials.at(-1) as number);
  const current = JSON.parse(Buffer.from(await pullState(module.source, log)).toString("utf8"));
  expect(current.lineage).toBe(first.lineage);
  expect(current.resources[0].instances[0].attributes.input).toEqual({ value: "one", type: "string" });
  return { backups, pushed };
}

describe("the pg backend on PostgreSQL", () => {
  it("state pulled through the backend, backed up, and a version pushed back with the serial raised", async () => {
    const module = await remoteModule("pg", `conn_str = "${pg.connectionString}"\n`);
    await backupRestoreRoundTrip(
      module,
      new LocalStore(await mkdtemp(path.join(tmpdir(), "state-guard-pg-store-"))),
    );
    expect(pg.sql("select name from terraform_remote_state.states")).toContain("default");
  });
});

describe("the s3 backend and S3 backups on moto", () => {
  const backendHcl = () => `bucket = "tfstate"
key = "live/dev/terraform.tfstate"
region = "${moto.region}"
endpoints = { s3 = "${moto.endpoint}" }
use_path_style = true
use_lockfile = true
skip_credentials_validation = true
skip_requesting_account_id = true
skip_metadata_api_check = true
skip_region_validation = true
skip_s3_checksum = true
`;

  it("backs up to S3, reads every version back, applies retention on S3, and pushes a version back", async () => {
    const module = await remoteModule("s3", backendHcl());
    const store = new S3Store(s3, "state-backups", "live/dev");
    const { backups } = await backupRestoreRoundTrip(module, store);
    for (const b of backups) await readBackup(store, b, keys);

    const plan = retentionPlan(
      await listBackups(store),
      { keepLast: 1, daily: 0, weekly: 0, monthly: 0 },
      new Date(),
    );
    const dry = await applyRetention(store, plan, { dryRun: true });
    expect(dry.wouldRemove).toHaveLength(2);
    expect(await listBackups(store)).toHaveLength(3);
    const applied = await applyRetention(store, plan, { dryRun: false });
    expect(applied.removed).toEqual(dry.wouldRemove);
    const left = await listBackups(store);
    expect(left.map((b) => b.serial)).toEqual([backups.at(-1)?.serial]);
    await readBackup(store, left[0] as (typeof left)[number], keys);
  });
});

describe.each([
  ["Azure Blob on Azurite", "azure"],
  ["GCS on fake-gcs-server", "gcs"],
] as const)("backups to %s", (_name, kind) => {
  let service: Azurite | FakeGcs;
  let store: ObjectStore;
  let env: Record<string, string>;
  let url: string;

  beforeAll(async () => {
    if (kind === "azure") {
      const azurite = await startAzurite();
      service = azurite;
      env = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString };
      url = `azblob://${azurite.accountName}/state-backups/live/dev`;
      const { azureContainerClientFromEnv } = await import("@pipes/storage");
      await (
        await azureContainerClientFromEnv(env, { account: azurite.accountName, container: "state-backups" })
      ).create();
    } else {
      const gcs = await startFakeGcs();
      service = gcs;
      env = gcs.env;
      url = "gs://state-backups/live/dev";
      await gcs.createBucket("state-backups");
    }
    store = await openStore(url, { env, cwd: "/", variable: "BACKUP_STORE" });
  }, 120_000);
  afterAll(async () => service?.stop());

  it("holds every version, reads each back, and the audit finds the one changed behind its back", async () => {
    const module = await remoteModule("pg", `conn_str = "${pg.connectionString}"\nschema_name = "${kind}"\n`);
    for (const value of ["one", "two", "three"]) {
      await module.apply(value);
      expect((await backupState(store, await pullState(module.source, log), { keys })).status).toBe(
        "created",
      );
    }
    const backups = await listBackups(store);
    expect(backups).toHaveLength(3);
    for (const b of backups) await readBackup(store, b, keys);
    expect((await auditStore(store, keys)).problems).toEqual([]);

    const victim = backups[1] as (typeof backups)[number];
    const object = await store.get(victim.key);
    const body = Buffer.from(object?.body ?? []);
    body[body.length - 3] = (body[body.length - 3] as number) ^ 0x01;
    await store.put(victim.key, body, object?.metadata);
    const audit = await auditStore(store, keys);
    expect(audit.problems).toEqual([expect.objectContaining({ key: victim.key, code: "BACKUP_TAMPERED" })]);
    expect(audit.ok.map((b) => b.key)).toEqual([backups[0]?.key, backups[2]?.key]);
  });
});
