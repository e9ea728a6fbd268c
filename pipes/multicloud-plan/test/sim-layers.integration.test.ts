/**
 * Real terraform and real tofu on the simulation-provider layers (examples/infrastructure/live/sim,
 * providers from docker/providers through a filesystem mirror): aws, azure and gcp targets planned
 * side by side, the plan analysis per provider, the tag/label/region/naming validation and the guard
 * on what they plan, drift of a file edited behind Terraform's back, and sensitive values kept out.
 */
import { execFileSync } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { Logger } from "@pipes/core";
import {
  analyzePlan,
  applySavedPlan,
  type Binary,
  type CloudProvider,
  mapBounded,
  planTarget,
  readPlanFile,
  type Target,
  type TargetRun,
} from "@pipes/terraform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardDecision, protectedChanges } from "../src/guard.ts";
import { validatePlan } from "../src/validation.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const SIM = path.join(ROOT, "examples/infrastructure/live/sim");

// Builds the providers once (cached in $PIPES_CACHE/providers), then gives the mirror's folder.
const mirror = execFileSync("bash", [path.join(ROOT, "docker/providers/build.sh")], {
  encoding: "utf8",
}).trim();
const cliConfig = path.join(path.dirname(mirror), "terraformrc");

const rules = {
  required_tags: ["environment", "owner", "cost-center"],
  allowed_regions: { aws: ["eu-west-1"], azure: ["westeurope"], gcp: ["europe-west1", "eu"] },
  name_pattern: "^acme-(production|staging|dev)-[a-z0-9-]+$",
};

function logger(): { log: Logger; text: () => string } {
  let text = "";
  const sink = new PassThrough();
  sink.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  return { log: new Logger({ env: { NO_COLOR: "1" }, stdout: sink, stderr: sink }), text: () => text };
}

const targets: Target[] = (
  [
    ["aws-production", "aws", "production"],
    ["azure-dev", "azure", "dev"],
    ["gcp-dev", "gcp", "dev"],
  ] as const
).map(([name, provider, environment]) => ({
  name,
  provider,
  environment,
  directory: provider,
  workspace: "default",
  varFiles: [],
  backendConfig: [],
  auth: {},
}));

describe.each(["terraform", "tofu"] as const)("%s on the simulation-provider layers", (binary: Binary) => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), `mcp-sim-${binary}-`));
    await cp(SIM, path.join(dir, "sim"), { recursive: true });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  function runOf(target: Target, label: string): TargetRun {
    const out = path.join(dir, "out", target.name, label);
    return {
      target,
      binary,
      moduleDir: path.join(dir, "sim", target.directory),
      dataDir: path.join(out, "data"),
      planFile: path.join(out, "plan.tfplan"),
      planJsonFile: path.join(out, "plan.json"),
      env: { TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: "1" },
    };
  }

  it("plans three clouds side by side, finds the tag, region and naming gaps, and shows no secret", async () => {
    const { log } = logger();
    const settled = await mapBounded(targets, 3, (target) => planTarget(runOf(target, "first"), log));
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);

    const analyses = await Promise.all(
      targets.map(async (t) => analyzePlan(await readPlanFile(runOf(t, "first").planJsonFile))),
    );
    const [aws, azure, gcp] = analyses;
    expect(aws?.byProvider["pipes.local/sim/aws"]).toMatchObject({ create: 4 });
    expect(aws?.byProvider["pipes.local/sim/local"]).toMatchObject({ create: 1 });
    expect(azure?.byProvider["pipes.local/sim/azurerm"]).toMatchObject({ create: 3 });
    expect(gcp?.byProvider["pipes.local/sim/google"]).toMatchObject({ create: 3 });

    // The database password is in the plan JSON (Terraform writes it there) but not in the analysis.
    const raw = await readFile(runOf(targets[0] as Target, "first").planJsonFile, "utf8");
    expect(raw).toContain("sim-only-password-1");
    expect(JSON.stringify(aws)).not.toContain("sim-only-password-1");
    expect(JSON.stringify(azure)).not.toContain("sim-only-Passw0rd!");

    const problems = analyses.map((analysis, i) =>
      validatePlan(analysis, (targets[i] as Target).provider as CloudProvider, rules).map(
        (p) => `${p.check} ${p.address}`,
      ),
    );
    expect(problems[0]).toEqual(["tags aws_instance.web"]);
    expect(problems[1]?.sort()).toEqual([
      "naming azurerm_storage_account.logs",
      "region azurerm_storage_account.logs",
      "tags azurerm_linux_virtual_machine.worker",
    ]);
    expect(problems[2]?.sort()).toEqual([
      "region google_compute_instance.etl",
      "tags google_storage_bucket.exports",
    ]);
  });

  it("applies the saved plan; a file edited behind Terraform is drift, and replacing the database is blocked in production", async () => {
    const { log } = logger();
    const aws = targets[0] as Target;
    const first = runOf(aws, "first");
    await applySavedPlan(first, log);

    const inventory = path.join(dir, "sim", "aws", ".sim-cloud", "inventory-production.txt");
    expect(await readFile(inventory, "utf8")).toMatch(/^web i-[0-9a-f]{16}\n$/);
    await writeFile(inventory, "edited by hand\n");
    // A new engine changes nothing that forces a replacement; a new database identifier does.
    const tfvars = path.join(dir, "sim", "aws", "rename.auto.tfvars");
    await writeFile(tfvars, 'environment = "production"\nami = "ami-0fedcba987654321"\n');

    const second = runOf(aws, "second");
    await planTarget(second, log);
    const analysis = analyzePlan(await readPlanFile(second.planJsonFile));
    expect(analysis.drifted).toBe(1);
    expect(analysis.replaced.map((c) => [c.address, c.replacePaths]).sort()).toEqual([
      ["aws_instance.web", ["ami"]],
      ["local_file.inventory", ["content"]],
    ]);
    const destructive = protectedChanges(analysis, "production", {
      protected_environments: ["production"],
      protected_types: [],
    });
    expect(destructive.map((d) => d.address).sort()).toEqual(["aws_instance.web", "local_file.inventory"]);
    expect(
      guardDecision(destructive, { allowDestroy: false, approvalsNeeded: 0, approvals: undefined }).status,
    ).toBe("blocked");
    expect(
      guardDecision(destructive, { allowDestroy: true, approvalsNeeded: 0, approvals: undefined }).status,
    ).toBe("allowed");
  });
});
