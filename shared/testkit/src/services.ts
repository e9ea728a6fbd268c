/**
 * Real services for integration and container tests, each on a free port of 127.0.0.1 with its data
 * in a temporary folder, stopped (and the folder removed) by `stop()`:
 * - moto's server (AWS APIs: S3, STS, KMS, DynamoDB, ...), from PyPI (`./run.sh setup` installs it);
 * - PostgreSQL, from Debian's packages (a throwaway cluster, trust authentication on loopback);
 * - Azurite's Blob service (Azure Storage), from npm;
 * - fake-gcs-server (Google Cloud Storage's JSON API), built from the Go module proxy
 *   (`docker/go-tools.sh --test`, which `./run.sh setup` runs).
 *
 * Containers reach them too: the engine runs them with host networking (docker/engine.sh).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface RunningService {
  /** Stops the process and removes its data. Safe to call twice. */
  stop(): Promise<void>;
}

export interface Moto extends RunningService {
  /** http://127.0.0.1:<port>, for every AWS service (AWS_ENDPOINT_URL). */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The standard AWS SDK/CLI environment pointing at this server. */
  env: Record<string, string>;
}

export interface Postgres extends RunningService {
  host: string;
  port: number;
  user: string;
  database: string;
  /** postgres://user@127.0.0.1:port/database?sslmode=disable (Terraform's pg backend `conn_str`). */
  connectionString: string;
  /** Runs SQL through psql and returns its unaligned, tuples-only output. */
  sql(statement: string): string;
}

export interface Azurite extends RunningService {
  /** http://127.0.0.1:<port>/devstoreaccount1 */
  blobEndpoint: string;
  accountName: string;
  accountKey: string;
  /** For @azure/storage-blob's BlobServiceClient.fromConnectionString and AZURE_STORAGE_CONNECTION_STRING. */
  connectionString: string;
}

export interface FakeGcs extends RunningService {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  /** STORAGE_EMULATOR_HOST, which Google's client libraries and @pipes/storage honour. */
  env: Record<string, string>;
  /** Creates a bucket (the emulator starts with none). */
  createBucket(name: string): Promise<void>;
}

/** Azurite's documented development account (not a secret: it is the same in every Azurite). */
const AZURITE_ACCOUNT = "devstoreaccount1";
const AZURITE_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The first of `candidates` that exists, else the name itself (found on PATH). */
function executable(name: string, candidates: string[]): string {
  return candidates.find((c) => existsSync(c)) ?? name;
}

function started(child: ChildProcess, name: string, cleanup: () => void): () => Promise<void> {
  let stopped = false;
  return async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    try {
      cleanup();
    } catch (error) {
      console.warn(`${name}: could not remove its data: ${String(error)}`);
    }
  };
}

/** Polls `ready` until it is true, failing with the process's output when it exits or times out. */
async function waitUntil(
  name: string,
  child: ChildProcess,
  output: () => string,
  ready: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output()}`);
    if (await ready().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGKILL");
  throw new Error(`${name} was not ready within ${timeoutMs / 1000} s:\n${output()}`);
}

function capture(child: ChildProcess): () => string {
  let text = "";
  const add = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-8000);
  };
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  return () => text;
}

/** moto's server: `moto_server` on PATH (./run.sh puts its venv there) or MOTO_SERVER. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const binary = process.env.MOTO_SERVER ?? "moto_server";
  const child = spawn(binary, ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
  child.on("error", () => {});
  const output = capture(child);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntil("moto_server", child, output, async () => (await fetch(`${endpoint}/moto-api/`)).ok);
  const region = "us-east-1";
  const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };
  return {
    endpoint,
    region,
    ...credentials,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
    stop: started(child, "moto_server", () => {}),
  };
}

/** PostgreSQL from Debian's packages (/usr/lib/postgresql/<major>/bin), run as the `postgres` user when root. */
export async function startPostgres(database = "terraform"): Promise<Postgres> {
  const bin = postgresBin();
  const dir = mkdtempSync(path.join(tmpdir(), "pipes-postgres-"));
  const asRoot = process.getuid?.() === 0;
  const user = "postgres";
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", user], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", user], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const asUser = (command: string, args: string[]): [string, string[]] =>
    asRoot ? ["runuser", ["-u", user, "--", command, ...args]] : [command, args];
  const data = path.join(dir, "data");
  execFileSync(...asUser(path.join(bin, "initdb"), ["-D", data, "-U", user, "--auth=trust", "-E", "UTF8"]), {
    stdio: "pipe",
  });
  const port = await freePort();
  const [command, args] = asUser(path.join(bin, "postgres"), [
    "-D",
    data,
    "-p",
    String(port),
    "-k",
    dir,
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "fsync=off",
  ]);
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  const output = capture(child);
  const psql = (statement: string, db = "postgres") =>
    execFileSync(
      "psql",
      [
        "-h",
        "127.0.0.1",
        "-p",
        String(port),
        "-U",
        user,
        "-d",
        db,
        "-v",
        "ON_ERROR_STOP=1",
        "-At",
        "-c",
        statement,
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    ).trim();
  await waitUntil("postgres", child, output, async () => {
    psql("select 1");
    return true;
  });
  psql(`create database ${database}`);
  return {
    host: "127.0.0.1",
    port,
    user,
    database,
    connectionString: `postgres://${user}@127.0.0.1:${port}/${database}?sslmode=disable`,
    sql: (statement) => psql(statement, database),
    stop: started(child, "postgres", () => rmSync(dir, { recursive: true, force: true })),
  };
}

