/**
 * cost-guard on a large Infracost diff: the real breakdown-comment.json's five projects repeated to
 * PROJECTS projects (names numbered, every figure as Infracost wrote it), with budgets, tenant keys
 * and a shared-cost rule; the pipe's bundle run as a child process (wall time, peak RSS).
 *
 *   await benchCostGuard({ repoRoot, fixturesDir: "<repo>/../shared/fixtures", workDir, log })
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { measureProcess, type ProcessUsage } from "./process-usage.ts";

export const PROJECTS = 2000;

export interface CostGuardBenchOptions {
  repoRoot: string;
  fixturesDir: string;
  workDir: string;
  log: (line: string) => void;
}

export interface CostGuardFigures extends ProcessUsage {
  projects: number;
  resources: number;
  inputMB: number;
}

const CONFIG = `environments:
  dev: ["*dev*"]
  prod: ["*prod*"]
budgets:
  - { name: prod ceiling, scope: { environment: prod }, monthly: 1000000, action: fail }
  - { name: dev increase, scope: { environment: dev }, increase: { absolute: 100, percent: 10 }, action: warn }
tenants:
  keys: { aws: team }
  shared:
    - { resources: ["aws_lambda_function.*"], split: proportional }
`;

export async function benchCostGuard(options: CostGuardBenchOptions): Promise<CostGuardFigures> {
  const cloneDir = path.join(options.workDir, "cost-guard-repo");
  await mkdir(cloneDir, { recursive: true });
  const source = JSON.parse(
    await readFile(path.join(options.fixturesDir, "infracost/breakdown-comment.json"), "utf8"),
  );
  const projects = Array.from({ length: PROJECTS }, (_, i) => {
    const project = source.projects[i % source.projects.length];
    return { ...project, name: `${project.name} #${i}` };
  });
  const input = JSON.stringify({ ...source, projects });
  await writeFile(path.join(cloneDir, "infracost.json"), input);
  await writeFile(path.join(cloneDir, ".cost-guard.yml"), CONFIG);
  const resources = projects.reduce((n, p) => n + p.breakdown.resources.length, 0);
  options.log(
    `  cost-guard input: ${PROJECTS} projects, ${resources} resources (${(input.length / 1e6).toFixed(1)} MB)`,
  );
  const usage = await measureProcess(
    process.execPath,
    [path.join(options.repoRoot, "pipes/cost-guard/dist/main.js")],
    {
      cwd: cloneDir,
      env: { ...process.env, INFRACOST_FILE: "infracost.json", NO_COLOR: "1", BITBUCKET_CLONE_DIR: cloneDir },
      timeoutMs: 120_000,
    },
  );
  options.log(`  cost-guard: ${usage.wallMs} ms, ${usage.peakRssMiB} MiB peak, exit ${usage.exitCode}`);
  return { ...usage, projects: PROJECTS, resources, inputMB: Number((input.length / 1e6).toFixed(1)) };
}
