/**
 * Policies compiled to WebAssembly (`opa build -t wasm -e policy_gate_entry/results`) and evaluated
 * in this process by @open-policy-agent/opa-wasm. Built-ins that OPA's Wasm target does not
 * compile are implemented by the SDK in JavaScript (sprintf, regex, yaml, ...); a policy calling
 * one that neither has fails the build, and the gate says so (use ENGINE=opa for such policies).
 * A signed bundle is verified by `opa build --bundle --verification-key` before it is compiled.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { type Logger, runTool } from "@pipes/core";
import { IGNORE_TESTS, OPA_VERSION, verifyBundles } from "./binary.ts";
import { ENTRY_POINT, type EntryInput, type EntryResults, entryModule, type RuleQuery } from "./entry.ts";
import type { Evaluation, PolicyLoad } from "./evaluator.ts";
import { policyError } from "./opa-errors.ts";

export async function evaluateWithWasm(
  load: PolicyLoad,
  queries: readonly RuleQuery[],
  documents: readonly unknown[],
  options: { scratchDir: string; timeoutMs: number; log: Logger },
): Promise<Evaluation> {
  const compiled = await compileWasm(load, queries, options);
  const started = performance.now();
  const policy = await loadPolicy(compiled.wasm);
  policy.setData(compiled.data);
  const input: EntryInput = { documents: [...documents] };
  const answer = policy.evaluate(input) as { result?: unknown }[];
  const results = answer[0]?.result;
  if (!Array.isArray(results) || results.length !== queries.length)
    throw new Error("the Wasm policy returned no results for the entry point");
  return { results: results as EntryResults, durationMs: performance.now() - started };
}

interface CompiledPolicy {
  wasm: Buffer;
  data: object;
}

async function compileWasm(
  load: PolicyLoad,
  queries: readonly RuleQuery[],
  options: { scratchDir: string; timeoutMs: number; log: Logger },
): Promise<CompiledPolicy> {
  const entry = path.join(options.scratchDir, "policy_gate_entry.rego");
  const bundle = path.join(options.scratchDir, "wasm-bundle.tar.gz");
  const unpacked = path.join(options.scratchDir, "wasm-bundle");
  await writeFile(entry, entryModule(queries));
  if (load.verification && load.bundles.length > 0) await verifyBundles(load, options);
  const v0 = load.v0Compatible ? ["--v0-compatible"] : [];
  const build = await runTool(
    {
      tool: "opa",
      expectedVersion: OPA_VERSION,
      args: [
        "build",
        "-t",
        "wasm",
        "-e",
        ENTRY_POINT,
        ...IGNORE_TESTS,
        ...v0,
        "-o",
        bundle,
        ...load.paths,
        ...load.bundles,
        entry,
      ],
      timeoutMs: options.timeoutMs,
      okExitCodes: [0, 1, 2],
    },
    options.log,
  );
  if (build.exitCode !== 0)
    throw policyError(build.stderr || build.stdout, "OPA could not compile the policies to Wasm");
  await mkdir(unpacked, { recursive: true });
  await runTool(
    { tool: "tar", args: ["-xzf", bundle, "-C", unpacked], timeoutMs: options.timeoutMs },
    options.log,
  );
  const wasm = await readFile(path.join(unpacked, "policy.wasm"));
  const data = JSON.parse(
    await readFile(path.join(unpacked, "data.json"), "utf8").catch(() => "{}"),
  ) as object;
  return { wasm, data };
}
