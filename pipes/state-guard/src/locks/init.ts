/**
 * The backend `init` resolved: Terraform and OpenTofu write it to `<TF_DATA_DIR>/terraform.tfstate`
 * (`backend.type`, `backend.config` with every -backend-config merged in). A root module without a
 * backend block has no such file: its backend is the implied `local`.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { errorMessage, type Logger, PipeError } from "@pipes/core";
import { initState, type StateSource } from "../terraform.ts";

export interface ResolvedBackend {
  type: string;
  config: Record<string, unknown>;
  workspace: string;
  moduleDir: string;
}

/**
 * `init -reconfigure` (like pullState), then the backend it wrote down. Init of a workspace that has
 * no state yet (gcs, for one) takes the state lock to create it, and so fails on exactly the lock
 * it is asked to find (`-lock=false` does not change that): when it failed after writing down the
 * backend, that backend is used, with a warning.
 */
export async function initBackend(source: StateSource, log: Logger): Promise<ResolvedBackend> {
  await mkdir(source.dataDir, { recursive: true });
  const file = path.join(source.dataDir, "terraform.tfstate");
  const started = Date.now();
  try {
    await initState(source, log);
  } catch (error) {
    const written = existsSync(file) && (await stat(file)).mtimeMs >= started - 1000;
    if (!written) throw error;
    log.warn(
      `${source.binary} init failed after configuring the backend (${errorMessage(error).split("\n")[0]}); reading locks anyway`,
    );
  }
  return readResolvedBackend(source);
}

export async function readResolvedBackend(source: StateSource): Promise<ResolvedBackend> {
  const file = path.join(source.dataDir, "terraform.tfstate");
  const workspace = source.workspace ?? (await selectedWorkspace(source.dataDir));
  if (!existsSync(file)) return { type: "local", config: {}, workspace, moduleDir: source.moduleDir };
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new PipeError(`The backend that init wrote to ${file} is not JSON`, {
      code: "LOCK_BACKEND",
      suggestion: "Remove the data directory and run again: init writes it anew.",
      cause: error,
    });
  }
  const backend = (parsed as { backend?: { type?: unknown; config?: unknown } } | null)?.backend;
  if (typeof backend?.type !== "string")
    return { type: "local", config: {}, workspace, moduleDir: source.moduleDir };
  const config =
    typeof backend.config === "object" && backend.config !== null
      ? (backend.config as Record<string, unknown>)
      : {};
  return { type: backend.type, config, workspace, moduleDir: source.moduleDir };
}

async function selectedWorkspace(dataDir: string): Promise<string> {
  const file = path.join(dataDir, "environment");
  return existsSync(file) ? (await readFile(file, "utf8")).trim() || "default" : "default";
}

/** A string setting of the resolved backend (an empty string or null is unset). */
export function setting(backend: ResolvedBackend, name: string): string | undefined {
  const value = backend.config[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A nested string setting such as `endpoints.s3`. */
export function nestedSetting(backend: ResolvedBackend, block: string, name: string): string | undefined {
  const value = backend.config[block];
  const inner =
    typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;
  return typeof inner === "string" && inner !== "" ? inner : undefined;
}
