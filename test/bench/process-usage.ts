/**
 * Wall time and peak memory of one child process, measured from outside it, so the figure is what a
 * user's machine sees: interpreter start, module loading, the work, writing files, exit.
 *
 * Peak memory is the child's maximum resident set size as the kernel counts it (ru_maxrss), read by
 * GNU time (`/usr/bin/time`, Debian package `time`). Without it, /proc/<pid>/status VmHWM (the
 * same high-water mark) is polled every 20 ms until the child exits; a peak reached in the last
 * few milliseconds may then be missed.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export interface ProcessUsage {
  exitCode: number;
  wallMs: number;
  /** Peak resident set size, MiB. */
  peakRssMiB: number;
  /** The last lines the child printed (stdout and stderr), to show why a run failed. */
  outputTail: string;
  timedOut: boolean;
}

export interface MeasureOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

const GNU_TIME = "/usr/bin/time";

/** How peak memory is read on this machine: "GNU time" or "/proc VmHWM polling". */
export const peakMemorySource: "GNU time" | "/proc VmHWM polling" = hasGnuTime()
  ? "GNU time"
  : "/proc VmHWM polling";

function hasGnuTime(): boolean {
  const probe = spawnSync(GNU_TIME, ["--version"], { encoding: "utf8" });
  return probe.status === 0 && /GNU/.test(`${probe.stdout}${probe.stderr}`);
}

function vmHwmKiB(pid: number): Promise<number | undefined> {
  return readFile(`/proc/${pid}/status`, "utf8").then(
    (status) => Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]) || undefined,
    () => undefined,
  );
}

/** Runs `command args` to its end (or its timeout) and measures it. */
export async function measureProcess(
  command: string,
  args: readonly string[],
  options: MeasureOptions,
): Promise<ProcessUsage> {
  const scratch = await mkdtemp(path.join(tmpdir(), "bench-usage-"));
  const timeFile = path.join(scratch, "time.txt");
  const [program, programArgs] =
    peakMemorySource === "GNU time"
      ? [GNU_TIME, ["-f", "%M", "-o", timeFile, command, ...args]]
      : [command, [...args]];
  let output = "";
  let polledKiB = 0;
  const started = performance.now();
  // Its own process group, so a timeout ends the child too, not only GNU time.
  const child = spawn(program, programArgs, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-4000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const poller =
    peakMemorySource === "GNU time"
      ? undefined
      : setInterval(async () => {
          const kib = child.pid === undefined ? undefined : await vmHwmKiB(child.pid);
          if (kib !== undefined) polledKiB = Math.max(polledKiB, kib);
        }, 20);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  }, options.timeoutMs);
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const wallMs = performance.now() - started;
  clearTimeout(timer);
  if (poller) clearInterval(poller);
  let peakKiB = polledKiB;
  if (peakMemorySource === "GNU time") {
    const report = await readFile(timeFile, "utf8").catch(() => "");
    // GNU time writes "Command exited with non-zero status N" before the figure when the child fails.
    peakKiB = Number(report.trim().split("\n").pop()) || 0;
  }
  await rm(scratch, { recursive: true, force: true });
  return {
    exitCode,
    wallMs,
    peakRssMiB: peakKiB / 1024,
    outputTail: output.trim().split("\n").slice(-8).join("\n"),
    timedOut,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
