/** The gate as the pipe runs it, on a folder standing for the clone, with variables as environment. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { bitbucketContext, Logger, parseVariables } from "@pipes/core";
import { type GateRun, runGate } from "../src/gate.ts";
import { variables } from "../src/variables.ts";

/** `{NAME: [a, b]}` → NAME_COUNT, NAME_0, NAME_1 as Pipelines passes a list. */
export function pipelineEnv(values: Record<string, string | string[]>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (Array.isArray(value)) {
      env[`${name}_COUNT`] = String(value.length);
      value.forEach((item, index) => {
        env[`${name}_${index}`] = item;
      });
    } else env[name] = value;
  }
  return env;
}

export async function runGateOn(
  cloneDir: string,
  values: Record<string, string | string[]>,
  now = new Date(),
): Promise<GateRun> {
  const storage = mkdtempSync(path.join(tmpdir(), "policy-gate-test-"));
  const env = {
    PATH: process.env.PATH ?? "",
    BITBUCKET_CLONE_DIR: cloneDir,
    BITBUCKET_PIPE_STORAGE_DIR: path.join(storage, "own"),
    BITBUCKET_PIPE_SHARED_STORAGE_DIR: path.join(storage, "shared"),
    ...pipelineEnv(values),
  };
  const log = new Logger({ env, stdout: devNull(), stderr: devNull() });
  return runGate(parseVariables(variables, env), bitbucketContext(env, cloneDir), log, now);
}

function devNull(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}
