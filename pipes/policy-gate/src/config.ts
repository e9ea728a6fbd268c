/**
 * `.policy-gate.yml`: enforcement levels per policy, exceptions, and the built-in library's
 * parameters. Only `loadConfig` touches the disk.
 *
 *   enforcement:                      # policy id (or a glob of ids) → level
 *     AWS-REQUIRED-TAGS: soft-mandatory
 *     "GCP-*": advisory
 *   exceptions:
 *     - policy: AWS-ENCRYPTION-AT-REST
 *       resource: aws_db_instance.legacy   # optional: a resource address or glob; default: all
 *       owner: dba-team@acme.example
 *       reason: Migrated to an encrypted cluster in Q1 (TICKET-123)
 *       expires: 2027-03-31
 *   parameters:                       # data.policy_gate_parameters for the built-in library
 *     required_tags: [owner, environment, cost-center]
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { InputError } from "@pipes/core";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { ENFORCEMENT_LEVELS, type EnforcementLevel } from "./findings.ts";

export interface PolicyException {
  policy: string;
  resource?: string;
  input?: string;
  owner: string;
  reason: string;
  /** The last day it applies (UTC, inclusive). */
  expires: Date;
}

export interface GateConfig {
  enforcement: Record<string, EnforcementLevel>;
  exceptions: PolicyException[];
  parameters: Record<string, unknown>;
}

export const DEFAULT_CONFIG: GateConfig = { enforcement: {}, exceptions: [], parameters: {} };

const date = z.union([z.date(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date such as 2027-03-31")]);

const schema = z
  .object({
    enforcement: z.record(z.string(), z.enum(ENFORCEMENT_LEVELS)).default({}),
    exceptions: z
      .array(
        z
          .object({
            policy: z.string().min(1),
            resource: z.string().min(1).optional(),
            input: z.string().min(1).optional(),
            owner: z.string().min(1, "an owner is required"),
            reason: z.string().trim().min(1, "a reason is required"),
            expires: date,
          })
          .strict(),
      )
      .default([]),
    parameters: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

/** Parses the file's text; `file` names it in errors. */
export function parseConfig(text: string, file: string): GateConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    throw new InputError(`${file} is not valid YAML: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    throw new InputError(`${file}: ${issue?.message ?? "invalid"}${where}`, {
      suggestion:
        "Each exception needs policy, owner, reason and expires (YYYY-MM-DD); enforcement levels are advisory, soft-mandatory or hard-mandatory.",
    });
  }
  return {
    enforcement: parsed.data.enforcement,
    parameters: parsed.data.parameters,
    exceptions: parsed.data.exceptions.map((e) => ({
      policy: e.policy,
      ...(e.resource ? { resource: e.resource } : {}),
      ...(e.input ? { input: e.input } : {}),
      owner: e.owner,
      reason: e.reason,
      expires: e.expires instanceof Date ? e.expires : new Date(`${e.expires}T00:00:00Z`),
    })),
  };
}

export async function loadConfig(cloneDir: string, file: string): Promise<GateConfig> {
  let text: string;
  try {
    text = await readFile(path.resolve(cloneDir, file), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return DEFAULT_CONFIG;
    throw new InputError(`CONFIG_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`);
  }
  return parseConfig(text, file);
}
