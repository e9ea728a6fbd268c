/**
 * Drift on real terraform and tofu runs with the simulation providers (docker/providers): a
 * `local_file` (a real file) and an `aws_db_instance` (JSON under .sim-cloud/, `password`
 * sensitive) applied, then changed behind Terraform's back.
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Logger, PipeError, runTool } from "@pipes/core";
import { type Binary, SENSITIVE } from "@pipes/terraform";
import { describe, expect, it } from "vitest";
import { driftFromPlan } from "../src/drift.ts";
import { type DriftOptions, detectDrift, remediate } from "../src/drift-run.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
// Builds the providers once (cached in $PIPES_CACHE/providers), then gives the mirror's folder.
const mirror = execFileSync("bash", [path.join(ROOT, "docker/providers/build.sh")], {
  encoding: "utf8",
}).trim();
const cliConfig = path.join(path.dirname(mirror), "terraformrc");

const MAIN_TF = `terraform {
  required_providers {
    local = { source = "pipes.local/sim/local" }
    aws   = { source = "pipes.local/sim/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "db_password" {
  type      = string
  sensitive = true
}

resource "local_file" "motd" {
  filename = "\${path.module}/motd.txt"
  content  = "hello from terraform\\n"
}

resource "aws_db_instance" "orders" {
  identifier     = "orders"
  engine         = "postgres"
  instance_class = "db.t3.micro"
  username       = "app"
  password       = var.db_password
  tags           = { team = "payments" }
}
`;
const PASSWORD = "s3cr3t-pw-from-tfvars";
const ROTATED = "rotated-by-hand-secret";
const CONFIGURED = "hello from terraform\n";
const EDITED = "edited by hand\n";

function capturingLog(): { log: Logger; text: () => string } {
  let text = "";
  const sink = new Writable({
    write: (chunk, _encoding, done) => {
      text += String(chunk);
      done();
    },
  });
  return { log: new Logger({ env: { NO_COLOR: "1" }, stdout: sink, stderr: sink }), text: () => text };
}

const quietLog = () => capturingLog().log;

interface Applied {
  dir: string;
  opts: DriftOptions;
  logText: () => string;
  motd: () => Promise<string>;
  /** The state's local_file content. */
  stateContent: () => Promise<string>;
  stateBytes: () => Promise<Buffer>;
  dbFile: () => string;
  editDb: (change: (db: Record<string, unknown>) => void) => Promise<void>;
}

/** A root module applied with `binary`; the pipe's run gets its own TF_DATA_DIR, like a fresh clone. */
async function applied(binary: Binary, workspace = "default"): Promise<Applied> {
  const dir = await mkdtemp(path.join(tmpdir(), `state-guard-drift-${binary}-`));
  await writeFile(path.join(dir, "main.tf"), MAIN_TF);
  await writeFile(path.join(dir, "secrets.tfvars"), `db_password = "${PASSWORD}"\n`);
  const env = {
    TF_CLI_CONFIG_FILE: cliConfig,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
  };
  const setup = { cwd: dir, env: { ...env, TF_DATA_DIR: path.join(dir, ".tf-setup") } };
  const quiet = quietLog();
  await runTool({ tool: binary, args: ["init", "-input=false", "-no-color"], ...setup }, quiet);
  if (workspace !== "default")
    await runTool({ tool: binary, args: ["workspace", "new", "-no-color", workspace], ...setup }, quiet);
  await runTool(
    {
      tool: binary,
      args: ["apply", "-auto-approve", "-input=false", "-no-color", "-var-file=secrets.tfvars"],
      ...setup,
    },
    quiet,
  );
  const { log, text } = capturingLog();
  const dbFile = () => {
    const folder = path.join(dir, ".sim-cloud", "aws", "aws_db_instance");
    const [name] = readdirSync(folder);
    if (!name) throw new Error("the sim aws_db_instance has no file");
    return path.join(folder, name);
  };
  const state = async () =>
    JSON.parse(await readFile(path.join(dir, "terraform.tfstate"), "utf8")) as {
      resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[];
    };
  return {
    dir,
    opts: {
      binary,
      moduleDir: dir,
      dataDir: path.join(dir, ".pipe-data"),
      target: "sim-production",
      varFiles: ["secrets.tfvars"],
      env,
      log,
    },
    logText: text,
    motd: () => readFile(path.join(dir, "motd.txt"), "utf8"),
    stateContent: async () =>
      String(
        (await state()).resources.find((r) => r.type === "local_file")?.instances[0]?.attributes.content,
      ),
    stateBytes: () => readFile(path.join(dir, "terraform.tfstate")),
    dbFile,
    editDb: async (change) => {
      const file = dbFile();
      const db = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
      change(db);
      await writeFile(file, JSON.stringify(db, null, 2));
    },
  };
}

