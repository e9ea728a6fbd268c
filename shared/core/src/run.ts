/**
 * The one place a pipe starts and ends: prints its name and version, parses variables, runs, prints
 * the final ✔/✖ line, and sets the exit code. Errors are caught here and nowhere else.
 */
import type { Writable } from "node:stream";
import type { z } from "zod";
import { type BitbucketContext, bitbucketContext } from "./context.ts";
import { type Env, processEnv } from "./env.ts";
import { ExitCode, PipeError } from "./errors.ts";
import { Logger } from "./log.ts";
import { parseVariables, secretValues, type VariableShape } from "./variables.ts";
import { checkForNewerVersion } from "./version-notice.ts";

/** Variables that hold credentials whatever the pipe: always masked. */
const CREDENTIAL_VARIABLES = [
  "BITBUCKET_STEP_OIDC_TOKEN",
  "BITBUCKET_ACCESS_TOKEN",
  "BITBUCKET_APP_PASSWORD",
  "BITBUCKET_API_TOKEN",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AZURE_CLIENT_SECRET",
  "ARM_CLIENT_SECRET",
  "ARM_OIDC_TOKEN",
  "GOOGLE_CREDENTIALS",
  "INFRACOST_API_KEY",
  "SEMGREP_APP_TOKEN",
];

export type Verdict = "PASS" | "WARN" | "FAIL";

export interface PipeOutcome {
  verdict: Verdict;
  /** One line for the final ✔/✖ line. */
  summary: string;
  /** Defaults to 0 for PASS and WARN, 1 for FAIL. */
  exitCode?: number;
}

export interface PipeRun<V> {
  variables: V;
  context: BitbucketContext;
  log: Logger;
  env: Env;
}

export interface PipeDefinition<S extends VariableShape> {
  name: string;
  version: string;
  variables: z.ZodObject<S>;
  run(pipe: PipeRun<z.output<z.ZodObject<S>>>): Promise<PipeOutcome>;
}

export interface PipeIO {
  env?: Env;
  cwd?: string;
  stdout?: Writable;
  stderr?: Writable;
}

export async function runPipe<S extends VariableShape>(
  definition: PipeDefinition<S>,
  io: PipeIO = {},
): Promise<number> {
  const env = io.env ?? processEnv();
  const log = new Logger({
    env,
    ...(io.stdout ? { stdout: io.stdout } : {}),
    ...(io.stderr ? { stderr: io.stderr } : {}),
  });
  for (const name of CREDENTIAL_VARIABLES) log.masker.add(env[name]);
  log.info(log.paint("bold", `${definition.name} ${definition.version}`));
  // Runs beside the pipe's work (never delaying its start) and is printed before the final line.
  const notice = checkForNewerVersion({ name: definition.name, version: definition.version, env, log });

  let cancelled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    cancelled = true;
    log.failure(`${definition.name} cancelled (${signal})`);
    process.exit(ExitCode.cancelled);
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);

  let exitCode: number;
  try {
    for (const secret of secretValues(definition.variables, env)) log.masker.add(secret);
    const variables = parseVariables(definition.variables, env);
    const context = bitbucketContext(env, io.cwd);
    log.debug(`clone dir ${context.cloneDir}; shared storage ${context.pipeSharedStorageDir}`);
    const outcome = await definition.run({ variables, context, log, env });
    await notice;
    exitCode = outcome.exitCode ?? (outcome.verdict === "FAIL" ? ExitCode.failed : ExitCode.ok);
    if (outcome.verdict === "FAIL") log.failure(`${definition.name}: ${outcome.summary}`);
    else log.success(`${definition.name}: ${outcome.summary}`);
  } catch (error) {
    await notice;
    exitCode = reportError(definition.name, error, log);
  } finally {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  }
  if (!cancelled) process.exitCode = exitCode;
  return exitCode;
}

function reportError(pipe: string, error: unknown, log: Logger): number {
  if (error instanceof PipeError) {
    log.error(error.message);
    if (error.suggestion) log.info(log.paint("gray", `→ ${error.suggestion}`));
    if (log.debugEnabled && error.stack) log.debug(error.stack);
    log.failure(`${pipe} failed (${error.code})`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  log.error(`unexpected error: ${message}`);
  if (log.debugEnabled && error instanceof Error && error.stack) log.debug(error.stack);
  else
    log.info(
      log.paint("gray", "→ Run with DEBUG=true for the stack trace, and report it with the pipe's version."),
    );
  log.failure(`${pipe} failed (INTERNAL)`);
  return ExitCode.internal;
}
