/**
 * Real states in real remote backends: a root module of built-in `terraform_data` whose state lives
 * in tofu's pg backend (PostgreSQL) or s3 backend (moto), applied with tofu (terraform 1.13.3 of
 * this build lacks both backends).
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Logger, runTool } from "@pipes/core";
import type { Moto, Postgres } from "@pipes/testkit";
import type { StateSource } from "../src/terraform.ts";

export type RemoteBackend = "pg" | "s3";

export interface RemoteModule {
  /** How state-guard reaches the state: its own data dir, as in a Pipelines step. */
  source: StateSource;
  /** Applies with `value` as the input of terraform_data.example (a change raises the serial). */
  apply(value: string): Promise<void>;
}

/** `-backend-config` for the pg backend; each schema holds a state of its own (another lineage). */
export const pgBackendConfig = (pg: Postgres, schema = "terraform_remote_state") =>
  `conn_str = "${pg.connectionString}"\nschema_name = "${schema}"\n`;

/** `-backend-config` for the s3 backend on moto (path-style, no AWS account or checksum calls). */
export const s3BackendConfig = (moto: Moto, bucket: string, key: string) => `bucket = "${bucket}"
key = "${key}"
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

export async function remoteModule(
  backend: RemoteBackend,
  backendConfig: string,
  { env = {}, log }: { env?: Record<string, string>; log: Logger },
): Promise<RemoteModule> {
  const dir = await mkdtemp(path.join(tmpdir(), `state-guard-${backend}-`));
  await writeFile(
    path.join(dir, "main.tf"),
    `terraform {\n  backend "${backend}" {}\n}\n\nvariable "value" {\n  type = string\n}\n\nresource "terraform_data" "example" {\n  input = var.value\n}\n`,
  );
  await writeFile(path.join(dir, "backend.hcl"), backendConfig);
  const toolEnv = { ...env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  const dataDir = path.join(dir, ".tfdata");
  const run = (args: string[]) =>
    runTool({ tool: "tofu", args, cwd: dir, env: { ...toolEnv, TF_DATA_DIR: dataDir } }, log);
  let initialised = false;
  return {
    source: {
      binary: "tofu",
      moduleDir: dir,
      dataDir: path.join(dir, ".state-guard"),
      backendConfig: ["backend.hcl"],
      env: toolEnv,
    },
    async apply(value) {
      if (!initialised) await run(["init", "-input=false", "-no-color", "-backend-config=backend.hcl"]);
      initialised = true;
      await run(["apply", "-auto-approve", "-input=false", "-no-color", `-var=value=${value}`]);
    },
  };
}
