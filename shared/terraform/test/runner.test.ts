import { describe, expect, it } from "vitest";
import {
  applyCommand,
  initCommand,
  mapBounded,
  planCommand,
  showJsonCommand,
  type TargetRun,
  workspaceCommand,
} from "../src/runner.ts";
import { DEFAULT_TARGETS_CONFIG, selectTargets } from "../src/targets.ts";

function run(binary: "terraform" | "tofu"): TargetRun {
  const [target] = selectTargets(DEFAULT_TARGETS_CONFIG, { branch: "main" }).targets;
  if (!target) throw new Error("no target");
  return {
    target: {
      ...target,
      varFiles: ["production.tfvars"],
      backendConfig: ["bucket=state", "key=aws/production"],
    },
    binary,
    moduleDir: "/repo/live/aws",
    dataDir: "/storage/aws-production/data",
    planFile: "/shared/aws-production/plan.tfplan",
    planJsonFile: "/shared/aws-production/plan.json",
    env: { AWS_REGION: "eu-west-1" },
  };
}

describe("terraform and tofu commands", () => {
  it.each(["terraform", "tofu"] as const)(
    "%s: init with backend config, in the module, with the target's data dir",
    (binary) => {
      const command = initCommand(run(binary));
      expect(command.tool).toBe(binary);
      expect(command.args).toEqual([
        "init",
        "-input=false",
        "-no-color",
        "-reconfigure",
        "-backend-config=bucket=state",
        "-backend-config=key=aws/production",
      ]);
      expect(command.cwd).toBe("/repo/live/aws");
      expect(command.env).toMatchObject({
        TF_DATA_DIR: "/storage/aws-production/data",
        TF_IN_AUTOMATION: "1",
        AWS_REGION: "eu-west-1",
      });
    },
  );

  it("selects or creates the workspace, plans to the saved file with var files, shows it as JSON unstreamed", () => {
    expect(workspaceCommand(run("tofu")).args).toEqual([
      "workspace",
      "select",
      "-or-create=true",
      "-no-color",
      "production",
    ]);
    const plan = planCommand(run("terraform"));
    expect(plan.args).toEqual([
      "plan",
      "-input=false",
      "-no-color",
      "-detailed-exitcode",
      "-out=/shared/aws-production/plan.tfplan",
      "-var-file=production.tfvars",
    ]);
    expect(plan.okExitCodes).toEqual([0, 2]);
    const show = showJsonCommand(run("terraform"));
    expect(show.args).toEqual(["show", "-json", "-no-color", "/shared/aws-production/plan.tfplan"]);
    expect(show.stream).toBe(false);
    expect(applyCommand(run("tofu")).args).toEqual([
      "apply",
      "-input=false",
      "-no-color",
      "/shared/aws-production/plan.tfplan",
    ]);
  });
});

describe("running targets with a bound", () => {
  it("never runs more than the bound at once, runs all even when one fails, keeps the order", async () => {
    let running = 0;
    let most = 0;
    const results = await mapBounded([1, 2, 3, 4, 5], 2, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running--;
      if (n === 2) throw new Error("two");
      return n * 10;
    });
    expect(most).toBe(2);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : "failed"))).toEqual([
      10,
      "failed",
      30,
      40,
      50,
    ]);
  });
});
