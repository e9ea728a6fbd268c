/**
 * Real terraform and tofu on the example layers: plan, analysis of the saved plan, apply of exactly
 * that plan, a stale plan refused, targets side by side, and tofu's S3 backend on moto's server.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { Logger, PipeError } from "@pipes/core";
import { type Moto, startMoto } from "@pipes/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzePlan, readPlanFile } from "../src/plan.ts";
import {
  applySavedPlan,
  type Binary,
  inGroup,
  mapBounded,
  planTarget,
  type TargetRun,
} from "../src/runner.ts";
import { parseTargetsConfig, selectTargets, type Target } from "../src/targets.ts";

const LIVE = path.resolve(import.meta.dirname, "../../../examples/infrastructure/live");

function logger(): { log: Logger; text: () => string } {
  let text = "";
  const sink = new PassThrough();
  sink.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  return { log: new Logger({ env: { NO_COLOR: "1" }, stdout: sink, stderr: sink }), text: () => text };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "terraform-layers-"));
  await cp(LIVE, path.join(dir, "live"), { recursive: true });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function targetsFor(branch: string): Promise<Target[]> {
  const file = path.join(dir, "live", "multicloud-plan.yml");
  const config = parseTargetsConfig(await readFile(file, "utf8"), file, ["guard", "validation"]);
  return selectTargets(config, { branch }).targets;
}

function runOf(binary: Binary, target: Target, label: string, env: Record<string, string> = {}): TargetRun {
  const out = path.join(dir, "out", binary, label);
  return {
    target,
    binary,
    moduleDir: path.join(dir, "live", target.directory),
    dataDir: path.join(out, "data"),
    planFile: path.join(out, "plan.tfplan"),
    planJsonFile: path.join(out, "plan.json"),
    // Not the machine's CLI config: a fresh runner has none.
    env: { TF_CLI_CONFIG_FILE: "", ...env },
  };
}

describe.each(["terraform", "tofu"] as const)("%s on the example layers", (binary) => {
  it("plans the azure and gcp dev targets of a feature branch side by side, each log in its group", async () => {
    const { log, text } = logger();
    const targets = await targetsFor("feature/login");
    expect(targets.map((t) => t.name)).toEqual(["azure-dev", "gcp-dev"]);
    const results = await mapBounded(targets, 2, (target) =>
      inGroup(log, target.name, (own) => planTarget(runOf(binary, target, target.name), own)),
    );
    const analyses = [];
    for (const result of results) {
      expect(result.status).toBe("fulfilled");
      if (result.status === "fulfilled") {
        expect(result.value.changes).toBe(true);
        analyses.push(analyzePlan(await readPlanFile(result.value.planJsonFile)));
      }
    }
    expect(analyses.map((a) => a.counts.create)).toEqual([3, 3]);
    expect(analyses[0]?.changes.map((c) => c.after)).toContainEqual(
      expect.objectContaining({
        input: expect.objectContaining({
          resource_type: "azurerm_kubernetes_cluster",
          location: "westeurope",
        }),
      }),
    );
    // Each group holds its own target's output only.
    const output = text();
    const azure = output.slice(output.indexOf("▼ azure-dev"), output.indexOf("▲ azure-dev"));
    expect(azure).toContain("Plan: 3 to add");
    expect(azure).not.toContain("gcp-dev");
  });

  it("applies exactly the saved plan, then plans the replace and delete, and refuses a stale plan", async () => {
    const { log, text } = logger();
    const [production] = await targetsFor("main");
    if (!production) throw new Error("no production target");
    const states = path.join(dir, `${binary}-states`);
    const target = { ...production, backendConfig: [`workspace_dir=${states}`] };
    const first = runOf(binary, target, "first");
    await planTarget(first, log);
    await applySavedPlan(first, log);
    const state = JSON.parse(
      await readFile(path.join(states, "production", "terraform.tfstate"), "utf8"),
    ) as {
      resources: { name: string }[];
    };
    expect(state.resources.map((r) => r.name).sort()).toEqual(["artifacts", "cache", "database", "vpc"]);
    expect(text()).toContain("Apply complete! Resources: 4 added");

    const changesFile = path.join(dir, "live", "aws", `${binary}-change.tfvars`);
    await writeFile(changesFile, 'engine_version = "17.0"\nenable_cache = false\n');
    const change = { ...target, varFiles: [...target.varFiles, path.basename(changesFile)] };
    const second = runOf(binary, change, "second");
    const third = runOf(binary, change, "third");
    await planTarget(second, log);
    await planTarget(third, log);
    const analysis = analyzePlan(await readPlanFile(second.planJsonFile));
    expect(analysis.counts).toMatchObject({ replace: 1, delete: 1, create: 0 });
    expect(analysis.replaced[0]).toMatchObject({
      address: "terraform_data.database",
      replacePaths: ["triggers_replace"],
    });
    expect(JSON.stringify(analysis)).not.toContain(
      (
        JSON.parse(await readFile(second.planJsonFile, "utf8")) as {
          resource_changes: { change: { after: { input: { password?: string } } } }[];
        }
      ).resource_changes.find((r) => r.change.after?.input?.password)?.change.after.input.password ??
        "no password in plan",
    );

    await applySavedPlan(third, log);
    const stale = await applySavedPlan(second, log).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(PipeError);
    expect((stale as PipeError).code).toBe("PLAN_STALE");
  });
});

describe("tofu with the S3 backend on moto", () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
    // moto takes unsigned requests: a bucket for the state.
    const created = await fetch(`${moto.endpoint}/tfstate`, { method: "PUT" });
    expect(created.ok).toBe(true);
  });
  afterAll(() => moto?.stop());

  it("keeps the production state in the bucket and plans nothing more after apply", async () => {
    const { log } = logger();
    const s3Layer = path.join(dir, "live", "aws-s3");
    await cp(path.join(dir, "live", "aws"), s3Layer, {
      recursive: true,
      filter: (src) => !src.includes("terraform.tfstate"),
    });
    // An override file (https://developer.hashicorp.com/terraform/language/files/override) swaps the backend.
    await writeFile(path.join(s3Layer, "backend_override.tf"), 'terraform {\n  backend "s3" {}\n}\n');
    const [production] = await targetsFor("main");
    if (!production) throw new Error("no production target");
    const target: Target = {
      ...production,
      directory: "aws-s3",
      backendConfig: [
        "bucket=tfstate",
        "key=aws/production.tfstate",
        `region=${moto.region}`,
        `endpoints={s3="${moto.endpoint}",sts="${moto.endpoint}"}`,
        "use_path_style=true",
        "skip_credentials_validation=true",
        "skip_requesting_account_id=true",
        "skip_metadata_api_check=true",
        "use_lockfile=true",
      ],
    };
    const env = { ...moto.env };
    const plan = runOf("tofu", target, "s3-first", env);
    await planTarget(plan, log);
    await applySavedPlan(plan, log);
    // Workspaces other than default live under env:/<workspace>/ in the bucket.
    const listing = await (await fetch(`${moto.endpoint}/tfstate?list-type=2`)).text();
    expect(listing).toContain("<Key>env:/production/aws/production.tfstate</Key>");
    await expect(
      readFile(path.join(s3Layer, "terraform.tfstate.d", "production", "terraform.tfstate")),
    ).rejects.toThrow();
    // A fresh data dir reads the state back from the bucket: nothing left to do.
    const again = runOf("tofu", target, "s3-second", env);
    expect((await planTarget(again, log)).changes).toBe(false);
  });
});
