/**
 * Input files → the documents OPA evaluates, parsed by kind:
 * - Terraform plan JSON (`terraform show -json`), checked for the plan's shape;
 * - Terraform/HCL (.tf, .tfvars, .hcl): parsed by Conftest's own HCL 2 parser (`conftest parse`),
 *   so a Conftest policy sees exactly the document it sees under Conftest;
 * - YAML (every document of a multi-document file; Kubernetes manifests among them), JSON, and
 *   other formats Conftest parses (INI, TOML, Dockerfile, ...), through `conftest parse`;
 * - Infracost JSON (`infracost breakdown --format json`).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { InputError, type Logger, runTool } from "@pipes/core";
import { parseAllDocuments } from "yaml";
import type { InputFile, InputKind } from "../evaluation.ts";

export const CONFTEST_VERSION = "0.71.1";

const HCL_EXTENSIONS = new Set([".tf", ".tfvars", ".hcl"]);
const YAML_EXTENSIONS = new Set([".yaml", ".yml"]);

export interface InputSelection {
  plans: string[];
  configs: string[];
  infracost: string[];
}

export async function loadInputs(
  selection: InputSelection,
  cloneDir: string,
  log: Logger,
  timeoutMs: number,
): Promise<InputFile[]> {
  const files: InputFile[] = [];
  for (const file of selection.plans)
    files.push({ path: file, kind: "plan", documents: [await planDocument(cloneDir, file)] });
  const viaConftest: string[] = [];
  for (const file of selection.configs) {
    const extension = path.extname(file).toLowerCase();
    if (YAML_EXTENSIONS.has(extension)) files.push(await yamlFile(cloneDir, file));
    else if (extension === ".json")
      files.push({
        path: file,
        kind: "config",
        documents: [await jsonDocument(cloneDir, file, "CONFIG_FILES")],
      });
    else viaConftest.push(file);
  }
  if (viaConftest.length > 0) files.push(...(await conftestParsed(viaConftest, cloneDir, log, timeoutMs)));
  for (const file of selection.infracost) {
    const document = await jsonDocument(cloneDir, file, "INFRACOST_FILES");
    if (!isRecord(document) || !Array.isArray(document.projects))
      throw new InputError(`INFRACOST_FILES: ${file} is not Infracost JSON (no "projects" list)`, {
        suggestion:
          "Pass the output of `infracost breakdown --format json` (or `infracost diff --format json`).",
      });
    files.push({ path: file, kind: "infracost", documents: [document] });
  }
  return files;
}

async function planDocument(cloneDir: string, file: string): Promise<unknown> {
  const document = await jsonDocument(cloneDir, file, "PLAN_FILES");
  if (
    !isRecord(document) ||
    typeof document.format_version !== "string" ||
    !("planned_values" in document || "resource_changes" in document)
  )
    throw new InputError(
      `PLAN_FILES: ${file} is not a Terraform plan in JSON (no format_version with planned_values or resource_changes)`,
      {
        suggestion: "Write it with `terraform show -json plan.tfplan > plan.json` (or `tofu show -json`).",
      },
    );
  return document;
}

async function jsonDocument(cloneDir: string, file: string, variable: string): Promise<unknown> {
  const text = await readText(cloneDir, file, variable);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${variable}: ${file} is not valid JSON (${(error as Error).message})`);
  }
}

async function yamlFile(cloneDir: string, file: string): Promise<InputFile> {
  const text = await readText(cloneDir, file, "CONFIG_FILES");
  const documents: unknown[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0)
      throw new InputError(`CONFIG_FILES: ${file} is not valid YAML: ${document.errors[0]?.message ?? ""}`);
    const value: unknown = document.toJS();
    // Conftest skips empty documents (a trailing `---`).
    if (value !== null && value !== undefined) documents.push(value);
  }
  const kubernetes =
    documents.length > 0 &&
    documents.every((d) => isRecord(d) && typeof d.apiVersion === "string" && typeof d.kind === "string");
  return { path: file, kind: kubernetes ? "kubernetes" : "config", documents };
}

/** `conftest parse --combine` prints `[{"path": ..., "contents": ...}]` for all files at once. */
async function conftestParsed(
  files: readonly string[],
  cloneDir: string,
  log: Logger,
  timeoutMs: number,
): Promise<InputFile[]> {
  const run = await runTool(
    {
      tool: "conftest",
      expectedVersion: CONFTEST_VERSION,
      args: ["parse", "--combine", ...files],
      cwd: cloneDir,
      timeoutMs,
      okExitCodes: [0, 1],
    },
    log,
  );
  if (run.exitCode !== 0)
    throw new InputError(
      `CONFIG_FILES: conftest could not parse ${files.join(", ")}: ${(run.stderr || run.stdout).trim().split("\n").slice(-3).join(" ")}`,
      {
        suggestion: "Check the file's syntax (for Terraform: `terraform validate`).",
      },
    );
  const parsed = JSON.parse(run.stdout) as { path: string; contents: unknown }[];
  const byPath = new Map(parsed.map((entry) => [entry.path, entry.contents]));
  return files.map((file) => {
    const contents = byPath.get(file);
    const kind: InputKind = HCL_EXTENSIONS.has(path.extname(file).toLowerCase()) ? "terraform" : "config";
    return {
      path: file,
      kind,
      documents: Array.isArray(contents) && kind === "config" ? contents : [contents],
    };
  });
}

async function readText(cloneDir: string, file: string, variable: string): Promise<string> {
  try {
    return await readFile(path.resolve(cloneDir, file), "utf8");
  } catch (error) {
    throw new InputError(
      `${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
