/**
 * Running the tools a pipe wraps. Commands are data (`ToolCommand`), built by pure functions and
 * run here, so tests of a tool adapter are tables of inputs → argument lists.
 */
import { execa } from "execa";
import { ToolError } from "./errors.ts";
import type { Logger } from "./log.ts";
import { formatDuration } from "./variables.ts";

export interface ToolCommand {
  /** The executable, as on PATH. */
  tool: string;
  args: readonly string[];
  /** The version the image is built with: named in the error when the tool is missing. */
  expectedVersion?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Kill the tool after this many milliseconds. */
  timeoutMs?: number;
  /** Exit codes that are results, not failures (scanners exit 1 when they find something). */
  okExitCodes?: readonly number[];
  /** Print the tool's output as it runs, each line prefixed with `prefix`; otherwise only with DEBUG. */
  stream?: boolean;
  prefix?: string;
  input?: string;
}

export interface ToolResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** Runs a tool; throws a ToolError that says which tool, why, and what to do. */
export async function runTool(command: ToolCommand, log: Logger): Promise<ToolResult> {
  const started = Date.now();
  const prefix = command.prefix ?? `[${command.tool}] `;
  const show = (stream: "stdout" | "stderr") => (line: string) => {
    if (command.stream) log.output(prefix + line, stream);
    else log.debug(prefix + line);
  };
  log.debug(`run: ${command.tool} ${command.args.join(" ")}`);
  const child = execa(command.tool, [...command.args], {
    cwd: command.cwd,
    env: command.env,
    extendEnv: true,
    reject: false,
    all: false,
    stripFinalNewline: false,
    ...(command.input === undefined ? { stdin: "ignore" as const } : { input: command.input }),
    ...(command.timeoutMs === undefined ? {} : { timeout: command.timeoutMs }),
    killSignal: "SIGTERM",
    forceKillAfterDelay: 5000,
    maxBuffer: 512 * 1024 * 1024,
    lines: false,
  });
  const lineReader = (stream: NodeJS.ReadableStream | null, print: (line: string) => void) => {
    if (!stream) return;
    let pending = "";
    stream.on("data", (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) print(line);
    });
    stream.on("end", () => {
      if (pending) print(pending);
    });
  };
  lineReader(child.stdout, show("stdout"));
  lineReader(child.stderr, show("stderr"));
  const result = await child;
  const durationMs = Date.now() - started;
  const stdout = String(result.stdout ?? "");
  const stderr = String(result.stderr ?? "");

  if (result.failed && (result as { code?: string }).code === "ENOENT") {
    throw new ToolError(
      `${command.tool} was not found on PATH${command.expectedVersion ? `; this image should contain ${command.tool} ${command.expectedVersion}` : ""}`,
      {
        code: "TOOL_NOT_FOUND",
        suggestion: "Run the pipe from its published image, or install the tool at that version.",
      },
    );
  }
  if (result.timedOut) {
    throw new ToolError(`${command.tool} timed out after ${formatDuration(command.timeoutMs ?? 0)}`, {
      code: "TOOL_TIMEOUT",
      suggestion: "Raise the pipe's timeout variable, or narrow what the tool scans.",
    });
  }
  if (result.isCanceled || (result.signal && result.exitCode === undefined)) {
    throw new ToolError(`${command.tool} was killed by ${result.signal ?? "a signal"}`, {
      code: "TOOL_KILLED",
    });
  }
  const exitCode = result.exitCode ?? -1;
  const ok = command.okExitCodes ?? [0];
  if (!ok.includes(exitCode)) {
    const detail = tail(stderr || stdout, 15);
    throw new ToolError(
      `${command.tool} exited with code ${exitCode}${detail ? `:\n${log.masker.mask(detail)}` : ""}`,
      { code: "TOOL_EXIT", suggestion: "Run with DEBUG=true to see the tool's whole output." },
    );
  }
  log.debug(`${command.tool} exited ${exitCode} in ${durationMs} ms`);
  return { exitCode, stdout, stderr, durationMs };
}
