/** The gate as the pipe runs it, on a folder standing for the clone, with variables as environment. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { bitbucketContext, Logger, parseVariables } from "@pipes/core";
import { pipeEnvironment, type VariableValue } from "@pipes/testkit";
import { type GateRun, runGate } from "../src/gate.ts";
import { variables } from "../src/variables.ts";

export async function runGateOn(
  cloneDir: string,
  values: Record<string, VariableValue>,
  now = new Date(),
): Promise<GateRun> {
  const storage = mkdtempSync(path.join(tmpdir(), "policy-gate-test-"));
  const env = {
    PATH: process.env.PATH ?? "",
    BITBUCKET_CLONE_DIR: cloneDir,
    BITBUCKET_PIPE_STORAGE_DIR: path.join(storage, "own"),
    BITBUCKET_PIPE_SHARED_STORAGE_DIR: path.join(storage, "shared"),
    ...pipeEnvironment(values),
  };
  const log = new Logger({ env, stdout: devNull(), stderr: devNull() });
  return runGate(parseVariables(variables, env), bitbucketContext(env, cloneDir), log, now);
}

function devNull(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}
