/**
 * The one error family of the project. A PipeError is written for the person reading the build log:
 * what is wrong, where, and what to do (`suggestion`, printed apart). Only `runPipe` catches it and
 * exits, so every pipe fails the same way.
 */
export const ExitCode = {
  ok: 0,
  /** The pipe ran and its verdict is FAIL. */
  failed: 1,
  /** Variables or configuration files are invalid. */
  invalidInput: 2,
  /** A wrapped tool is missing, timed out or crashed. */
  toolFailure: 3,
  /** Anything unexpected: a bug in the pipe. */
  internal: 4,
  /** The step was cancelled (SIGTERM/SIGINT): never green. */
  cancelled: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface PipeErrorOptions {
  code?: string;
  suggestion?: string;
  exitCode?: ExitCode;
  cause?: unknown;
}

export class PipeError extends Error {
  readonly code: string;
  readonly suggestion: string | undefined;
  readonly exitCode: ExitCode;

  constructor(message: string, options: PipeErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "PipeError";
    this.code = options.code ?? "PIPE_ERROR";
    this.suggestion = options.suggestion;
    this.exitCode = options.exitCode ?? ExitCode.failed;
  }
}

/** Invalid variables, configuration files or input reports. */
export class InputError extends PipeError {
  constructor(message: string, options: Omit<PipeErrorOptions, "exitCode"> = {}) {
    super(message, { code: "INVALID_INPUT", ...options, exitCode: ExitCode.invalidInput });
    this.name = "InputError";
  }
}

/** A wrapped tool could not run, timed out, or failed in a way the pipe cannot interpret. */
export class ToolError extends PipeError {
  constructor(message: string, options: Omit<PipeErrorOptions, "exitCode"> = {}) {
    super(message, { code: "TOOL_FAILURE", ...options, exitCode: ExitCode.toolFailure });
    this.name = "ToolError";
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
