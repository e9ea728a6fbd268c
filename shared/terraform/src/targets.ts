/**
 * Which Terraform targets a pipeline run plans: a config file in the repository maps branch, tag
 * and pull-request destination patterns (globs) to targets, each one cloud, one environment, one
 * root module. Without a file, the default map: `main` → aws/production, `release/*` →
 * aws/staging, every other branch → azure/dev and gcp/dev. Pure: the caller reads the file.
 */
import { InputError } from "@pipes/core";
import picomatch from "picomatch";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

export const PROVIDERS = ["aws", "azure", "gcp"] as const;
export type CloudProvider = (typeof PROVIDERS)[number];

/** How a target authenticates; each field may also come from the pipe's variables. */
const authSchema = z
  .object({
    /** AWS: role assumed with the step's OIDC token. */
    role_arn: z.string().min(1).optional(),
    region: z.string().min(1).optional(),
    session_name: z.string().min(1).optional(),
    /** Azure: app registration (or managed identity) with a federated credential. */
    client_id: z.string().min(1).optional(),
    tenant_id: z.string().min(1).optional(),
    subscription_id: z.string().min(1).optional(),
    /** GCP: projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>. */
    workload_identity_provider: z.string().min(1).optional(),
    service_account: z.string().min(1).optional(),
    project_id: z.string().min(1).optional(),
  })
  .strict();

const stringList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const listOf = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : typeof value === "string" ? [value] : value;

const targetSchema = z
  .object({
    provider: z.enum(PROVIDERS),
    environment: z.string().min(1),
    /** The root module, relative to the repository. */
    directory: z.string().min(1),
    workspace: z.string().min(1).default("default"),
    var_files: z.array(z.string().min(1)).default([]),
    /** `-backend-config`: key = value pairs, or files (relative to the directory). */
    backend_config: z
      .union([z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])), z.array(z.string())])
      .default({}),
    auth: authSchema.default({}),
  })
  .strict();

const ruleSchema = z
  .object({
    branches: stringList.optional(),
    tags: stringList.optional(),
    pr_destinations: stringList.optional(),
    targets: z.array(z.string().min(1)).min(1),
  })
  .strict()
  .refine((rule) => rule.branches ?? rule.tags ?? rule.pr_destinations, {
    message: "a rule needs branches, tags or pr_destinations",
  });

export const targetsConfigSchema = z
  .object({
    targets: z.record(
      z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and -"),
      targetSchema,
    ),
    rules: z.array(ruleSchema).min(1),
  })
  .strict();
export type TargetsConfig = z.output<typeof targetsConfigSchema>;

export type TargetAuth = z.output<typeof authSchema>;

export interface Target {
  name: string;
  provider: CloudProvider;
  environment: string;
  directory: string;
  workspace: string;
  varFiles: string[];
  /** Each becomes one `-backend-config=<item>`: `key=value` or a file. */
  backendConfig: string[];
  auth: TargetAuth;
}

/** What a run is for: the Bitbucket context's branch, tag and PR destination. */
export interface RunRef {
  branch?: string | undefined;
  tag?: string | undefined;
  prDestinationBranch?: string | undefined;
}

export interface TargetSelection {
  targets: Target[];
  /** The rule that chose them, as a person reads it: `branches main`. */
  rule: string;
  /** Where the map came from: the file, or "the default map". */
  source: string;
}

/** The issue's default: production from main, staging from release branches, dev elsewhere. */
export const DEFAULT_TARGETS_CONFIG: TargetsConfig = targetsConfigSchema.parse({
  targets: {
    "aws-production": {
      provider: "aws",
      environment: "production",
      directory: "live/aws",
      workspace: "production",
    },
    "aws-staging": { provider: "aws", environment: "staging", directory: "live/aws", workspace: "staging" },
    "azure-dev": { provider: "azure", environment: "dev", directory: "live/azure", workspace: "dev" },
    "gcp-dev": { provider: "gcp", environment: "dev", directory: "live/gcp", workspace: "dev" },
  },
  rules: [
    { branches: "main", targets: ["aws-production"] },
    { branches: "release/*", targets: ["aws-staging"] },
    { branches: "**", targets: ["azure-dev", "gcp-dev"] },
  ],
});

function issuesText(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "(top level)"}: ${issue.message}`)
    .join("; ");
}

/** Reads YAML text; `file` names it in the error. */
export function parseYamlFile(text: string, file: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new InputError(
      `${file} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
      {
        code: "TARGETS_CONFIG",
      },
    );
  }
}

