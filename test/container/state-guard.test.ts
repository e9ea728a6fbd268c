/**
 * The container contract of state-guard: its image, built from its own Dockerfile, run the way
 * Bitbucket Pipelines runs a pipe, on a repository whose state real terraform runs wrote (local
 * backend), with backups in the clone (the default) and on S3 (moto), and the spec-validating fake
 * Bitbucket for the Code Insights report.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { S3Store, s3ClientFromEnv } from "@pipes/storage";
import {
  buildImage,
  type FakeBitbucket,
  type Moto,
  type PipeRunResult,
  runPipeContainer,
  SHARED_STORAGE_DIR,
  startFakeBitbucket,
  startMoto,
} from "@pipes/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containerEngine, repositoryRoot } from "./engine.ts";

const IMAGE = process.env.CONTRACT_TEST_IMAGE ?? "bitbucket-pipes/state-guard:contract-test";
const PIPE = "bitbucket-pipes/state-guard";
const ACCESS_TOKEN = "bbat-state-guard-contract-0123456789";
const PASSPHRASE = "contract-test-passphrase-7f3a9c1e5b";
const SECRET_OUTPUT = "db-password-5e2f8a91c4";

const MAIN_TF = `variable "value" {
  type = string
}

resource "terraform_data" "example" {
  input = var.value
}

output "password" {
  value     = "${SECRET_OUTPUT}-\${var.value}"
  sensitive = true
}
`;

const engine = containerEngine();

interface Repo {
  dir: string;
  head: string;
  /** terraform apply on the host: a real state change (serial + 1) in the local backend. */
  apply(value: string): void;
  state(): Promise<Buffer>;
}

/** A file managed by the simulation `local` provider (docker/providers): editing it is drift. */
const DRIFT_TF = `variable "value" {
  type    = string
  default = ""
}

terraform {
  required_providers {
    local = { source = "pipes.local/sim/local" }
  }
}

resource "local_file" "motd" {
  filename = "\${path.module}/motd.txt"
  content  = "hello from terraform\\n"
}
`;

async function newRepo(name: string, configuration = MAIN_TF): Promise<Repo> {
  const dir = await mkdtemp(path.join(tmpdir(), `state-guard-contract-${name}-`));
  await writeFile(path.join(dir, "main.tf"), configuration);
  await writeFile(path.join(dir, ".gitignore"), ".terraform*\nterraform.tfstate*\n");
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: dir,
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "Platform Team",
        GIT_AUTHOR_EMAIL: "platform@acme.example",
        GIT_COMMITTER_NAME: "Platform Team",
        GIT_COMMITTER_EMAIL: "platform@acme.example",
      },
    }).trim();
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "infrastructure");
  // The simulation providers' filesystem mirror (docker/providers), as the image has it.
  const providers = execFileSync("bash", [path.join(repositoryRoot, "docker/providers/build.sh"), "--env"], {
    encoding: "utf8",
  });
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: /TF_CLI_CONFIG_FILE=(\S+)/.exec(providers)?.[1] ?? "",
    TF_DATA_DIR: path.join(dir, ".terraform-host"),
    TF_IN_AUTOMATION: "1",
    CHECKPOINT_DISABLE: "1",
  };
  execFileSync("terraform", ["init", "-input=false", "-no-color"], { cwd: dir, env, stdio: "ignore" });
  return {
    dir,
    head: git("rev-parse", "HEAD"),
    apply: (value) =>
      execFileSync(
        "terraform",
        ["apply", "-auto-approve", "-input=false", "-no-color", `-var=value=${value}`],
        {
          cwd: dir,
          env,
          stdio: "ignore",
        },
      ),
    state: () => readFile(path.join(dir, "terraform.tfstate")),
  };
}

const serialOf = (bytes: Buffer) => (JSON.parse(bytes.toString("utf8")) as { serial: number }).serial;
const lineageOf = (bytes: Buffer) => (JSON.parse(bytes.toString("utf8")) as { lineage: string }).lineage;

async function storeFiles(repo: Repo, store = "state-backups"): Promise<string[]> {
  const entries = await readdir(path.join(repo.dir, store), { recursive: true, withFileTypes: true }).catch(
    () => [],
  );
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(path.join(repo.dir, store), path.join(e.parentPath, e.name)))
    .sort();
}

