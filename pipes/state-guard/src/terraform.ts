/** The state through its backend: `terraform|tofu init` then `state pull`, so every backend works. */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { type Logger, runTool } from "@pipes/core";

export type Binary = "terraform" | "tofu";
export const BINARY_VERSIONS: Record<Binary, string> = { terraform: "1.13.3", tofu: "1.12.6" };

export interface StateSource {
  binary: Binary;
  /** The root module, absolute. */
  moduleDir: string;
  dataDir: string;
  backendConfig?: readonly string[];
  workspace?: string;
  env?: Record<string, string | undefined>;
}

/** The tool's environment for `source`: its data dir and workspace, automation mode, no prompts. */
export function toolEnv(source: StateSource): Record<string, string | undefined> {
  // runTool extends the process environment: a setting there reaches the tool too.
  const cliConfig = source.env?.TF_CLI_CONFIG_FILE ?? process.env.TF_CLI_CONFIG_FILE;
  return {
    ...source.env,
    // tofu prints "Unable to open CLI configuration file" on stdout, before the state `state pull`
    // prints: a configuration file that does not exist configures nothing, so leave it out.
    ...(cliConfig && !existsSync(cliConfig) ? { TF_CLI_CONFIG_FILE: undefined } : {}),
    TF_DATA_DIR: source.dataDir,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    TF_WORKSPACE: source.workspace,
  };
}

/** How every command of `source` runs: its binary at the pinned version, in the module, its env. */
export function toolFor(source: StateSource) {
  return {
    tool: source.binary,
    expectedVersion: BINARY_VERSIONS[source.binary],
    cwd: source.moduleDir,
    env: toolEnv(source),
  };
}

/** `init -reconfigure` with the backend config: the backend as this source names it. */
export async function initState(source: StateSource, log: Logger): Promise<void> {
  await mkdir(source.dataDir, { recursive: true });
  await runTool(
    {
      ...toolFor(source),
      args: [
        "init",
        "-input=false",
        "-no-color",
        "-reconfigure",
        ...(source.backendConfig ?? []).map((item) => `-backend-config=${item}`),
      ],
    },
    log,
  );
}

/** The state's exact bytes as the backend holds them. */
export async function pullState(source: StateSource, log: Logger): Promise<Uint8Array> {
  await initState(source, log);
  // Not streamed and not logged: a state holds secrets in clear.
  const pulled = await runTool({ ...toolFor(source), args: ["state", "pull"] }, log);
  return Buffer.from(pulled.stdout, "utf8");
}

/** Writes `bytes` as the backend's state: `state push -` (after `init`, like pullState). */
export async function pushState(source: StateSource, bytes: Uint8Array, log: Logger): Promise<void> {
  await initState(source, log);
  // Through stdin, never logged: a state holds secrets in clear.
  await runTool(
    { ...toolFor(source), args: ["state", "push", "-"], input: Buffer.from(bytes).toString("utf8") },
    log,
  );
}
