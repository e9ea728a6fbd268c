/**
 * security-gate on 100,000 findings, beside Microsoft's SARIF Multitool merging the same files.
 *
 * Both run as a user runs them, as child processes measured from outside (process-usage.ts):
 *  - the gate: its bundle, `node <flags> pipes/security-gate/dist/main.js` with the Node flags its
 *    image's ENTRYPOINT gives (pipes/security-gate/Dockerfile), in a clone directory holding
 *    the five SARIF files, with REPORTS=bench/*.sarif and no scanners: it ingests the files,
 *    dedupes, decides and writes its reports (SARIF, summary, result.json, JUnit), as in a step.
 *    Code Insights and the PR comment are off (no Bitbucket here) and ENFORCE=false, so a FAIL
 *    verdict still exits 0;
 *  - the Multitool: `Sarif.Multitool merge <files> --output-directory <dir> --output-file
 *    merged.sarif` (the platform binary that the npm package's bin.js would start through a shell).
 */

import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { measureProcess, median, type ProcessUsage } from "./process-usage.ts";
import { RESULTS_PER_FILE, SOURCE_FIXTURES, writeBenchSarif } from "./sarif-inputs.ts";

export const RUNS = 3;
export const GATE_TARGETS = { wallMs: 2000, peakRssMiB: 400 } as const;
/** A run longer than this is not repeated: one run shows the problem, three would take minutes. */
const REPEAT_ONLY_UNDER_MS = 10 * GATE_TARGETS.wallMs;
const RUN_TIMEOUT_MS = 600_000;

export interface SubjectFigures {
  name: string;
  command: string;
  runs: Pick<ProcessUsage, "exitCode" | "wallMs" | "peakRssMiB" | "timedOut">[];
  /** Medians over the runs that succeeded; over all runs when none did. */
  wallMs: number;
  peakRssMiB: number;
  /** Results in the SARIF it wrote (counted after its first run, if it wrote one). */
  resultsWritten?: number;
  resultsByTool?: Record<string, number>;
  /** Why a run failed, or why runs were not repeated. */
  notes: string[];
  failed: boolean;
}

export interface GateVsMultitool {
  inputs: { files: string[]; resultsPerFile: number; findings: number; megabytes: number };
  gate: SubjectFigures;
  multitool: SubjectFigures;
}

/** Results per tool (driver name; "(no tool)" for a run without one) in a SARIF file. */
async function countResults(file: string): Promise<Record<string, number>> {
  const log = JSON.parse(await readFile(file, "utf8")) as {
    runs?: { tool?: { driver?: { name?: string } }; results?: unknown[] }[];
  };
  const byTool: Record<string, number> = {};
  for (const run of log.runs ?? []) {
    const tool = run.tool?.driver?.name ?? "(no tool)";
    byTool[tool] = (byTool[tool] ?? 0) + (run.results?.length ?? 0);
  }
  return byTool;
}

interface Subject {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The SARIF file a run writes; removed before each run. */
  output: string;
  repeatOnlyUnderMs: number;
}

async function measureSubject(subject: Subject, log: (line: string) => void): Promise<SubjectFigures> {
  const figures: SubjectFigures = {
    name: subject.name,
    command: [subject.command, ...subject.args].join(" "),
    runs: [],
    wallMs: Number.NaN,
    peakRssMiB: Number.NaN,
    notes: [],
    failed: false,
  };
  for (let i = 0; i < RUNS; i += 1) {
    await rm(subject.output, { force: true });
    const usage = await measureProcess(subject.command, subject.args, {
      cwd: subject.cwd,
      env: subject.env,
      timeoutMs: RUN_TIMEOUT_MS,
    });
    const { outputTail, ...kept } = usage;
    figures.runs.push(kept);
    log(
      `  ${subject.name} run ${i + 1}/${RUNS}: ${(usage.wallMs / 1000).toFixed(2)} s, peak RSS ${usage.peakRssMiB.toFixed(0)} MiB, exit ${usage.exitCode}${usage.timedOut ? " (timed out)" : ""}`,
    );
    if (i === 0 && existsSync(subject.output)) {
      figures.resultsByTool = await countResults(subject.output);
      figures.resultsWritten = Object.values(figures.resultsByTool).reduce((sum, n) => sum + n, 0);
    }
    if (usage.exitCode !== 0 || usage.timedOut) {
      figures.failed = true;
      figures.notes.push(
        `run ${i + 1} ${usage.timedOut ? `timed out after ${RUN_TIMEOUT_MS / 1000} s` : `exited ${usage.exitCode}`}; its last lines:\n${outputTail}`,
      );
      break;
    }
    if (usage.wallMs > subject.repeatOnlyUnderMs && i < RUNS - 1) {
      figures.notes.push(
        `1 run only: it took over ${subject.repeatOnlyUnderMs / 1000} s, so it was not repeated`,
      );
      break;
    }
  }
  const succeeded = figures.runs.filter((run) => run.exitCode === 0 && !run.timedOut);
  const counted = succeeded.length > 0 ? succeeded : figures.runs;
  figures.wallMs = median(counted.map((run) => run.wallMs));
  figures.peakRssMiB = median(counted.map((run) => run.peakRssMiB));
  return figures;
}

