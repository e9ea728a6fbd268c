/**
 * multicloud-plan's plan analysis at 10,000 resources, beside `terraform show -json` of the same plan
 * in the same run. The plan is made by a real terraform run of a generated configuration (one
 * `terraform_data` with `count`, each carrying tags, a region and a sensitive value, as the example
 * layers do); both subjects are measured from outside as child processes (wall time, peak RSS).
 *
 *   import { benchMulticloudPlan } from "./multicloud-plan.ts";
 *   const figures = await benchMulticloudPlan({ repoRoot, resources: 10_000 });
 *
 * Needs terraform on PATH (eval "$(bash docker/go-tools.sh --env)").
 */
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { measureProcess, type ProcessUsage } from "./process-usage.ts";
import { planConfiguration } from "./terraform-plan.ts";

export interface MulticloudPlanBenchOptions {
  repoRoot: string;
  resources?: number;
  terraform?: string;
}

export interface MulticloudPlanFigures {
  resources: number;
  planJsonMiB: number;
  /** `terraform plan -out` of the generated configuration (not a subject, for scale). */
  planMs: number;
  showJson: ProcessUsage;
  analysis: ProcessUsage;
  /** What the analysis counted: must equal `resources` creates. */
  counted: number;
}

function configuration(resources: number): string {
  return `terraform {
  backend "local" {}
}

locals {
  secret = sensitive(sha256("bench"))
}

resource "terraform_data" "node" {
  count = ${resources}
  input = {
    resource_type = "aws_instance"
    name          = "acme-production-node-\${count.index}"
    region        = "eu-west-1"
    password      = local.secret
    tags          = { environment = "production", owner = "platform", "cost-center" = "cc-1042", index = tostring(count.index) }
  }
}
`;
}

export async function benchMulticloudPlan(
  options: MulticloudPlanBenchOptions,
): Promise<MulticloudPlanFigures> {
  const resources = options.resources ?? 10_000;
  const terraform = options.terraform ?? "terraform";
  const dir = await mkdtemp(path.join(tmpdir(), "bench-multicloud-plan-"));
  try {
    const { module, env, planFile, planMs } = await planConfiguration({
      dir,
      folder: "module",
      configuration: configuration(resources),
      terraform,
    });

    // terraform show -json, its output to a file as the pipe does (the pipe captures it, then writes).
    const planJson = path.join(dir, "plan.json");
    const showJson = await measureProcess(
      "sh",
      ["-c", `"${terraform}" show -json "${planFile}" > "${planJson}"`],
      { cwd: module, env, timeoutMs: 600_000 },
    );
    if (showJson.exitCode !== 0) throw new Error(`terraform show -json failed: ${showJson.outputTail}`);

    // The pipe's analysis: readPlanFile (parse and check) + analyzePlan, in a Node process of its own.
    const script = path.join(dir, "analyze.mjs");
    const entry = pathToFileURL(path.join(options.repoRoot, "shared/terraform/src/index.ts")).href;
    await writeFile(
      script,
      `import { createHash } from "node:crypto";
import { analyzePlan, readPlanFile } from ${JSON.stringify(entry)};
const analysis = analyzePlan(await readPlanFile(process.argv[2]));
const secret = createHash("sha256").update("bench").digest("hex");
if (JSON.stringify(analysis.changes).includes(secret)) throw new Error("the sensitive value is shown");
console.log(JSON.stringify({ counted: analysis.counts.create }));
`,
    );
    const analysis = await measureProcess(process.execPath, [script, planJson], {
      cwd: options.repoRoot,
      env: process.env,
      timeoutMs: 600_000,
    });
    if (analysis.exitCode !== 0) throw new Error(`plan analysis failed: ${analysis.outputTail}`);
    const counted = Number(/"counted":(\d+)/.exec(analysis.outputTail)?.[1] ?? Number.NaN);
    if (counted !== resources) throw new Error(`the analysis counted ${counted} creates, not ${resources}`);
    return {
      resources,
      planJsonMiB: (await stat(planJson)).size / 1024 / 1024,
      planMs,
      showJson,
      analysis,
      counted,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// `node test/bench/multicloud-plan.ts [resources]` prints the figures.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const figures = await benchMulticloudPlan({
    repoRoot: path.resolve(import.meta.dirname, "../.."),
    resources: Number(process.argv[2] ?? 10_000),
  });
  const row = (name: string, u: ProcessUsage) =>
    `${name.padEnd(36)} ${(u.wallMs / 1000).toFixed(2).padStart(7)} s ${u.peakRssMiB.toFixed(0).padStart(6)} MiB`;
  console.log(
    `${figures.resources} resources, plan JSON ${figures.planJsonMiB.toFixed(1)} MiB, plan ${(figures.planMs / 1000).toFixed(1)} s`,
  );
  console.log(row("terraform show -json", figures.showJson));
  console.log(row("analysis (readPlanFile+analyzePlan)", figures.analysis));
}
