/**
 * Each pipe image as a consumer meets it: how much the runner pulls (the image size the engine
 * reports), and how long the pipe takes from container start to its first log line (its version
 * banner), i.e. the fixed cost of `pipe:` in a step before any work.
 *
 * The image is built from the pipe's current dist/ (as `npx pipes build <pipe>` does) and run with
 * one invalid variable, DEBUG=nope (every pipe declares DEBUG as a strict boolean): the pipe prints
 * its banner, rejects the variable and exits 2, so the run measures start-up alone.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildLocalImage, localPipe } from "@pipes/cli";
import { docker, runPipeContainer } from "@pipes/testkit";
import { median } from "./process-usage.ts";

export const START_RUNS = 5;
const INVALID_VARIABLE = { DEBUG: "nope" } as const;

export interface PipeImageFigures {
  pipe: string;
  image: string;
  /** Size as the engine reports it (`docker image inspect` .Size), MB of 10^6 bytes. */
  sizeMB?: number;
  /** Median ms from container start to the first byte of output. */
  firstLineMs?: number;
  /** Median ms from container start to its exit. */
  exitMs?: number;
  runs: { firstLineMs?: number | undefined; exitMs: number; exitCode: number }[];
  buildMs?: number;
  error?: string;
}

/** Folders of pipes/ that have a Dockerfile. */
export async function pipesWithImages(repoRoot: string): Promise<string[]> {
  const entries = await readdir(path.join(repoRoot, "pipes"), { withFileTypes: true });
  return entries
    .filter(
      (entry) => entry.isDirectory() && existsSync(path.join(repoRoot, "pipes", entry.name, "Dockerfile")),
    )
    .map((entry) => entry.name)
    .sort();
}

async function benchOne(name: string, log: (line: string) => void): Promise<PipeImageFigures> {
  const pipe = await localPipe(name);
  const image = `${pipe.image}:${pipe.version}`;
  const figures: PipeImageFigures = { pipe: name, image, runs: [] };
  try {
    const started = performance.now();
    await buildLocalImage(pipe, () => undefined);
    figures.buildMs = performance.now() - started;
    const inspected = (await docker().getImage(image).inspect()) as { Size: number };
    figures.sizeMB = inspected.Size / 1e6;
    const cloneDir = await mkdtemp(path.join(tmpdir(), "bench-clone-"));
    try {
      for (let i = 0; i < START_RUNS; i += 1) {
        const run = await runPipeContainer({
          image,
          pipe: `bitbucket-pipes/${name}`,
          cloneDir,
          env: { ...INVALID_VARIABLE, NO_COLOR: "1" },
          timeoutMs: 120_000,
        });
        figures.runs.push({ firstLineMs: run.firstOutputMs, exitMs: run.durationMs, exitCode: run.exitCode });
        log(
          `  ${name} run ${i + 1}/${START_RUNS}: first line ${run.firstOutputMs ?? "-"} ms, exit ${run.exitCode} after ${run.durationMs} ms`,
        );
      }
    } finally {
      await rm(cloneDir, { recursive: true, force: true });
    }
    const firsts = figures.runs.flatMap((run) => (run.firstLineMs === undefined ? [] : [run.firstLineMs]));
    if (firsts.length > 0) figures.firstLineMs = median(firsts);
    figures.exitMs = median(figures.runs.map((run) => run.exitMs));
    if (figures.runs.some((run) => run.exitCode !== 2))
      figures.error = `expected exit 2 (invalid DEBUG), got ${figures.runs.map((r) => r.exitCode).join(", ")}: the figures include more than start-up`;
  } catch (error) {
    figures.error = error instanceof Error ? error.message : String(error);
  }
  return figures;
}

/** Figures for every pipe image; builds each from its current dist/ first. */
export async function benchPipeImages(
  repoRoot: string,
  log: (line: string) => void,
): Promise<PipeImageFigures[]> {
  const results: PipeImageFigures[] = [];
  for (const name of await pipesWithImages(repoRoot)) {
    log(`  ${name}: building the image from pipes/${name}/dist (as npx pipes build ${name})`);
    results.push(await benchOne(name, log));
  }
  return results;
}