export interface GateBenchOptions {
  repoRoot: string;
  fixturesDir: string;
  /** A scratch folder for the inputs and outputs; the caller removes it. */
  workDir: string;
  log: (line: string) => void;
}

/** The environment of a Pipelines step as far as the gate reads it here, and nothing of ours. */
function gateEnvironment(cloneDir: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NO_COLOR: "1",
    BITBUCKET_CLONE_DIR: cloneDir,
    SCANNERS_COUNT: "0",
    REPORTS_COUNT: "1",
    REPORTS_0: "bench/*.sarif",
    CODE_INSIGHTS: "false",
    PR_COMMENT: "false",
    ENFORCE: "false",
  };
}

/**
 * The Node flags the gate's image starts it with: those between "node" and the script in its
 * Dockerfile's ENTRYPOINT ["node", ..., "/pipe/main.js"], so the bench runs it as the image does.
 */
export function imageNodeFlags(repoRoot: string): string[] {
  const dockerfile = readFileSync(path.join(repoRoot, "pipes/security-gate/Dockerfile"), "utf8");
  const line = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1];
  const entrypoint: unknown = line === undefined ? undefined : JSON.parse(line);
  if (!Array.isArray(entrypoint) || entrypoint[0] !== "node" || entrypoint.length < 2)
    throw new Error('pipes/security-gate/Dockerfile: expected ENTRYPOINT ["node", ..., "/pipe/main.js"]');
  return entrypoint.slice(1, -1).map(String);
}

export function gateSubject(repoRoot: string, cloneDir: string, nodeArgs: string[] = []): Subject {
  return {
    name: "security-gate",
    command: process.execPath,
    args: [...imageNodeFlags(repoRoot), ...nodeArgs, path.join(repoRoot, "pipes/security-gate/dist/main.js")],
    cwd: cloneDir,
    env: gateEnvironment(cloneDir),
    output: path.join(cloneDir, "pipe-reports/security-gate/security-gate.sarif"),
    repeatOnlyUnderMs: REPEAT_ONLY_UNDER_MS,
  };
}

/** The Multitool's platform binary, as @microsoft/sarif-multitool resolves it. */
function multitoolBinary(repoRoot: string): string {
  const require = createRequire(path.join(repoRoot, "package.json"));
  return require("@microsoft/sarif-multitool") as string;
}

/** Writes the inputs into `workDir/repo/bench`. */
export async function prepareInputs(
  options: GateBenchOptions,
): Promise<{ cloneDir: string; files: string[] }> {
  const cloneDir = path.join(options.workDir, "repo");
  const files = await writeBenchSarif(options.fixturesDir, path.join(cloneDir, "bench"));
  return { cloneDir, files };
}

export async function benchGateVsMultitool(options: GateBenchOptions): Promise<GateVsMultitool> {
  const { repoRoot, workDir, log } = options;
  const { cloneDir, files } = await prepareInputs(options);
  let bytes = 0;
  for (const file of files) bytes += (await readFile(file)).byteLength;
  log(
    `  inputs: ${files.length} SARIF files × ${RESULTS_PER_FILE.toLocaleString("en")} results (${(bytes / 1e6).toFixed(0)} MB) in ${path.dirname(files[0] ?? cloneDir)}`,
  );

  const gate = await measureSubject(gateSubject(repoRoot, cloneDir), log);

  const mergedDir = path.join(workDir, "merged");
  await mkdir(mergedDir, { recursive: true });
  const multitool = await measureSubject(
    {
      name: "sarif-multitool merge",
      command: multitoolBinary(repoRoot),
      args: [
        "merge",
        ...files,
        "--output-directory",
        mergedDir,
        "--output-file",
        "merged.sarif",
        "--log",
        "ForceOverwrite",
      ],
      cwd: workDir,
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1" },
      output: path.join(mergedDir, "merged.sarif"),
      repeatOnlyUnderMs: 120_000,
    },
    log,
  );
  return {
    inputs: {
      files: [...SOURCE_FIXTURES],
      resultsPerFile: RESULTS_PER_FILE,
      findings: RESULTS_PER_FILE * files.length,
      megabytes: bytes / 1e6,
    },
    gate,
    multitool,
  };
}
