/**
 * The `opa` binary as evaluator: the entry module and all documents written to a private scratch
 * folder, then one `opa eval` over every policy path and bundle. OPA verifies bundle signatures
 * with `opa build --bundle --verification-key` first (`opa eval` has no verification flags), and a
 * bundle that does not verify stops the evaluation.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { type Logger, runTool, type ToolCommand } from "@pipes/core";
import { ENTRY_QUERY, type EntryInput, type EntryResults, entryModule, type RuleQuery } from "./entry.ts";
import type { Evaluation, PolicyLoad } from "./evaluator.ts";
import { policyError } from "./opa-errors.ts";

export const OPA_VERSION = "1.22.4";

/**
 * Unit tests are not policies: they may call Conftest's own built-ins (parse_config, ...), which
 * OPA lacks, and Conftest itself never evaluates them as policies.
 */
export const IGNORE_TESTS = ["--ignore", "*_test.rego"];

/** The flags that load policies, data and bundles, shared by `opa eval`, `opa build` and `opa test`. */
export function loadArgs(load: PolicyLoad): string[] {
  const args: string[] = [];
  for (const item of load.paths) args.push("--data", item);
  for (const bundle of load.bundles) args.push("--bundle", bundle);
  if (load.v0Compatible) args.push("--v0-compatible");
  return args;
}

export function opaEvalCommand(
  load: PolicyLoad,
  files: { entry: string; input: string },
  timeoutMs: number,
): ToolCommand {
  return {
    tool: "opa",
    expectedVersion: OPA_VERSION,
    args: [
      "eval",
      "--format",
      "json",
      ...IGNORE_TESTS,
      ...loadArgs(load),
      "--data",
      files.entry,
      "--input",
      files.input,
      ENTRY_QUERY,
    ],
    timeoutMs,
    // OPA exits 2 when the policies do not compile or an evaluation error occurs: reported below.
    okExitCodes: [0, 1, 2],
  };
}

export async function evaluateWithOpa(
  load: PolicyLoad,
  queries: readonly RuleQuery[],
  documents: readonly unknown[],
  options: { scratchDir: string; timeoutMs: number; log: Logger },
): Promise<Evaluation> {
  const entry = path.join(options.scratchDir, "policy_gate_entry.rego");
  const input = path.join(options.scratchDir, "input.json");
  await writeFile(entry, entryModule(queries));
  await writeFile(input, JSON.stringify({ documents: [...documents] } satisfies EntryInput));
  if (load.verification && load.bundles.length > 0) await verifyBundles(load, options);
  const started = performance.now();
  const run = await runTool(opaEvalCommand(load, { entry, input }, options.timeoutMs), options.log);
  const durationMs = performance.now() - started;
  if (run.exitCode !== 0) throw policyError(run.stdout || run.stderr, "OPA could not evaluate the policies");
  return { results: entryValue(run.stdout, queries.length), durationMs };
}

/** `{"result": [{"expressions": [{"value": [...]}]}]}` → the entry rule's value. */
export function entryValue(stdout: string, queries: number): EntryResults {
  const parsed = JSON.parse(stdout) as { result?: { expressions?: { value?: unknown }[] }[] };
  const value = parsed.result?.[0]?.expressions?.[0]?.value;
  if (!Array.isArray(value) || value.length !== queries)
    throw new Error(`opa eval returned no results for the entry query (${stdout.slice(0, 200)})`);
  return value as EntryResults;
}

/** Every bundle checked against the verification key by `opa build` (signature, files, scope). */
export async function verifyBundles(
  load: PolicyLoad,
  options: { scratchDir: string; timeoutMs: number; log: Logger },
): Promise<void> {
  const verification = load.verification;
  if (!verification) return;
  for (const [index, bundle] of load.bundles.entries()) {
    const args = ["build", "--bundle", bundle, "--verification-key", verification.keyFile];
    if (verification.keyId) args.push("--verification-key-id", verification.keyId);
    if (verification.algorithm) args.push("--signing-alg", verification.algorithm);
    if (verification.scope) args.push("--scope", verification.scope);
    args.push("-o", path.join(options.scratchDir, `verified-${index}.tar.gz`));
    const run = await runTool(
      {
        tool: "opa",
        expectedVersion: OPA_VERSION,
        args,
        timeoutMs: options.timeoutMs,
        okExitCodes: [0, 1, 2],
      },
      options.log,
    );
    if (run.exitCode !== 0) throw policyError(run.stderr || run.stdout, `bundle ${bundle} did not verify`);
  }
}