/**
 * Parses the text of a targets file; `file` names it in errors. `otherKeys` are top-level keys the
 * calling pipe reads itself (its own settings in the same file): they are left out, not refused.
 */
export function parseTargetsConfig(
  text: string,
  file: string,
  otherKeys: readonly string[] = [],
): TargetsConfig {
  const raw = parseYamlFile(text, file);
  const own =
    raw !== null && typeof raw === "object" && !Array.isArray(raw)
      ? Object.fromEntries(Object.entries(raw).filter(([key]) => !otherKeys.includes(key)))
      : raw;
  const parsed = targetsConfigSchema.safeParse(own);
  if (!parsed.success)
    throw new InputError(`${file} is not a valid targets file: ${issuesText(parsed.error)}`, {
      code: "TARGETS_CONFIG",
      suggestion:
        "It needs `targets:` (name → provider, environment, directory, ...) and `rules:` (branches/tags/pr_destinations → target names).",
    });
  for (const [index, rule] of parsed.data.rules.entries())
    for (const name of rule.targets)
      if (!(name in parsed.data.targets))
        throw new InputError(
          `${file}: rules.${index} names target "${name}", which is not under targets: (${Object.keys(parsed.data.targets).join(", ")})`,
          { code: "TARGETS_CONFIG" },
        );
  return parsed.data;
}

function ruleText(rule: TargetsConfig["rules"][number]): string {
  const parts = [
    rule.branches && `branches ${listOf(rule.branches).join(", ")}`,
    rule.tags && `tags ${listOf(rule.tags).join(", ")}`,
    rule.pr_destinations && `PR destinations ${listOf(rule.pr_destinations).join(", ")}`,
  ].filter(Boolean);
  return parts.join(" and ");
}

function matches(patterns: string | string[] | undefined, value: string | undefined): boolean {
  if (patterns === undefined) return true;
  if (value === undefined) return false;
  return picomatch.isMatch(value, listOf(patterns), { dot: true });
}

function toTarget(name: string, target: TargetsConfig["targets"][string]): Target {
  const backend = target.backend_config;
  return {
    name,
    provider: target.provider,
    environment: target.environment,
    directory: target.directory,
    workspace: target.workspace,
    varFiles: target.var_files,
    backendConfig: Array.isArray(backend)
      ? backend
      : Object.entries(backend).map(([key, value]) => `${key}=${String(value)}`),
    auth: target.auth,
  };
}

/**
 * The targets of the first rule whose every kind of pattern given matches the run (a rule with
 * `branches` and `pr_destinations` needs both). `only` narrows them to named targets (a variable).
 * No rule matching is an error that lists every pattern.
 */
export function selectTargets(
  config: TargetsConfig,
  ref: RunRef,
  options: { source?: string; only?: readonly string[] } = {},
): TargetSelection {
  const source = options.source ?? "the default map";
  const rule = config.rules.find(
    (r) =>
      matches(r.branches, ref.branch) &&
      matches(r.tags, ref.tag) &&
      matches(r.pr_destinations, ref.prDestinationBranch),
  );
  if (!rule) {
    const what = [
      ref.branch && `branch "${ref.branch}"`,
      ref.tag && `tag "${ref.tag}"`,
      ref.prDestinationBranch && `PR destination "${ref.prDestinationBranch}"`,
    ]
      .filter(Boolean)
      .join(", ");
    throw new InputError(
      `no rule of ${source} matches ${what || "this run (no branch, tag or PR destination)"}; the rules are: ${config.rules.map((r) => `[${ruleText(r)}]`).join(", ")}`,
      { code: "NO_TARGETS", suggestion: "Add a rule for it, or run the pipe on a branch a rule covers." },
    );
  }
  let names = rule.targets;
  if (options.only && options.only.length > 0) {
    const unknown = options.only.filter((name) => !(name in config.targets));
    if (unknown.length > 0)
      throw new InputError(
        `TARGETS names ${unknown.map((n) => `"${n}"`).join(", ")}, not in ${source} (${Object.keys(config.targets).join(", ")})`,
      );
    names = names.filter((name) => options.only?.includes(name));
    if (names.length === 0)
      throw new InputError(
        `TARGETS (${options.only.join(", ")}) leaves none of the targets of [${ruleText(rule)}] (${rule.targets.join(", ")})`,
      );
  }
  return {
    targets: names.map((name) => toTarget(name, config.targets[name] as TargetsConfig["targets"][string])),
    rule: ruleText(rule),
    source,
  };
}
