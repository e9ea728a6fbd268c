/**
 * The benches' inputs made by real terraform: a generated configuration in `<dir>/<folder>`,
 * `terraform init` and `plan -out <dir>/plan.tfplan`, offline (no CLI config, local backend).
 */
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface PlannedModule {
  module: string;
  planFile: string;
  /** The environment terraform ran with: reuse it for `terraform show`. */
  env: NodeJS.ProcessEnv;
  /** `terraform plan` alone (not init). */
  planMs: number;
}

export async function planConfiguration(options: {
  dir: string;
  folder: string;
  configuration: string;
  terraform?: string;
}): Promise<PlannedModule> {
  const terraform = options.terraform ?? "terraform";
  const module = path.join(options.dir, options.folder);
  const planFile = path.join(options.dir, "plan.tfplan");
  await mkdir(module);
  await writeFile(path.join(module, "main.tf"), options.configuration);
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: "",
    TF_IN_AUTOMATION: "1",
    TF_DATA_DIR: path.join(options.dir, "data"),
  };
  await run(terraform, ["init", "-input=false", "-no-color"], { cwd: module, env });
  const started = performance.now();
  await run(terraform, ["plan", "-input=false", "-no-color", "-lock=false", "-out", planFile], {
    cwd: module,
    env,
    maxBuffer: 512 * 1024 * 1024,
  });
  return { module, planFile, env, planMs: performance.now() - started };
}
