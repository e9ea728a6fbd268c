/**
 * policy-gate: 100 policies over a 5,000-resource plan made by a real terraform run, beside conftest
 * on the same plan and the same policies, in the same run. The policies are the built-in library
 * (27) and generated Conftest-style ones (required tag keys and allowed values per resource type)
 * up to 100; both tools load the same folder.
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { measureProcess, type ProcessUsage } from "./process-usage.ts";
import { planConfiguration } from "./terraform-plan.ts";

const run = promisify(execFile);
const TYPES = ["aws_instance", "aws_s3_bucket", "aws_db_instance", "aws_security_group", "aws_ebs_volume"];

export interface PolicyGateFigures {
  resources: number;
  policies: number;
  policyGate: ProcessUsage & { violations: number };
  conftest: ProcessUsage;
}

function configuration(resources: number): string {
  return `terraform {
  backend "local" {}
}

locals {
  types = ${JSON.stringify(TYPES)}
}

resource "terraform_data" "r" {
  count = ${resources}
  input = {
    resource_type     = local.types[count.index % ${TYPES.length}]
    name              = "acme-production-\${count.index}"
    region            = count.index % 10 == 0 ? "us-west-2" : "eu-west-1"
    encrypted         = count.index % 7 != 0
    storage_encrypted = count.index % 7 != 0
    instance_type     = count.index % 50 == 0 ? "m5.24xlarge" : "t3.micro"
    tags              = { environment = "production", owner = "platform", team = "team-\${count.index % 13}" }
  }
}
`;
}

/** A Conftest-style policy of its own package: a tag key required on one resource type. */
function generatedPolicy(index: number): string {
  const type = TYPES[index % TYPES.length];
  const key = index % 3 === 0 ? `cost-center-${index}` : "team";
  return `package bench.p${index}

deny contains msg if {
	some rc in input.resource_changes
	rc.type == "terraform_data"
	rc.change.after.input.resource_type == "${type}"
	not rc.change.after.input.tags["${key}"]
	msg := sprintf("%s (${type}) has no tag ${key}", [rc.address])
}
`;
}

export async function benchPolicyGate(options: {
  repoRoot: string;
  resources?: number;
  policies?: number;
}): Promise<PolicyGateFigures> {
  const resources = options.resources ?? 5_000;
  const total = options.policies ?? 100;
  const dir = await mkdtemp(path.join(tmpdir(), "bench-policy-gate-"));
  try {
    const { module, env, planFile } = await planConfiguration({
      dir,
      folder: "repo",
      configuration: configuration(resources),
    });
    const { stdout } = await run("terraform", ["show", "-json", planFile], {
      cwd: module,
      env,
      maxBuffer: 1024 * 1024 * 1024,
    });
    await writeFile(path.join(module, "plan.json"), stdout);

    // One folder of policies for both: the built-in library and generated ones.
    const policies = path.join(module, "policy");
    await cp(path.join(options.repoRoot, "pipes/policy-gate/policies"), policies, { recursive: true });
    const builtIn = 27;
    for (let i = 0; i < total - builtIn; i += 1)
      await writeFile(path.join(policies, `p${i}.rego`), generatedPolicy(i));

    const storage = path.join(dir, "storage");
    const policyGate = await measureProcess(
      process.execPath,
      [path.join(options.repoRoot, "pipes/policy-gate/dist/main.js")],
      {
        cwd: module,
        env: {
          ...process.env,
          BITBUCKET_CLONE_DIR: module,
          BITBUCKET_PIPE_STORAGE_DIR: path.join(storage, "own"),
          BITBUCKET_PIPE_SHARED_STORAGE_DIR: path.join(storage, "shared"),
          PLAN_FILES_COUNT: "1",
          PLAN_FILES_0: "plan.json",
          POLICY_PATHS_COUNT: "1",
          POLICY_PATHS_0: "policy",
          BUILT_IN_POLICIES: "false",
          REPORTS_DIR: path.join(dir, "reports"),
          NO_COLOR: "1",
        },
        timeoutMs: 600_000,
      },
    );
    const conftest = await measureProcess(
      "conftest",
      ["test", "--all-namespaces", "--no-color", "--output", "json", "--policy", "policy", "plan.json"],
      { cwd: module, env: process.env, timeoutMs: 600_000 },
    );
    const violations = Number(
      /FAIL: (\d+) hard-mandatory violations/.exec(policyGate.outputTail)?.[1] ?? Number.NaN,
    );
    return {
      resources,
      policies: total,
      policyGate: { ...policyGate, violations },
      conftest,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const f = await benchPolicyGate({ repoRoot: path.resolve(import.meta.dirname, "../..") });
  const row = (name: string, u: ProcessUsage) =>
    `${name.padEnd(14)} ${(u.wallMs / 1000).toFixed(2).padStart(7)} s ${u.peakRssMiB.toFixed(0).padStart(6)} MiB exit ${u.exitCode}`;
  console.log(`${f.policies} policies over ${f.resources} resources`);
  console.log(row("policy-gate", f.policyGate), `${f.policyGate.violations} violations`);
  console.log(row("conftest", f.conftest));
}
