/**
 * `npm run bench`: the figures a platform team asks about before adopting the pipes.
 *  1. each pipe image: its size, and the time from container start to the pipe's first log line;
 *  2. security-gate gating 100,000 findings from 5 SARIF files, beside Microsoft's SARIF Multitool
 *     merging the same files: wall time and peak memory, median of 3 runs.
 * Ends with one table of every figure and `bench: done`; writes test/bench/results/latest.json.
 * Exits 1 when a measured program failed (a crash is a finding, not a figure).
 *
 *   npm run bench                  (builds first: turbo run build)
 *   npm run bench -- --profile     also profiles one gate run (node --cpu-prof): where the time goes
 *  3. multicloud-plan analysing a 10,000-resource plan JSON made by a real terraform run, beside
 *     `terraform show -json` of the same plan;
 *  4. cost-guard over an Infracost breakdown of 2,000 projects;
 *  5. policy-gate: 100 policies over a 5,000-resource plan (real terraform), beside conftest;
 *  6. state-guard: backup + verify of a 50 MB state (real terraform), beside gpg encrypt + verify.
 *
 *   npm run bench -- --only gate   one section only: `images` (1.), `gate` (2.), `plan` (3.), `cost` (4.), `policy` (5.), `state` (6.)
 *
 * Section 1 needs a container engine (eval "$(bash docker/engine.sh env)"), and is skipped without.
 * Inputs are generated into a temporary folder and removed at the end.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { containerEngine } from "../container/engine.ts";
import { benchCostGuard, type CostGuardFigures } from "./cost-guard.ts";
import { type ProfileSummary, summarizeProfile } from "./cpu-profile.ts";
import {
  benchGateVsMultitool,
  GATE_TARGETS,
  type GateVsMultitool,
  gateSubject,
  RUNS,
  type SubjectFigures,
} from "./gate-vs-multitool.ts";
import { benchMulticloudPlan, type MulticloudPlanFigures } from "./multicloud-plan.ts";
import { benchPipeImages, type PipeImageFigures, START_RUNS } from "./pipe-images.ts";
import { benchPolicyGate, type PolicyGateFigures } from "./policy-gate.ts";
import { measureProcess, peakMemorySource } from "./process-usage.ts";
import { benchStateGuard, STATE_TARGETS, type StateGuardFigures } from "./state-guard.ts";
import { renderTable, type TableRow } from "./table.ts";

const repoRoot = path.resolve(import.meta.dirname, "../..");
// CI lays a copy of shared/ beside the clone, as /work/shared is beside /work/main here.
const fixturesDir = path.resolve(repoRoot, "../shared/fixtures");
const resultsFile = path.join(import.meta.dirname, "results/latest.json");
const profile = process.argv.includes("--profile");
const SECTIONS = ["images", "gate", "plan", "cost", "policy", "state"] as const;
const onlyIndex = process.argv.indexOf("--only");
const only = onlyIndex === -1 ? undefined : process.argv[onlyIndex + 1];
if (only !== undefined && !(SECTIONS as readonly string[]).includes(only)) {
  console.error(`bench: --only takes one of ${SECTIONS.join(", ")}, not ${only ?? "nothing"}`);
  process.exit(2);
}
const runs = (section: (typeof SECTIONS)[number]) => only === undefined || only === section;

const log = (line: string) => console.log(line);
const startedAt = new Date();
const started = performance.now();

if (!existsSync(path.join(fixturesDir, "sarif"))) {
  console.error(`bench: no SARIF fixtures at ${fixturesDir}/sarif (the shared/ folder beside the clone)`);
  process.exit(2);
}
if (!existsSync(path.join(repoRoot, "pipes/security-gate/dist/main.js"))) {
  console.error(
    "bench: pipes/security-gate/dist/main.js is missing: run `npm run build` (npm run bench does)",
  );
  process.exit(2);
}

const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? "unknown",
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  peakMemorySource,
};
log(
  `bench: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}; peak memory from ${peakMemorySource}`,
);

// --- 1. pipe images ---------------------------------------------------------------------------
log(
  `\n1. Pipe images: size, and container start → first log line (median of ${START_RUNS}; run with DEBUG=nope, an invalid variable, so the pipe exits right after its first line)`,
);
const engine = containerEngine();
let images: PipeImageFigures[] = [];
let imagesSkipped: string | undefined;
if (!runs("images")) {
  imagesSkipped = `--only ${only}`;
  log(`  skipped: ${imagesSkipped}`);
} else if (engine.available) {
  images = await benchPipeImages(repoRoot, log);
} else {
  imagesSkipped = engine.reason;
  log(`  skipped: ${imagesSkipped}`);
}

// --- 2. gate vs multitool ---------------------------------------------------------------------
let gating: GateVsMultitool | undefined;
let hotspots: ProfileSummary | undefined;
if (runs("gate")) {
  log(
    `\n2. security-gate gating 100,000 findings (5 SARIF files) vs sarif-multitool merge of the same files (median of ${RUNS})`,
  );
  const workDir = await mkdtemp(path.join(tmpdir(), "bench-gate-"));
  try {
    gating = await benchGateVsMultitool({ repoRoot, fixturesDir, workDir, log });
    if (profile) hotspots = await profileGate(workDir);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
} else {
  log(`\n2. security-gate vs sarif-multitool: skipped (--only ${only})`);
}

/** One more gate run under `node --cpu-prof`, summarized. */
async function profileGate(dir: string): Promise<ProfileSummary | undefined> {
  const profileDir = path.join(dir, "cpu-profile");
  await mkdir(profileDir, { recursive: true });
  const subject = gateSubject(repoRoot, path.join(dir, "repo"), [
    "--cpu-prof",
    `--cpu-prof-dir=${profileDir}`,
  ]);
  log("\n  profiling one gate run (node --cpu-prof) ...");
  await measureProcess(subject.command, subject.args, {
    cwd: subject.cwd,
    env: subject.env,
    timeoutMs: 600_000,
  });
  const [file] = (await readdir(profileDir)).filter((name) => name.endsWith(".cpuprofile"));
  if (file === undefined) {
    log("  no profile was written");
    return undefined;
  }
  const summary = await summarizeProfile(path.join(profileDir, file), 10);
  const rows = (list: ProfileSummary["bySelf"]) =>
    list.map(
      (hot) =>
        `    ${hot.ms.toFixed(0).padStart(7)} ms ${(100 * hot.share).toFixed(1).padStart(5)} %  ${hot.function}`,
    );
  log(`  ${summary.totalMs.toFixed(0)} ms sampled (lines are of dist/main.js); most self time:`);
  for (const row of rows(summary.bySelf)) log(row);
  log("  most total time (with callees):");
  for (const row of rows(summary.byTotal)) log(row);
  return summary;
}

