/** Real states from real terraform/tofu runs: a root module of built-in `terraform_data`, local backend. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { Logger, runTool } from "@pipes/core";
import { type Binary, pullState } from "../src/terraform.ts";

export const quietLog = () => {
  const sink = new Writable({ write: (_c, _e, done) => done() });
  return new Logger({ env: {}, stdout: sink, stderr: sink });
};

export interface Workspace {
  dir: string;
  binary: Binary;
  /** Applies with `value` as the input of terraform_data.example (a change raises the serial). */
  apply(value: string): Promise<void>;
  pull(): Promise<Uint8Array>;
}

export async function terraformWorkspace(binary: Binary = "terraform"): Promise<Workspace> {
  const dir = await mkdtemp(path.join(tmpdir(), "state-guard-tf-"));
  await writeFile(
    path.join(dir, "main.tf"),
    `variable "value" {\n  type = string\n}\n\nresource "terraform_data" "example" {\n  input = var.value\n}\n\noutput "value" {\n  value = terraform_data.example.output\n}\n`,
  );
  const log = quietLog();
  const dataDir = path.join(dir, ".tfdata");
  const env = { TF_DATA_DIR: dataDir, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1" };
  let initialised = false;
  return {
    dir,
    binary,
    async apply(value) {
      if (!initialised) {
        await runTool({ tool: binary, args: ["init", "-input=false", "-no-color"], cwd: dir, env }, log);
        initialised = true;
      }
      await runTool(
        {
          tool: binary,
          args: ["apply", "-auto-approve", "-input=false", "-no-color", `-var=value=${value}`],
          cwd: dir,
          env,
        },
        log,
      );
    },
    pull: () => pullState({ binary, moduleDir: dir, dataDir, env: { CHECKPOINT_DISABLE: "1" } }, log),
  };
}