async function resultOf(repo: Repo) {
  const shared = path.join(
    repo.dir,
    path.relative("/opt/atlassian/pipelines/agent/build", SHARED_STORAGE_DIR),
  );
  return JSON.parse(await readFile(path.join(shared, "state-guard", "result.json"), "utf8"));
}

describe.skipIf(!engine.available)("state-guard image, run as Bitbucket Pipelines runs a pipe", () => {
  let fake: FakeBitbucket;
  let moto: Moto;

  beforeAll(async () => {
    if (!process.env.CONTRACT_TEST_IMAGE) {
      const context = path.join(repositoryRoot, "pipes/state-guard");
      execFileSync("bash", [
        path.join(repositoryRoot, "docker/providers/build.sh"),
        "--copy",
        path.join(context, "providers"),
      ]);
      await buildImage({
        contextDir: context,
        tag: IMAGE,
        buildArgs: { VERSION: "0.1.0" },
        entries: ["Dockerfile", "dist", "package.json", "providers"],
      });
    }
    fake = await startFakeBitbucket({ credentials: { accessTokens: [ACCESS_TOKEN] } });
    moto = await startMoto();
  });
  afterAll(async () => {
    await fake?.close();
    await moto?.stop();
  });

  function run(
    repo: Repo,
    variables: Record<string, string | string[]>,
    env: Record<string, string> = {},
  ): Promise<PipeRunResult> {
    return runPipeContainer({
      image: IMAGE,
      pipe: PIPE,
      cloneDir: repo.dir,
      step: { commit: repo.head, branch: "main" },
      variables: {
        BITBUCKET_ACCESS_TOKEN: ACCESS_TOKEN,
        BITBUCKET_API_URL: fake.apiUrl,
        STATE_PASSPHRASE: PASSPHRASE,
        ...variables,
      },
      env: { NO_COLOR: "1", ...env },
    });
  }
  const lastLine = (r: PipeRunResult) => r.output.trim().split("\n").at(-1);

  it("backs up the state it pulls through the backend, encrypted and verified, then makes no new version of an unchanged state", async () => {
    fake.reset();
    const repo = await newRepo("backup");
    repo.apply("one");
    const state = await repo.state();
    const first = await run(repo, {});
    expect(first.output.split("\n")[0]).toBe("state-guard 0.1.0");
    expect(lastLine(first)).toMatch(
      new RegExp(
        `^✔ state-guard: PASS \\(backup\\): serial ${serialOf(state)} of lineage ${lineageOf(state)} backed up as states/`,
      ),
    );
    expect(first.exitCode).toBe(0);
    expect(first.output).not.toContain(PASSPHRASE);
    expect(first.output).not.toContain(ACCESS_TOKEN);
    const files = await storeFiles(repo);
    expect(files).toHaveLength(1);
    const object = await readFile(path.join(repo.dir, "state-backups", files[0] as string));
    expect(object.includes(SECRET_OUTPUT)).toBe(false);
    expect(object.includes(lineageOf(state))).toBe(true); // the authenticated header names it

    const result = await resultOf(repo);
    expect(result.verdict).toBe("PASS");
    expect(result.backup.status).toBe("created");
    expect(result.backup.version.commit).toBe(repo.head);
    expect(result.backup.version.serial).toBe(serialOf(state));
    expect(await readFile(path.join(repo.dir, "test-results/state-guard.xml"), "utf8")).toContain(
      "BACKED_UP",
    );
    expect(await readFile(path.join(repo.dir, "pipe-reports/state-guard/summary.md"), "utf8")).toContain(
      "State guard (backup): PASS",
    );
    expect(fake.violations).toEqual([]);
    const [report] = fake.reports();
    expect(report?.reportId).toBe("state-guard");
    expect(report?.report.result).toBe("PASSED");

    const again = await run(repo, {});
    expect(again.exitCode).toBe(0);
    expect(again.output).toContain("is unchanged since its backup");
    expect(await storeFiles(repo)).toEqual(files);
  });

  it("fails a serial rollback and a lineage change, changing nothing, and accepts a new lineage only when allowed", async () => {
    const repo = await newRepo("guards");
    repo.apply("one");
    const older = await repo.state();
    repo.apply("two");
    expect((await run(repo, {})).exitCode).toBe(0);
    const before = await storeFiles(repo);

    await writeFile(path.join(repo.dir, "terraform.tfstate"), older);
    const rollback = await run(repo, {});
    expect(rollback.exitCode).toBe(1);
    expect(lastLine(rollback)).toMatch(
      /^✖ state-guard: FAIL \(backup\): the state's serial \d+ is lower than the newest backup's \d+: a rollback/,
    );
    expect((await resultOf(repo)).reasons[0].code).toBe("SERIAL_ROLLBACK");
    expect(await storeFiles(repo)).toEqual(before);

    await rm(path.join(repo.dir, "terraform.tfstate"));
    repo.apply("other");
    const replaced = await run(repo, {});
    expect(replaced.exitCode).toBe(1);
    expect(replaced.output).toContain("another state is about to replace this one");
    expect((await resultOf(repo)).reasons[0].code).toBe("LINEAGE_CHANGED");
    expect(await storeFiles(repo)).toEqual(before);

    const allowed = await run(repo, { ALLOW_NEW_LINEAGE: "true" });
    expect(allowed.exitCode).toBe(0);
    expect(allowed.output).toContain("WARN: a new lineage");
    expect(await storeFiles(repo)).toHaveLength(before.length + 1);
  });

  it("restores a version to a file, the same state document, and refuses a wrong passphrase with a clear FAIL", async () => {
    const repo = await newRepo("restore");
    repo.apply("one");
    const wanted = await repo.state();
    await run(repo, {});
    repo.apply("two");
    await run(repo, {});

    const restored = await run(repo, {
      MODE: "restore",
      RESTORE_VERSION: String(serialOf(wanted)),
      RESTORE_FILE: "out/restored.tfstate",
    });
    expect(restored.exitCode).toBe(0);
    // `state pull` prints the state as the backend holds it (its bytes may differ from the file's in
    // trailing whitespace): the restored state is the same document.
    const restoredState = await readFile(path.join(repo.dir, "out/restored.tfstate"), "utf8");
    expect(JSON.parse(restoredState)).toEqual(JSON.parse(wanted.toString("utf8")));
    expect((await stat(path.join(repo.dir, "out/restored.tfstate"))).mode & 0o777).toBe(0o600);

    const wrong = await run(repo, {
      MODE: "restore",
      STATE_PASSPHRASE: "not-the-passphrase-at-all",
      RESTORE_FILE: "out/wrong.tfstate",
    });
    expect(wrong.exitCode).toBe(1);
    expect(wrong.output).toMatch(/does not open backup states\//);
    expect((await resultOf(repo)).reasons[0].code).toBe("BACKUP_WRONG_PASSPHRASE");
    await expect(readFile(path.join(repo.dir, "out/wrong.tfstate"))).rejects.toThrow();
  });

  it("audits the store: a tampered ciphertext is a FAIL naming the object, in the result and the JUnit", async () => {
    const repo = await newRepo("audit");
    for (const value of ["one", "two", "three"]) {
      repo.apply(value);
      expect((await run(repo, {})).exitCode).toBe(0);
    }
    const clean = await run(repo, { MODE: "audit" });
    expect(clean.exitCode).toBe(0);
    expect(clean.output).toContain("3 of 3 objects decrypt and match");

    const [victim] = await storeFiles(repo);
    const file = path.join(repo.dir, "state-backups", victim as string);
    const bytes = await readFile(file);
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] as number) ^ 0xff;
    await writeFile(file, bytes);
    const audit = await run(repo, { MODE: "audit" });
    expect(audit.exitCode).toBe(1);
    const result = await resultOf(repo);
    expect(result.audit.problems).toEqual([
      expect.objectContaining({ key: victim, code: "BACKUP_TAMPERED" }),
    ]);
    expect(result.audit.ok).toBe(2);
    expect(await readFile(path.join(repo.dir, "test-results/state-guard.xml"), "utf8")).toContain(
      `<testcase name="${victim}"`,
    );
  });

  it("lists what retention would remove without removing it, then removes exactly that and keeps the newest", async () => {
    const repo = await newRepo("retention");
    for (const value of ["one", "two", "three", "four"]) {
      repo.apply(value);
      await run(repo, {});
    }
    const all = await storeFiles(repo);
    expect(all).toHaveLength(4);
    const policy = {
      MODE: "retention",
      KEEP_LAST: "2",
      KEEP_DAILY: "0",
      KEEP_WEEKLY: "0",
      KEEP_MONTHLY: "0",
    };
    const dry = await run(repo, { ...policy, DRY_RUN: "true" });
    expect(dry.exitCode).toBe(0);
    expect(dry.output).toContain("retention (dry run) would remove 2 of 4 versions");
    expect(await storeFiles(repo)).toEqual(all);
    const wouldGo: string[] = (await resultOf(repo)).retention.remove.map((r: { key: string }) => r.key);

    const applied = await run(repo, policy);
    expect(applied.exitCode).toBe(0);
    const left = await storeFiles(repo);
    expect(left).toEqual(all.slice(2));
    expect(wouldGo.sort()).toEqual(all.slice(0, 2));
  });

  it("backs up to S3 through the AWS SDK (moto), readable by the same store on the host", async () => {
    const repo = await newRepo("s3");
    repo.apply("one");
    const s3 = s3ClientFromEnv(moto.env);
    await s3.send(new CreateBucketCommand({ Bucket: "acme-state-backups" }));
    const backedUp = await run(repo, { BACKUP_STORE: "s3://acme-state-backups/live/dev" }, moto.env);
    expect(backedUp.exitCode).toBe(0);
    expect(backedUp.output).not.toContain(PASSPHRASE);
    const listed = await new S3Store(s3, "acme-state-backups", "live/dev").list("states/");
    expect(listed).toHaveLength(1);
    expect(listed[0]?.metadata).toMatchObject({
      serial: String(serialOf(await repo.state())),
      commit: repo.head,
    });
    expect((await resultOf(repo)).store).toBe("s3://acme-state-backups/live/dev");
  });

  it("finds a file changed behind Terraform's back, and reverts it only when approved on a protected branch", async () => {
    const repo = await newRepo("drift", DRIFT_TF);
    repo.apply("unused");
    const motd = path.join(repo.dir, "motd.txt");
    expect(await readFile(motd, "utf8")).toBe("hello from terraform\n");
    const clean = await run(repo, { MODE: "drift" });
    expect(clean.exitCode).toBe(0);
    expect(clean.output).toContain("PASS: target .: no drift");

    await writeFile(motd, "edited by hand on the server\n");
    const found = await run(repo, { MODE: "drift" });
    expect(found.exitCode).toBe(0);
    expect(found.output).toContain("WARN: target .: 1 resource changed outside Terraform (local_file.motd)");
    const result = await resultOf(repo);
    expect(result.drift[0].drifted[0]).toMatchObject({ address: "local_file.motd" });
    expect(result.drift[0].drifted[0].attributes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: "content",
          before: "hello from terraform\n",
          after: "edited by hand on the server\n",
        }),
      ]),
    );
    expect((await run(repo, { MODE: "drift", DRIFT_ACTION: "fail" })).exitCode).toBe(1);

    const refused = await runPipeContainer({
      image: IMAGE,
      pipe: PIPE,
      cloneDir: repo.dir,
      step: { commit: repo.head, branch: "feature/x" },
      variables: {
        MODE: "drift",
        REMEDIATION: "revert",
        REMEDIATION_APPROVED: "true",
        CODE_INSIGHTS: "false",
      },
      env: { NO_COLOR: "1" },
    });
    expect(refused.exitCode).toBe(1);
    expect(refused.output).toContain("drift remediation revert of target . refused");
    expect(await readFile(motd, "utf8")).toBe("edited by hand on the server\n");

    const reverted = await run(repo, { MODE: "drift", REMEDIATION: "revert", REMEDIATION_APPROVED: "true" });
    expect(reverted.exitCode).toBe(0);
    expect(reverted.output).toContain("reverted to the configuration, no drift remains");
    expect(await readFile(motd, "utf8")).toBe("hello from terraform\n");
  });

  it("finds the lock a killed tofu apply left on its s3 backend (moto), calls it stale, and force-unlocks only the lock named", async () => {
    const repo = await newRepo("locks", "");
    await writeFile(
      path.join(repo.dir, "main.tf"),
      `terraform {\n  backend "s3" {}\n}\n\nresource "terraform_data" "slow" {\n  provisioner "local-exec" {\n    command = "sleep 120"\n  }\n}\n`,
    );
    await writeFile(
      path.join(repo.dir, "backend.hcl"),
      `bucket = "tf-locks-state"\nkey = "live/terraform.tfstate"\nregion = "${moto.region}"\nendpoints = { s3 = "${moto.endpoint}" }\nuse_path_style = true\nuse_lockfile = true\nskip_credentials_validation = true\nskip_requesting_account_id = true\nskip_metadata_api_check = true\nskip_region_validation = true\nskip_s3_checksum = true\n`,
    );
    const s3 = s3ClientFromEnv(moto.env);
    await s3.send(new CreateBucketCommand({ Bucket: "tf-locks-state" }));
    const hostEnv = {
      ...process.env,
      ...moto.env,
      TF_DATA_DIR: path.join(repo.dir, ".terraform-host"),
      TF_CLI_CONFIG_FILE: "",
    };
    execFileSync("tofu", ["init", "-input=false", "-no-color", "-backend-config=backend.hcl"], {
      cwd: repo.dir,
      env: hostEnv,
      stdio: "ignore",
    });
    const holder = spawn("tofu", ["apply", "-auto-approve", "-input=false", "-no-color"], {
      cwd: repo.dir,
      env: hostEnv,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Provisioning with 'local-exec'")) resolve();
      };
      holder.stdout?.on("data", read);
      holder.stderr?.on("data", read);
      holder.once("exit", (code) => reject(new Error(`tofu apply exited ${code}: ${output}`)));
    });
    process.kill(-(holder.pid as number), "SIGKILL");
    // Ages are whole seconds and a lock is stale only when older than LOCK_STALE_AFTER (1 s): wait
    // until it is surely 2 s old, since it was taken before the provisioner started.
    await new Promise((r) => setTimeout(r, 2500));

    const vars = { MODE: "locks", BINARY: "tofu", BACKEND_CONFIG: ["backend.hcl"], LOCK_STALE_AFTER: "1s" };
    const found = await run(repo, vars, moto.env);
    expect(found.exitCode).toBe(0);
    expect(found.output).toMatch(/WARN: .*stale/);
    const lock = (await resultOf(repo)).locks[0];
    expect(lock).toMatchObject({ backend: "s3", stale: true, operation: "OperationTypeApply" });

    const strict = await run(repo, { ...vars, LOCK_STALE_ACTION: "fail" }, moto.env);
    expect(strict.exitCode).toBe(1);

    const wrongId = await run(repo, { ...vars, FORCE_UNLOCK: "not-the-lock-id" }, moto.env);
    expect(wrongId.exitCode).toBe(2);
    expect(wrongId.output).toContain(`FORCE_UNLOCK="not-the-lock-id" names no held lock (held: ${lock.id})`);

    const unlocked = await run(repo, { ...vars, FORCE_UNLOCK: lock.id }, moto.env);
    expect(unlocked.exitCode).toBe(0);
    expect((await resultOf(repo)).unlocked).toEqual([lock.id]);
    const after = await run(repo, vars, moto.env);
    expect(after.output).toContain("PASS: no lock is held on the state");
  });

  it("names a bad variable, exits 2 without a stack trace, and writes nothing", async () => {
    const repo = await newRepo("invalid");
    repo.apply("one");
    const bad = await run(repo, { KEEP_LAST: "many", MODE: "retention" });
    expect(bad.exitCode).toBe(2);
    expect(bad.output).toMatch(/KEEP_LAST/);
    expect(bad.output).not.toMatch(/\n\s+at /);
    const noPassphrase = await run(repo, { STATE_PASSPHRASE: "" });
    expect(noPassphrase.exitCode).toBe(2);
    expect(noPassphrase.output).toContain("STATE_PASSPHRASE is not set");
    await mkdir(path.join(repo.dir, "pipe-reports"), { recursive: true });
    expect(await readdir(path.join(repo.dir, "pipe-reports"))).toEqual([]);
    expect(await storeFiles(repo)).toEqual([]);
  });
});

it("has a container engine when CI requires one", () => {
  if (process.env.REQUIRE_CONTAINER_ENGINE) expect(engine.reason).toBe("");
});