// --- closing table and results file -----------------------------------------------------------
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (value: number) => `${value.toFixed(0)} MiB`;

const rows: TableRow[] = [];
for (const image of images) {
  rows.push({
    figure: `${image.pipe} image size`,
    value: image.sizeMB === undefined ? "-" : `${image.sizeMB.toFixed(0)} MB`,
  });
  rows.push({
    figure: `${image.pipe} start → first log line (median of ${START_RUNS})`,
    value: image.firstLineMs === undefined ? "-" : `${image.firstLineMs.toFixed(0)} ms`,
  });
  if (image.error) rows.push({ figure: `${image.pipe} image: ${image.error}`, value: "-" });
}
if (imagesSkipped) rows.push({ figure: `pipe images: skipped (${imagesSkipped})`, value: "-" });
const ratios = gating ? gateRows(gating) : undefined;

/** The gate section's rows (added to `rows`) and notes (logged); returns the two ratios. */
function gateRows({ gate, multitool, inputs }: GateVsMultitool): { time: number; memory: number } {
  const findings = inputs.findings.toLocaleString("en");
  const timeRatio = multitool.wallMs / gate.wallMs;
  const memoryRatio = multitool.peakRssMiB / gate.peakRssMiB;
  const runsOf = (figures: SubjectFigures) =>
    figures.runs.length === RUNS
      ? `median of ${RUNS}`
      : `${figures.runs.length} run${figures.runs.length === 1 ? "" : "s"}`;
  const written = (figures: SubjectFigures) =>
    figures.resultsWritten === undefined
      ? "-"
      : `${figures.resultsWritten.toLocaleString("en")} of ${findings}`;
  const failedMark = (figures: SubjectFigures) => (figures.failed ? " (FAILED)" : "");
  rows.push(
    {
      figure: `gate, ${findings} findings: wall (${runsOf(gate)})${failedMark(gate)}`,
      value: seconds(gate.wallMs),
      target: `≤ ${seconds(GATE_TARGETS.wallMs)}`,
      met: !gate.failed && gate.wallMs <= GATE_TARGETS.wallMs,
    },
    {
      figure: `gate, ${findings} findings: peak RSS${failedMark(gate)}`,
      value: mib(gate.peakRssMiB),
      target: `≤ ${mib(GATE_TARGETS.peakRssMiB)}`,
      met: !gate.failed && gate.peakRssMiB <= GATE_TARGETS.peakRssMiB,
    },
    {
      figure: `sarif-multitool merge: wall (${runsOf(multitool)})${failedMark(multitool)}`,
      value: seconds(multitool.wallMs),
    },
    { figure: `sarif-multitool merge: peak RSS${failedMark(multitool)}`, value: mib(multitool.peakRssMiB) },
    {
      figure: "time ratio, multitool / gate",
      value: `${timeRatio.toFixed(2)}×`,
      target: "> 1 (gate faster)",
      met: !gate.failed && timeRatio > 1,
    },
    { figure: "memory ratio, multitool / gate", value: `${memoryRatio.toFixed(2)}×` },
    { figure: "results in the SARIF written: gate", value: written(gate) },
    { figure: "results in the SARIF written: multitool", value: written(multitool) },
  );
  for (const subject of [gate, multitool]) {
    if (subject.resultsByTool) {
      const byTool = Object.entries(subject.resultsByTool).map(
        ([tool, n]) => `${tool} ${n.toLocaleString("en")}`,
      );
      log(`\n  ${subject.name} wrote ${written(subject)} results; by run: ${byTool.join(", ")}`);
    }
    for (const note of subject.notes) log(`\n  ${subject.name}: ${note.replace(/\n/g, "\n    ")}`);
  }
  if (!profile && (gate.failed || gate.wallMs > GATE_TARGETS.wallMs))
    log(
      "\n  the gate failed or missed its time target: `npm run bench -- --profile` shows where its time goes",
    );
  return { time: timeRatio, memory: memoryRatio };
}

