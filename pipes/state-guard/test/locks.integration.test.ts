/**
 * Real locks held by real `tofu apply` runs (a terraform_data whose local-exec provisioner sleeps),
 * on the local backend, the s3 backend with use_lockfile and with dynamodb_table on moto, and the
 * pg backend on PostgreSQL. A run killed with SIGKILL leaves its lock behind where the backend
 * keeps locks as data (s3, DynamoDB); a run stopped with SIGSTOP (hung) keeps a process-bound lock
 * (local, pg) held. state-guard finds each with the holder tofu wrote, calls it stale past a small
 * threshold, and force-unlocks it, after which `tofu plan -lock-timeout=0s` runs.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { hostname, tmpdir, userInfo } from "node:os";
import path from "node:path";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { runTool } from "@pipes/core";
import { azureContainerClientFromEnv, s3ClientFromEnv } from "@pipes/storage";
import {
  type FakeGcs,
  type Moto,
  type Postgres,
  startAzurite,
  startFakeGcs,
  startMoto,
  startPostgres,
} from "@pipes/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findAzurermLocks } from "../src/locks/azurerm.ts";
import { findLocks, forceUnlock, type HeldLock, lockVerdict } from "../src/locks.ts";
import { BINARY_VERSIONS, type Binary, type StateSource } from "../src/terraform.ts";
import { quietLog } from "./terraform-fixture.ts";

const log = quietLog();
let moto: Moto;
let pg: Postgres;
let gcs: FakeGcs;
const holders: ChildProcess[] = [];

beforeAll(async () => {
  [moto, pg, gcs] = await Promise.all([startMoto(), startPostgres(), startFakeGcs()]);
  await gcs.createBucket("tfstate");
  const s3 = s3ClientFromEnv(moto.env);
  await s3.send(new CreateBucketCommand({ Bucket: "tfstate" }));
  const dynamodb = new DynamoDBClient({
    endpoint: moto.endpoint,
    region: moto.region,
    credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey },
  });
  await dynamodb.send(
    new CreateTableCommand({
      TableName: "tf-locks",
      AttributeDefinitions: [{ AttributeName: "LockID", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}, 120_000);
afterEach(() => {
  // Each holder runs in its own process group (tofu and its provisioner's sleep): end the group.
  for (const child of holders.splice(0)) {
    if (child.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }
  }
});
afterAll(async () => {
  await moto?.stop();
  await pg?.stop();
  await gcs?.stop();
});

interface LockedModule {
  source: StateSource;
  /** Starts `tofu apply` and resolves once it holds the lock (its provisioner is running). */
  holdLock(): Promise<ChildProcess>;
  /** An apply that completes (its provisioner does not sleep): the workspace then has a state. */
  applyNow(): Promise<void>;
  /** `tofu plan -lock-timeout=0s` with the pipe's data dir: its exit code and output. */
  plan(): Promise<{ exitCode: number; output: string }>;
}

