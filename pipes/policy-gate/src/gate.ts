/**
 * One run of the gate, from variables to a decision: inputs and policies resolved, the
 * repository's own policy tests run (POLICY_TEST), one OPA evaluation over every document, the
 * violations located in the Terraform source and judged.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type BitbucketContext, InputError, type Logger } from "@pipes/core";
import { buildCatalog } from "./catalog.ts";
import { complianceCoverage, type FrameworkCoverage } from "./compliance.ts";
import { loadConfig } from "./config.ts";
import { decide, type GateDecision } from "./decision.ts";
import { interpretResults, queriesFor } from "./evaluation.ts";
import type { Framework, Policy } from "./findings.ts";
import { loadInputs } from "./inputs/documents.ts";
import { matchFiles } from "./inputs/files.ts";
import { indexTerraformSources, locate } from "./locations.ts";
import { evaluateWithOpa } from "./opa/binary.ts";
import { runPolicyTests } from "./opa/policy-test.ts";
import { resolveSources } from "./sources.ts";
import type { Variables } from "./variables.ts";

export interface GateRun {
  decision: GateDecision;
  policies: Policy[];
  inputs: string[];
  coverage: FrameworkCoverage[];
  engine: Variables["ENGINE"];
  evaluationMs: number;
}

/** The plan JSONs multicloud-plan left for later pipes: `<shared>/multicloud-plan/<target>/plan.json`. */
async function sharedPlans(context: BitbucketContext): Promise<string[]> {
  const dir = path.join(context.pipeSharedStorageDir, "multicloud-plan");
  if (!existsSync(dir)) return [];
  const targets = await readdir(dir, { withFileTypes: true });
  return targets
    .filter((t) => t.isDirectory() && existsSync(path.join(dir, t.name, "plan.json")))
    .map((t) => path.join(dir, t.name, "plan.json"))
    .sort();
}

export async function runGate(
  vars: Variables,
  context: BitbucketContext,
  log: Logger,
  now: Date,
): Promise<GateRun> {
  const cloneDir = context.cloneDir;
  const config = await loadConfig(cloneDir, vars.CONFIG_FILE);
  const plans = vars.PLAN_FILES
    ? await matchFiles("PLAN_FILES", vars.PLAN_FILES, cloneDir)
    : await sharedPlans(context);
  const configs = await matchFiles("CONFIG_FILES", vars.CONFIG_FILES, cloneDir);
  const infracost = await matchFiles("INFRACOST_FILES", vars.INFRACOST_FILES, cloneDir);
  if (plans.length + configs.length + infracost.length === 0)
    throw new InputError(
      "nothing to judge: set PLAN_FILES, CONFIG_FILES or INFRACOST_FILES, or run multicloud-plan earlier in the step",
    );
  if (!vars.BUILT_IN_POLICIES && vars.POLICY_PATHS.length === 0 && vars.POLICY_BUNDLES.length === 0)
    throw new InputError(
      "no policies: BUILT_IN_POLICIES is false and POLICY_PATHS and POLICY_BUNDLES are empty",
    );

  const scratch = await mkdtemp(path.join(tmpdir(), "policy-gate-"));
  try {
    const sources = await resolveSources({
      cloneDir,
      builtIn: vars.BUILT_IN_POLICIES,
      paths: vars.POLICY_PATHS,
      bundles: vars.POLICY_BUNDLES,
      verificationKey: vars.BUNDLE_VERIFICATION_KEY,
      parameters: config.parameters,
      scratch,
      log,
    });
    if (vars.POLICY_TEST) await runPolicyTests(sources.repositoryPaths, vars.TIMEOUT, log);
    const policies = buildCatalog(sources.modules, vars.NAMESPACES);
    if (policies.length === 0)
      throw new InputError(
        `no deny, violation or warn rules found in the policies${vars.NAMESPACES ? ` of namespaces ${vars.NAMESPACES.join(", ")}` : ""}`,
      );
    const exceptionNamespaces = [
      ...new Set(
        sources.modules
          .filter((m) => m.module.hasException)
          .map((m) => m.module.namespace)
          .filter((ns) => !vars.NAMESPACES || vars.NAMESPACES.includes(ns)),
      ),
    ];
    const files = await loadInputs({ plans, configs, infracost }, cloneDir, log, vars.TIMEOUT);
    const documents = files.flatMap((f) => f.documents);
    const queries = queriesFor(policies, exceptionNamespaces);
    // The Wasm SDK is loaded only when asked for: the default run never pays for it.
    const evaluate =
      vars.ENGINE === "wasm" ? (await import("./opa/wasm.ts")).evaluateWithWasm : evaluateWithOpa;
    const evaluation = await evaluate(sources.load, queries, documents, {
      scratchDir: scratch,
      timeoutMs: vars.TIMEOUT,
      log,
    });
    const outcome = interpretResults(policies, exceptionNamespaces, files, evaluation.results);
    const index = await indexTerraformSources(cloneDir, vars.TERRAFORM_DIR);
    for (const violation of outcome.violations) {
      const location = locate(index, violation.resource);
      if (location) violation.location = location;
    }
    const decision = decide({
      policies,
      violations: outcome.violations,
      conftestExceptions: outcome.exceptions,
      config,
      approvedBy: vars.APPROVED_BY,
      now,
    });
    decision.warnings.unshift(...outcome.warnings);
    return {
      decision,
      policies,
      inputs: files.map((f) => f.path),
      coverage: complianceCoverage(vars.COMPLIANCE_FRAMEWORKS as Framework[], policies, decision.violations),
      engine: vars.ENGINE,
      evaluationMs: evaluation.durationMs,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