let planning: MulticloudPlanFigures | undefined;
if (runs("plan")) {
  log("\n3. multicloud-plan: analysis of a 10,000-resource plan beside terraform show -json");
  planning = await benchMulticloudPlan({ repoRoot, resources: 10_000 });
  const mib = (n: number) => `${n.toFixed(0)} MiB`;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  rows.push(
    {
      figure: `plan JSON of ${planning.resources.toLocaleString("en")} resources (terraform plan ${s(planning.planMs)})`,
      value: `${planning.planJsonMiB.toFixed(1)} MiB`,
    },
    {
      figure: "multicloud-plan analysis: wall / peak",
      value: `${s(planning.analysis.wallMs)} / ${mib(planning.analysis.peakRssMiB)}`,
    },
    {
      figure: "terraform show -json: wall / peak",
      value: `${s(planning.showJson.wallMs)} / ${mib(planning.showJson.peakRssMiB)}`,
    },
    {
      figure: "analysis time ÷ terraform show -json time",
      value: (planning.analysis.wallMs / planning.showJson.wallMs).toFixed(2),
    },
  );
  if (planning.counted !== planning.resources || planning.analysis.exitCode !== 0) process.exitCode = 1;
}

let costing: CostGuardFigures | undefined;
if (runs("cost")) {
  log("\n4. cost-guard over a large Infracost breakdown");
  const workDir = await mkdtemp(path.join(tmpdir(), "bench-cost-"));
  try {
    costing = await benchCostGuard({ repoRoot, fixturesDir, workDir, log });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  rows.push({
    figure: `cost-guard: ${costing.projects.toLocaleString("en")} projects, ${costing.resources.toLocaleString("en")} resources (${costing.inputMB.toFixed(1)} MB): wall / peak`,
    value: `${(costing.wallMs / 1000).toFixed(2)} s / ${costing.peakRssMiB.toFixed(0)} MiB`,
  });
  if (costing.exitCode > 1) process.exitCode = 1;
}

let policing: PolicyGateFigures | undefined;
if (runs("policy")) {
  log("\n5. policy-gate: 100 policies over a 5,000-resource plan beside conftest");
  policing = await benchPolicyGate({ repoRoot });
  const usage = (u: { wallMs: number; peakRssMiB: number }) =>
    `${(u.wallMs / 1000).toFixed(2)} s / ${u.peakRssMiB.toFixed(0)} MiB`;
  rows.push(
    {
      figure: `policy-gate: ${policing.policies} policies × ${policing.resources.toLocaleString("en")} resources: wall / peak`,
      value: usage(policing.policyGate),
    },
    { figure: "conftest test, same policies and plan: wall / peak", value: usage(policing.conftest) },
    {
      figure: "policy-gate time ÷ conftest time",
      value: (policing.policyGate.wallMs / policing.conftest.wallMs).toFixed(2),
    },
  );
  if (policing.policyGate.exitCode > 1 || policing.conftest.exitCode > 1) process.exitCode = 1;
}

let stateGuarding: StateGuardFigures | undefined;
if (runs("state")) {
  log("\n6. state-guard: backup + verify of a 50 MB state beside gpg --symmetric + decrypt | sha256sum");
  const workDir = await mkdtemp(path.join(tmpdir(), "bench-state-"));
  try {
    stateGuarding = await benchStateGuard({ repoRoot, workDir, log });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  const { stateGuard, gpg, stateMB, timeRatio } = stateGuarding;
  const usage = (u: { wallMs: number; peakRssMiB: number }) =>
    `${(u.wallMs / 1000).toFixed(2)} s / ${u.peakRssMiB.toFixed(0)} MiB`;
  rows.push(
    {
      figure: `state-guard backup + verify, ${stateMB.toFixed(0)} MB state: wall / peak`,
      value: usage(stateGuard),
      target: `≤ ${STATE_TARGETS.peakRssMiB} MiB`,
      met: stateGuard.exitCode === 0 && stateGuard.peakRssMiB <= STATE_TARGETS.peakRssMiB,
    },
    { figure: "gpg --symmetric + decrypt | sha256sum, same state: wall / peak", value: usage(gpg) },
    {
      figure: "state-guard time ÷ gpg time",
      value: timeRatio.toFixed(2),
      target: `≤ ${STATE_TARGETS.timeRatio}`,
      met: stateGuard.exitCode === 0 && timeRatio <= STATE_TARGETS.timeRatio,
    },
  );
  if (stateGuard.exitCode !== 0 || gpg.exitCode !== 0) process.exitCode = 1;
}

const durationS = (performance.now() - started) / 1000;
const results = {
  generatedBy: "npm run bench (test/bench/run.ts)",
  startedAt: startedAt.toISOString(),
  durationS,
  machine,
  pipeImages: imagesSkipped ? { skipped: imagesSkipped } : images,
  gateVsMultitool: gating ? { ...gating, targets: GATE_TARGETS, ratios } : { skipped: `--only ${only}` },
  ...(hotspots ? { gateProfile: hotspots } : {}),
  multicloudPlan: planning ?? { skipped: `--only ${only}` },
  costGuard: costing ?? { skipped: `--only ${only}` },
  policyGate: policing ?? { skipped: `--only ${only}` },
  stateGuard: stateGuarding ? { ...stateGuarding, targets: STATE_TARGETS } : { skipped: `--only ${only}` },
};
await mkdir(path.dirname(resultsFile), { recursive: true });
await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);

log(`\nResults (${path.relative(repoRoot, resultsFile)}; ${durationS.toFixed(0)} s in all)`);
log(renderTable(rows));
if (gating?.gate.failed || gating?.multitool.failed) process.exitCode = 1;
log("bench: done");
