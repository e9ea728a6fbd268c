/**
 * Where the policies come from: the built-in library shipped in the image (`policies/` beside the
 * bundle), folders in the repository, and OPA bundles (repository files or http(s) URLs, fetched
 * into the scratch folder). Reads every `.rego` file's conventions for the catalog; OPA itself loads
 * and verifies them (opa/binary.ts).
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { InputError, type Logger, runTool } from "@pipes/core";
import type { SourceModule } from "./catalog.ts";
import type { PolicyLoad } from "./opa/evaluator.ts";
import { scanRegoModule } from "./rego-source.ts";

export const BUILT_IN_SOURCE = "built-in";

/** The library folder: `<pipe>/policies`, beside `dist/` in the image and `src/` in a checkout. */
export function builtInPoliciesDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, "../policies"), path.resolve(here, "../../policies")];
  const found = candidates.find((dir) => existsSync(path.join(dir, "lib")));
  if (!found) throw new Error(`the built-in policy library is missing (looked in ${candidates.join(", ")})`);
  return found;
}

async function regoFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".rego"))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** The modules of a folder or file (tests included: the catalog skips them). */
export async function modulesOf(source: string, location: string): Promise<SourceModule[]> {
  const files = location.endsWith(".rego") ? [location] : await regoFiles(location);
  const modules: SourceModule[] = [];
  for (const file of files) {
    const module = scanRegoModule(await readFile(file, "utf8"));
    if (module && !module.hasTests)
      modules.push({
        source,
        file: path.relative(location.endsWith(".rego") ? path.dirname(location) : location, file),
        module,
      });
  }
  return modules;
}

/** A bundle's .rego files, listed by tar, read from a copy unpacked in the scratch folder. */
async function bundleModules(
  bundle: string,
  label: string,
  scratch: string,
  log: Logger,
): Promise<SourceModule[]> {
  const unpacked = path.join(scratch, `bundle-${path.basename(bundle).replace(/\W+/g, "_")}`);
  await mkdir(unpacked, { recursive: true });
  const run = await runTool(
    { tool: "tar", args: ["-xzf", bundle, "-C", unpacked], okExitCodes: [0, 1, 2] },
    log,
  );
  if (run.exitCode !== 0)
    throw new InputError(`POLICY_BUNDLES: ${label} is not a gzipped tar bundle (${run.stderr.trim()})`);
  return modulesOf(label, unpacked);
}

async function fetchBundle(url: string, scratch: string, index: number): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new InputError(`POLICY_BUNDLES: cannot fetch ${url} (${(error as Error).message})`);
  }
  if (!response.ok) throw new InputError(`POLICY_BUNDLES: ${url} answered HTTP ${response.status}`);
  const file = path.join(scratch, `downloaded-${index}.tar.gz`);
  await writeFile(file, Buffer.from(await response.arrayBuffer()));
  return file;
}

export interface PolicySources {
  load: PolicyLoad;
  modules: SourceModule[];
  /** Repository folders, for POLICY_TEST. */
  repositoryPaths: string[];
}

export interface SourceOptions {
  cloneDir: string;
  builtIn: boolean;
  paths: readonly string[];
  bundles: readonly string[];
  verificationKey: string | undefined;
  /** Written as data.policy_gate_parameters (the built-in library's parameters). */
  parameters: Record<string, unknown>;
  scratch: string;
  log: Logger;
}

export async function resolveSources(options: SourceOptions): Promise<PolicySources> {
  const { cloneDir, scratch, log } = options;
  const load: PolicyLoad = { paths: [], bundles: [], v0Compatible: false };
  const modules: SourceModule[] = [];
  if (options.builtIn) {
    const dir = builtInPoliciesDir();
    load.paths.push(dir);
    modules.push(...(await modulesOf(BUILT_IN_SOURCE, dir)));
  }
  const repositoryPaths: string[] = [];
  for (const item of options.paths) {
    const absolute = path.resolve(cloneDir, item);
    if (!existsSync(absolute)) throw new InputError(`POLICY_PATHS: ${item} does not exist in the repository`);
    load.paths.push(absolute);
    repositoryPaths.push(absolute);
    modules.push(...(await modulesOf(item, absolute)));
  }
  for (const [index, item] of options.bundles.entries()) {
    const file = /^https?:\/\//.test(item)
      ? await fetchBundle(item, scratch, index)
      : path.resolve(cloneDir, item);
    if (!existsSync(file)) throw new InputError(`POLICY_BUNDLES: ${item} does not exist in the repository`);
    load.bundles.push(file);
    modules.push(...(await bundleModules(file, item, scratch, log)));
  }
  if (options.verificationKey) {
    const candidate = path.resolve(cloneDir, options.verificationKey);
    let keyFile = candidate;
    if (options.verificationKey.includes("-----BEGIN") || !existsSync(candidate)) {
      if (!options.verificationKey.includes("-----BEGIN"))
        throw new InputError(
          `BUNDLE_VERIFICATION_KEY: ${options.verificationKey} is neither a file in the repository nor a PEM key`,
        );
      keyFile = path.join(scratch, "verification-key.pem");
      await writeFile(keyFile, options.verificationKey);
    }
    load.verification = { keyFile };
  }
  const parametersFile = path.join(scratch, "parameters", "data.json");
  await mkdir(path.dirname(parametersFile), { recursive: true });
  await writeFile(parametersFile, JSON.stringify({ policy_gate_parameters: options.parameters }));
  load.paths.push(parametersFile);
  return { load, modules, repositoryPaths };
}