function postgresBin(): string {
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root)
    ? execFileSync("ls", [root], { encoding: "utf8" })
        .split("\n")
        .filter(Boolean)
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const found = majors.map((m) => path.join(root, m, "bin")).find((d) => existsSync(path.join(d, "initdb")));
  if (!found)
    throw new Error(
      "PostgreSQL is not installed: expected /usr/lib/postgresql/<major>/bin/initdb (./run.sh setup installs it)",
    );
  return found;
}

/** Azurite's Blob service, from the repository's node_modules. */
export async function startAzurite(): Promise<Azurite> {
  const dir = mkdtempSync(path.join(tmpdir(), "pipes-azurite-"));
  const port = await freePort();
  const binary = executable("azurite-blob", [
    path.resolve(import.meta.dirname, "../../../node_modules/.bin/azurite-blob"),
    path.resolve(import.meta.dirname, "../node_modules/.bin/azurite-blob"),
  ]);
  const child = spawn(
    binary,
    [
      "--blobHost",
      "127.0.0.1",
      "--blobPort",
      String(port),
      "--location",
      dir,
      "--skipApiVersionCheck",
      "--loose",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.on("error", () => {});
  const output = capture(child);
  const blobEndpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  // Any HTTP answer (an authorisation error included) means the server is listening.
  await waitUntil(
    "azurite-blob",
    child,
    output,
    async () => (await fetch(`${blobEndpoint}?comp=list`)).status > 0,
  );
  return {
    blobEndpoint,
    accountName: AZURITE_ACCOUNT,
    accountKey: AZURITE_KEY,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${blobEndpoint};`,
    stop: started(child, "azurite-blob", () => rmSync(dir, { recursive: true, force: true })),
  };
}

/** fake-gcs-server over plain HTTP with an in-memory backend: FAKE_GCS_SERVER, or the go-tools cache, or PATH. */
export async function startFakeGcs(): Promise<FakeGcs> {
  const port = await freePort();
  const version = /^FAKE_GCS_SERVER_VERSION=(.+)$/m.exec(
    readFileSync(path.resolve(import.meta.dirname, "../../../docker/versions.env"), "utf8"),
  )?.[1];
  const cache = process.env.PIPES_CACHE ?? "/var/cache/bitbucket-pipes";
  const binary =
    process.env.FAKE_GCS_SERVER ??
    executable("fake-gcs-server", [
      path.join(cache, "go-tools", `fake-gcs-server-v${version}`, "fake-gcs-server"),
    ]);
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      "-scheme",
      "http",
      "-host",
      "127.0.0.1",
      "-port",
      String(port),
      "-backend",
      "memory",
      "-external-url",
      endpoint,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.on("error", () => {});
  const output = capture(child);
  await waitUntil(
    "fake-gcs-server",
    child,
    output,
    async () => (await fetch(`${endpoint}/storage/v1/b?project=test`)).ok,
  );
  return {
    endpoint,
    env: { STORAGE_EMULATOR_HOST: endpoint },
    async createBucket(name) {
      const response = await fetch(`${endpoint}/storage/v1/b?project=test`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name }),
      });
      if (!response.ok)
        throw new Error(
          `fake-gcs-server: creating bucket ${name}: ${response.status} ${await response.text()}`,
        );
    },
    stop: started(child, "fake-gcs-server", () => {}),
  };
}