/** Behind Terraform's back: the managed file edited, the database's password rotated and its class changed. */
async function drift(ws: Applied): Promise<void> {
  await writeFile(path.join(ws.dir, "motd.txt"), EDITED);
  await ws.editDb((db) => {
    db.password = ROTATED;
    db.instance_class = "db.r5.large";
    db.tags = { team: "payments", owner: "ops" };
  });
}

/** `show -json` of a `plan -refresh-only` run outside the pipe, as a user would make it. */
async function refreshOnlyPlanJson(ws: Applied): Promise<unknown> {
  const run = { cwd: ws.dir, env: { ...ws.opts.env, TF_DATA_DIR: path.join(ws.dir, ".tf-setup") } };
  const plan = ["plan", "-refresh-only", "-input=false", "-no-color", "-var-file=secrets.tfvars"];
  await runTool({ tool: ws.opts.binary, args: [...plan, "-out=drift.tfplan"], ...run }, quietLog());
  const shown = await runTool(
    { tool: ws.opts.binary, args: ["show", "-json", "drift.tfplan"], ...run },
    quietLog(),
  );
  return JSON.parse(shown.stdout);
}

const protectedMain = { approved: true, branch: "main", protectedBranches: ["main", "release/*"] };

describe.each(["terraform", "tofu"] as const)("drift with %s", (binary) => {
  it("finds no drift right after an apply", async () => {
    const ws = await applied(binary);
    expect(await detectDrift(ws.opts)).toEqual({ target: "sim-production", drifted: [] });
  });

  it("finds the edited file and the changed database with exactly their changed attributes, the password masked", async () => {
    const ws = await applied(binary);
    await drift(ws);
    const report = await detectDrift(ws.opts);
    expect(report.target).toBe("sim-production");
    const byAddress = Object.fromEntries(report.drifted.map((r) => [r.address, r]));
    expect(Object.keys(byAddress).sort()).toEqual(["aws_db_instance.orders", "local_file.motd"]);
    expect(byAddress["local_file.motd"]?.action).toBe("update");
    expect(byAddress["local_file.motd"]?.type).toBe("local_file");
    // local_file's id is the content's hash, so it drifts with the content.
    expect(byAddress["local_file.motd"]?.attributes.find((a) => a.path === "content")).toEqual({
      path: "content",
      before: CONFIGURED,
      after: EDITED,
      sensitive: false,
    });
    expect(byAddress["local_file.motd"]?.attributes.map((a) => a.path)).toEqual(["content", "id"]);
    expect(byAddress["aws_db_instance.orders"]?.attributes).toEqual([
      { path: "instance_class", before: "db.t3.micro", after: "db.r5.large", sensitive: false },
      { path: "password", before: SENSITIVE, after: SENSITIVE, sensitive: true },
      { path: "tags.owner", before: null, after: "ops", sensitive: false },
    ]);
    const shown = JSON.stringify(report) + ws.logText();
    expect(shown).not.toContain(PASSWORD);
    expect(shown).not.toContain(ROTATED);
  });

  it("plans the target's workspace: drift in staging, none in the empty default workspace", async () => {
    const ws = await applied(binary, "staging");
    await drift(ws);
    const staging = await detectDrift({ ...ws.opts, workspace: "staging" });
    expect(staging.drifted.map((r) => r.address).sort()).toEqual([
      "aws_db_instance.orders",
      "local_file.motd",
    ]);
    expect((await detectDrift(ws.opts)).drifted).toEqual([]);
  });

  it("reports a managed file deleted outside Terraform as a delete without attributes", async () => {
    const ws = await applied(binary);
    await rm(path.join(ws.dir, "motd.txt"));
    const report = await detectDrift(ws.opts);
    expect(report.drifted).toEqual([
      { address: "local_file.motd", type: "local_file", action: "delete", attributes: [] },
    ]);
  });

  it("accept records the edited file in the state and leaves the file as it is; nothing drifts after", async () => {
    const ws = await applied(binary);
    await drift(ws);
    const result = await remediate("accept", { ...ws.opts, approval: protectedMain });
    expect(result).toEqual({ applied: true, after: { target: "sim-production", drifted: [] } });
    expect(await ws.motd()).toBe(EDITED);
    expect(await ws.stateContent()).toBe(EDITED);
    expect(JSON.parse(await readFile(ws.dbFile(), "utf8")).password).toBe(ROTATED);
    expect(ws.logText()).not.toContain(ROTATED);
  });

  it("revert restores the file and the database to the configuration; nothing drifts after", async () => {
    const ws = await applied(binary);
    await drift(ws);
    const result = await remediate("revert", { ...ws.opts, approval: protectedMain });
    expect(result).toEqual({ applied: true, after: { target: "sim-production", drifted: [] } });
    expect(await ws.motd()).toBe(CONFIGURED);
    expect(await ws.stateContent()).toBe(CONFIGURED);
    const db = JSON.parse(await readFile(ws.dbFile(), "utf8"));
    expect([db.password, db.instance_class, db.tags]).toEqual([
      PASSWORD,
      "db.t3.micro",
      { team: "payments" },
    ]);
  });

  it("applies nothing when there is no drift", async () => {
    const ws = await applied(binary);
    const before = await ws.stateBytes();
    const result = await remediate("revert", { ...ws.opts, approval: protectedMain });
    expect(result).toEqual({ applied: false, after: { target: "sim-production", drifted: [] } });
    expect(await ws.stateBytes()).toEqual(before);
  });

  it.each([
    ["without approval", { ...protectedMain, approved: false }, /REMEDIATION_APPROVED/],
    ["on a branch that is not protected", { ...protectedMain, branch: "feature/x" }, /PROTECTED_BRANCHES/],
  ])("refuses %s and changes neither the file nor the state", async (_case, approval, names) => {
    const ws = await applied(binary);
    await drift(ws);
    const state = await ws.stateBytes();
    for (const mode of ["accept", "revert"] as const) {
      const refused = await remediate(mode, { ...ws.opts, approval }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(PipeError);
      expect((refused as PipeError).code).toBe("DRIFT_REMEDIATION_REFUSED");
      expect((refused as PipeError).message).toMatch(names);
      expect((refused as PipeError).suggestion).toMatch(/REMEDIATION_APPROVED.*PROTECTED_BRANCHES/);
    }
    expect(await ws.motd()).toBe(EDITED);
    expect(await ws.stateBytes()).toEqual(state);
    expect((await detectDrift(ws.opts)).drifted.map((r) => r.address).sort()).toEqual([
      "aws_db_instance.orders",
      "local_file.motd",
    ]);
  });

  it("reads the drift from the plan JSON of a real refresh-only plan, and refuses the JSON of a state", async () => {
    const ws = await applied(binary);
    await drift(ws);
    const report = driftFromPlan(await refreshOnlyPlanJson(ws), "from-file");
    expect(report.drifted.map((r) => `${r.address} ${r.attributes.map((a) => a.path).join(",")}`)).toEqual([
      "aws_db_instance.orders instance_class,password,tags.owner",
      "local_file.motd content,id",
    ]);
    const env = { ...ws.opts.env, TF_DATA_DIR: path.join(ws.dir, ".tf-setup") };
    const state = await runTool({ tool: binary, args: ["show", "-json"], cwd: ws.dir, env }, quietLog());
    expect(() => driftFromPlan(JSON.parse(state.stdout), "from-file")).toThrow(
      /looks like the JSON of a state/,
    );
  });
  it("shows a drifted sensitive map as one masked attribute, without its keys or values", async () => {
    const ws = await applied(binary);
    await drift(ws);
    const plan = (await refreshOnlyPlanJson(ws)) as {
      resource_drift: { address: string; change: Record<string, unknown> }[];
    };
    // The sim provider has no sensitive map: mark `tags` as a provider with one (or `sensitive()`) does.
    const db = plan.resource_drift.find((r) => r.address === "aws_db_instance.orders");
    if (!db) throw new Error("the real plan has no drift of aws_db_instance.orders");
    for (const marks of ["before_sensitive", "after_sensitive"])
      db.change[marks] = { ...(db.change[marks] as object), tags: true };
    const report = driftFromPlan(plan, "from-file");
    const attributes = report.drifted.find((r) => r.address === "aws_db_instance.orders")?.attributes;
    expect(attributes?.find((a) => a.path.startsWith("tags"))).toEqual({
      path: "tags",
      before: SENSITIVE,
      after: SENSITIVE,
      sensitive: true,
    });
    expect(JSON.stringify(report)).not.toMatch(/owner|ops|payments/);
  });
});