async function lockedModule(
  backend: string | undefined,
  backendConfig = "",
  binary: Binary = "tofu",
): Promise<LockedModule> {
  const dir = await mkdtemp(path.join(tmpdir(), `state-guard-locks-${backend ?? "local"}-`));
  await writeFile(
    path.join(dir, "main.tf"),
    `${backend ? `terraform {\n  backend "${backend}" {}\n}\n\n` : ""}resource "terraform_data" "slow" {\n  triggers_replace = var.sleep\n  provisioner "local-exec" {\n    command = "sleep \${var.sleep}"\n  }\n}\n\nvariable "sleep" {\n  default = 120\n}\n`,
  );
  await writeFile(path.join(dir, "backend.hcl"), backendConfig);
  const env = { ...moto.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  const backendArgs = backend ? ["-backend-config=backend.hcl"] : [];
  const holderEnv = { ...env, TF_DATA_DIR: path.join(dir, ".tfdata") };
  const source: StateSource = {
    binary,
    moduleDir: dir,
    dataDir: path.join(dir, ".state-guard"),
    ...(backend ? { backendConfig: ["backend.hcl"] } : {}),
    env,
  };
  // The holder's runs use their own data dir, as another pipeline's step would.
  const holderRun = (args: string[]) => runTool({ tool: binary, args, cwd: dir, env: holderEnv }, log);
  return {
    source,
    async holdLock() {
      await holderRun(["init", "-input=false", "-no-color", ...backendArgs]);
      const child = spawn(binary, ["apply", "-auto-approve", "-input=false", "-no-color"], {
        cwd: dir,
        env: { ...process.env, ...holderEnv },
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      holders.push(child);
      let output = "";
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${binary} apply did not start its provisioner:\n${output}`)),
          60_000,
        );
        const read = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes("Provisioning with 'local-exec'")) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout?.on("data", read);
        child.stderr?.on("data", read);
        child.once("exit", (code) => reject(new Error(`${binary} apply exited with ${code}:\n${output}`)));
      });
      return child;
    },
    async applyNow() {
      await holderRun(["init", "-input=false", "-no-color", ...backendArgs]);
      await holderRun(["apply", "-auto-approve", "-input=false", "-no-color", "-var=sleep=0"]);
    },
    async plan() {
      const result = await runTool(
        {
          tool: binary,
          args: ["plan", "-lock-timeout=0s", "-input=false", "-no-color"],
          cwd: dir,
          env: { ...env, TF_DATA_DIR: source.dataDir },
          okExitCodes: [0, 1],
        },
        log,
      );
      return { exitCode: result.exitCode, output: result.stdout + result.stderr };
    },
  };
}

/** Waits until `ms` have passed since the lock was created: its age is then real, not assumed. */
async function ageAtLeast(lock: HeldLock, ms: number): Promise<void> {
  const wait = (lock.created?.getTime() ?? Date.now()) + ms - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

function expectTofuHolder(
  lock: HeldLock | undefined,
  backend: string,
  info: RegExp,
  binary: Binary = "tofu",
) {
  expect(lock).toMatchObject({
    backend,
    who: `${userInfo().username}@${hostname()}`,
    operation: "OperationTypeApply",
    version: BINARY_VERSIONS[binary],
    info: expect.stringMatching(info),
  });
  expect(lock?.created?.getTime()).toBeGreaterThan(Date.now() - 120_000);
}

async function expectStaleThenForceUnlocked(module: LockedModule, lock: HeldLock) {
  await ageAtLeast(lock, 2500);
  const verdict = lockVerdict([lock], { staleAfterSeconds: 1, staleAction: "fail" }, new Date());
  expect(verdict.verdict).toBe("FAIL");
  expect(verdict.reasons[0]).toMatch(/is stale: held for \d+ s, longer than 1 s/);
  expect(lockVerdict([lock], { staleAfterSeconds: 3600, staleAction: "fail" }, new Date()).verdict).toBe(
    "PASS",
  );

  await forceUnlock(module.source, lock, log);
  expect(await findLocks(module.source, {}, log)).toEqual([]);
  expect(await module.plan()).toMatchObject({ exitCode: 0 });
}

const s3Backend = (extra: string) => () =>
  `bucket = "tfstate"
key = "live/${extra.includes("dynamodb") ? "dynamodb" : "lockfile"}/terraform.tfstate"
region = "${moto.region}"
endpoints = { s3 = "${moto.endpoint}", dynamodb = "${moto.endpoint}" }
use_path_style = true
skip_credentials_validation = true
skip_requesting_account_id = true
skip_metadata_api_check = true
skip_region_validation = true
skip_s3_checksum = true
${extra}
`;

const gcsBackend = () => `bucket = "tfstate"
prefix = "live/gcs"
storage_custom_endpoint = "${gcs.endpoint}/storage/v1/"
access_token = "fake-gcs-server takes any token"
`;

describe.each([
  [
    "s3",
    "use_lockfile on moto",
    s3Backend("use_lockfile = true"),
    /^s3:\/\/tfstate\/live\/lockfile\/terraform\.tfstate\.tflock$/,
  ],
  [
    "s3",
    "dynamodb_table on moto",
    s3Backend('dynamodb_table = "tf-locks"'),
    /^DynamoDB table tf-locks, LockID tfstate\/live\/dynamodb\/terraform\.tfstate$/,
  ],
  ["gcs", "fake-gcs-server", gcsBackend, /^gs:\/\/tfstate\/live\/gcs\/default\.tflock$/],
] as const)("the %s backend with %s", (backend, _kind, config, where) => {
  it("finds the lock a running apply holds, and the one a killed apply left, stale, until force-unlock", async () => {
    const module = await lockedModule(backend, config());
    await module.applyNow();
    const holder = await module.holdLock();
    const [held, ...others] = await findLocks(module.source, {}, log);
    expect(others).toEqual([]);
    expectTofuHolder(held, backend, where);
    // tofu's gcs backend, on fake-gcs-server, fails on the lock while loading the state instead.
    expect(await module.plan()).toMatchObject({
      exitCode: 1,
      output: expect.stringMatching(/Error acquiring the state lock|\.tflock" failed: googleapi: Error 412/),
    });

    if (holder.pid) process.kill(-holder.pid, "SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
    const left = await findLocks(module.source, {}, log);
    expect(left.map((l) => l.id)).toEqual([held?.id]);
    await expectStaleThenForceUnlocked(module, left[0] as HeldLock);
  }, 180_000);
});

describe("the gcs backend on a workspace without a state yet", () => {
  it("finds a first apply's lock although init itself fails on it", async () => {
    const module = await lockedModule("gcs", gcsBackend().replace("live/gcs", "live/gcs-new"));
    await module.holdLock();
    const [held, ...others] = await findLocks(module.source, {}, log);
    expect(others).toEqual([]);
    expectTofuHolder(held, "gcs", /^gs:\/\/tfstate\/live\/gcs-new\/default\.tflock$/);
    expect(held?.id).toMatch(/^\d+$/);
  }, 180_000);
});

describe("the pg backend on PostgreSQL", () => {
  it("finds the session holding a new workspace's creation lock; PostgreSQL drops it when the run is killed", async () => {
    const module = await lockedModule(
      "pg",
      `conn_str = "${pg.connectionString}"\nschema_name = "creation"\n`,
    );
    const holder = await module.holdLock();
    expect(await findLocks(module.source, {}, log)).toEqual([
      expect.objectContaining({
        backend: "pg",
        id: expect.stringMatching(/^pg-pid-\d+$/),
        info: expect.stringMatching(/^a pg advisory lock on the workspace-creation key of creation\.states/),
      }),
    ]);
    if (holder.pid) process.kill(-holder.pid, "SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
    // A killed run's session closes with its socket, and its advisory lock with it.
    await expect.poll(() => findLocks(module.source, {}, log), { timeout: 10_000 }).toEqual([]);
  }, 180_000);

  it("finds the session holding a hung apply's lock on the workspace's row, and ends it on force-unlock", async () => {
    const module = await lockedModule("pg", `conn_str = "${pg.connectionString}"\n`);
    await module.applyNow();
    const holder = await module.holdLock();
    const [held, ...others] = await findLocks(module.source, {}, log);
    expect(others).toEqual([]);
    expect(held).toMatchObject({
      backend: "pg",
      id: expect.stringMatching(/^pg-pid-\d+$/),
      who: "postgres@127.0.0.1",
      path: "terraform_remote_state.states/default",
      info: expect.stringMatching(/^a pg advisory lock on states row \d+ of terraform_remote_state\.states/),
    });
    expect(held?.created?.getTime()).toBeGreaterThan(Date.now() - 120_000);
    expect((await module.plan()).output).toContain("Error acquiring the state lock");

    // Hung, not dead: the session and its lock stay until state-guard ends the session.
    if (holder.pid) process.kill(-holder.pid, "SIGSTOP");
    await expectStaleThenForceUnlocked(module, held as HeldLock);
  }, 180_000);
});

describe.each(["tofu", "terraform"] as const)("the local backend, with %s", (binary) => {
  it("finds a hung apply's lock, refuses to force it, and sees it gone once the process is killed", async () => {
    const module = await lockedModule(undefined, "", binary);
    const holder = await module.holdLock();
    if (holder.pid) process.kill(-holder.pid, "SIGSTOP");
    const [held, ...others] = await findLocks(module.source, {}, log);
    expect(others).toEqual([]);
    expectTofuHolder(held, "local", /\.terraform\.tfstate\.lock\.info \(process \d+\)$/, binary);
    expect(held?.path).toBe("terraform.tfstate");
    await ageAtLeast(held as HeldLock, 2500);
    expect(
      lockVerdict([held as HeldLock], { staleAfterSeconds: 1, staleAction: "warn" }, new Date()).verdict,
    ).toBe("WARN");
    await expect(forceUnlock(module.source, held as HeldLock, log)).rejects.toMatchObject({
      code: "LOCK_LOCAL",
    });
    expect((await module.plan()).output).toContain("Error acquiring the state lock");

    // SIGKILL leaves .terraform.tfstate.lock.info behind, but the kernel has dropped the lock.
    if (holder.pid) process.kill(-holder.pid, "SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
    expect(await findLocks(module.source, {}, log)).toEqual([]);
    expect(await module.plan()).toMatchObject({ exitCode: 0 });
  }, 180_000);
});

describe("the azurerm backend's blob lease, on Azurite", () => {
  // tofu's azurerm backend always dials <account>.blob.core.windows.net (its `endpoint` setting is
  // unused), so it cannot reach Azurite: the lock is made with the SDK exactly as the backend makes
  // it (an infinite lease whose ID is the lock ID, the LockInfo base64 in `terraformlockid`), from
  // the LockInfo a real tofu apply wrote.
  it("finds the leased state blob's holder, stale past the threshold, and nothing once the lease is broken", async () => {
    const module = await lockedModule(undefined);
    const holder = await module.holdLock();
    const lockInfo = await readFile(
      path.join(module.source.moduleDir, ".terraform.tfstate.lock.info"),
      "utf8",
    );
    if (holder.pid) process.kill(-holder.pid, "SIGKILL");
    const azurite = await startAzurite();
    try {
      const env = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString };
      const container = await azureContainerClientFromEnv(env, {
        account: azurite.accountName,
        container: "tfstate",
      });
      await container.create();
      const blob = container.getBlockBlobClient("live/dev.tfstateenv:staging");
      await blob.upload("{}", 2);
      const lockId = JSON.parse(lockInfo).ID as string;
      await blob.getBlobLeaseClient(lockId).acquireLease(-1);
      await blob.setMetadata(
        { terraformlockid: Buffer.from(lockInfo).toString("base64") },
        { conditions: { leaseId: lockId } },
      );
      const backend = {
        type: "azurerm",
        workspace: "staging",
        moduleDir: module.source.moduleDir,
        config: {
          storage_account_name: azurite.accountName,
          container_name: "tfstate",
          key: "live/dev.tfstate",
        },
      };

      const [held, ...others] = await findAzurermLocks(backend, env, log);
      expect(others).toEqual([]);
      expectTofuHolder(
        held,
        "azurerm",
        /^azurerm devstoreaccount1\/tfstate\/live\/dev\.tfstateenv:staging \(blob lease\)$/,
      );
      expect(held?.id).toBe(lockId);
      await ageAtLeast(held as HeldLock, 2500);
      expect(
        lockVerdict([held as HeldLock], { staleAfterSeconds: 1, staleAction: "warn" }, new Date()).verdict,
      ).toBe("WARN");
      // The default workspace's blob is another one, not leased.
      expect(await findAzurermLocks({ ...backend, workspace: "default" }, env, log)).toEqual([]);

      await blob.getBlobLeaseClient().breakLease(0);
      expect(await findAzurermLocks(backend, env, log)).toEqual([]);
    } finally {
      await azurite.stop();
    }
  }, 180_000);
});
