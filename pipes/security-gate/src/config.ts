/**
 * The gate's policy file, `.security-gate.yml`: its schema, its loader, and how the pipe's variables
 * override it. Only `loadConfig` touches the disk; the rest is pure.
 *
 * A missing file is not an error: `DEFAULT_CONFIG` applies (fail on any CRITICAL or HIGH finding,
 * warn on any MEDIUM one). A present file replaces each top-level section it sets, so `fail_on:` in
 * the file is the whole fail policy, not a patch over the defaults.
 */
import { readFile } from "node:fs/promises";
import { InputError } from "@pipes/core";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { FRAMEWORKS, type Framework, SEVERITIES, type Severity } from "./findings.ts";
import type { Suppression } from "./gate.ts";

/** A count per severity. Fail (or warn) when the number of active findings is greater than it. */
export type SeverityThresholds = Partial<Record<Severity, number>>;

export type SignedCommitsMode = "enforce" | "warn" | "off";

export interface SignedCommitsSettings {
  mode: SignedCommitsMode;
  /** SSH allowed_signers: a path in the repository, or the content itself. */
  allowedSigners?: string;
  /** Armored GPG public keys: a path in the repository, or the keys themselves. */
  gpgPublicKeys?: string;
}

export interface OidcSettings {
  enabled: boolean;
  audience?: string;
  branchPattern?: string;
  deploymentEnvironment?: string;
}

/** Per-scanner options, passed through to the scanner adapters unchanged. */
export type ScannerOptions = Record<string, Record<string, unknown>>;

/** Rule id → controls per framework, added to the bundled mapping (see compliance.ts). */
export type ControlMappings = Record<string, Partial<Record<Framework, string[]>>>;

export interface GateConfig {
  failOn: SeverityThresholds;
  warnOn: SeverityThresholds;
  /** Gate only on findings that are not in the baseline. */
  newOnly: boolean;
  /** A committed baseline file (repository-relative), made with WRITE_BASELINE. */
  baseline?: string;
  /** Globs of repository paths whose findings are ignored. */
  excludePaths: string[];
  suppressions: Suppression[];
  compliance: {
    /** Frameworks whose failed controls fail the gate. */
    gating: Framework[];
    mappings: ControlMappings;
  };
  /** A scanner that fails to run fails the gate; with false it only warns. */
  failOnScannerError: boolean;
  scanners: ScannerOptions;
  signedCommits: SignedCommitsSettings;
  oidc: OidcSettings;
}

export const DEFAULT_CONFIG: GateConfig = {
  failOn: { CRITICAL: 0, HIGH: 0 },
  warnOn: { MEDIUM: 0 },
  newOnly: false,
  excludePaths: [],
  suppressions: [],
  compliance: { gating: [], mappings: {} },
  failOnScannerError: true,
  scanners: {},
  signedCommits: { mode: "off" },
  oidc: { enabled: false },
};

/**
 * What the pipe's variables can override. The lead builds it from `Variables`; an absent field
 * leaves the file's value. Thresholds merge per severity (MAX_HIGH changes only `high`); every
 * other field replaces the file's value.
 */
export interface ConfigOverrides {
  failOn?: SeverityThresholds;
  warnOn?: SeverityThresholds;
  newOnly?: boolean;
  baseline?: string;
  excludePaths?: string[];
  gatingFrameworks?: Framework[];
  failOnScannerError?: boolean;
  signedCommits?: Partial<SignedCommitsSettings>;
  oidc?: Partial<OidcSettings>;
  /** Merged per scanner and per option: `{ checkov: { skip_checks: [...] } }`. */
  scanners?: ScannerOptions;
}

// --- The file's schema (snake_case, as users write it) ---------------------------------------

const severityKey = z.enum(["critical", "high", "medium", "low", "info"]);

const count = z
  .number({ error: "must be a whole number ≥ 0" })
  .int({ error: "must be a whole number ≥ 0" })
  .min(0, { error: "must be a whole number ≥ 0" });

const thresholds = z.partialRecord(severityKey, count, {
  error: "must map severities (critical, high, medium, low, info) to counts",
});

const describedString = (what: string) =>
  z.string({
    error: (issue) => (issue.input === undefined ? `is required: ${what}` : `must be text: ${what}`),
  });

const glob = describedString("a glob").min(1, { error: "must not be empty" });

/** `2025-06-30` (valid through that whole day, UTC) or a full ISO 8601 time. */
const isoDate = z
  .string({ error: "must be a date such as 2025-06-30" })
  .refine(
    (value) =>
      /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) &&
      !Number.isNaN(Date.parse(value)),
    { error: "must be a date such as 2025-06-30" },
  );

const suppression = z
  .object({
    id: describedString("a short name for the suppression").min(1, { error: "must not be empty" }),
    rule: glob.optional(),
    path: glob.optional(),
    fingerprint: z.string({ error: "must be text" }).min(1, { error: "must not be empty" }).optional(),
    reason: describedString(
      "why this finding is acceptable; a suppression without a reason is refused",
    ).refine((value) => value.trim().length > 0, {
      error: "must say why this finding is acceptable; a suppression without a reason is refused",
    }),
    expires: isoDate.optional(),
  })
  .strict()
  .refine(
    (value) => value.rule !== undefined || value.path !== undefined || value.fingerprint !== undefined,
    {
      error: "needs at least one of rule, path or fingerprint (otherwise it would hide every finding)",
    },
  );

const frameworkName = z.enum(FRAMEWORKS, { error: `must be one of ${FRAMEWORKS.join(", ")}` });

const fileSchema = z
  .object({
    fail_on: thresholds.optional(),
    warn_on: thresholds.optional(),
    new_only: z.boolean({ error: "must be true or false" }).optional(),
    baseline: describedString("the path of a baseline file").optional(),
    exclude_paths: z.array(glob, { error: "must be a list of globs" }).optional(),
    suppressions: z.array(suppression, { error: "must be a list of suppressions" }).optional(),
    compliance: z
      .object({
        frameworks: z.array(frameworkName, { error: "must be a list of frameworks" }).optional(),
        mappings: z
          .record(
            z.string(),
            z.partialRecord(frameworkName, z.array(z.string(), { error: "must be a list of control ids" })),
            { error: "must map rule ids to { framework: [control ids] }" },
          )
          .optional(),
      })
      .strict()
      .optional(),
    fail_on_scanner_error: z.boolean({ error: "must be true or false" }).optional(),
    scanners: z
      .record(z.string(), z.record(z.string(), z.unknown(), { error: "must be a map of options" }), {
        error: "must map scanner names to their options",
      })
      .optional(),
    signed_commits: z
      .object({
        mode: z.enum(["enforce", "warn", "off"], { error: "must be one of enforce, warn, off" }),
        allowed_signers: describedString("a path or the allowed_signers content").optional(),
        gpg_public_keys: describedString("a path or armored keys").optional(),
      })
      .strict()
      .optional(),
    oidc: z
      .object({
        enabled: z.boolean({ error: "must be true or false" }),
        audience: describedString("the expected audience").optional(),
        branch_pattern: describedString("a glob of branch names").optional(),
        deployment_environment: describedString("a deployment environment").optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

type ConfigFile = z.infer<typeof fileSchema>;

// --- Parsing ----------------------------------------------------------------------------------

/** `["suppressions", 2, "reason"]` → `suppressions[2].reason`. */
export function keyPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === "number" ? `[${key}]` : `${index === 0 ? "" : "."}${String(key)}`))
    .join("");
}

/**
 * One line per problem: `<file>: <key path>: <what is expected>`, naming the suppression by its id
 * when the problem is inside one, since that is how users find it in the file.
 */
export function describeIssues(fileName: string, issues: readonly z.core.$ZodIssue[], raw: unknown): string {
  return issues
    .map((issue) => {
      const where =
        issue.path.length === 0 ? "" : `${keyPath(issue.path)}${suppressionLabel(issue.path, raw)}: `;
      const message =
        issue.code === "unrecognized_keys"
          ? `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => `"${key}"`).join(", ")}`
          : issue.message;
      return `${fileName}: ${where}${message}`;
    })
    .join("\n");
}

function suppressionLabel(path: readonly PropertyKey[], raw: unknown): string {
  if (path[0] !== "suppressions" || typeof path[1] !== "number") return "";
  const entry: unknown =
    isRecord(raw) && Array.isArray(raw.suppressions) ? raw.suppressions[path[1]] : undefined;
  const id = isRecord(entry) ? entry.id : undefined;
  return typeof id === "string" && id !== "" ? ` (suppression "${id}")` : "";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses the policy file's text. Throws an InputError naming the file and every bad key. */
export function parseConfig(text: string, fileName: string): GateConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error: unknown) {
    throw new InputError(
      `${fileName} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
      {
        suggestion: "Check the indentation and quoting near the line given above.",
      },
    );
  }
  if (raw === null || raw === undefined) return DEFAULT_CONFIG;
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(describeIssues(fileName, parsed.error.issues, raw), {
      suggestion: "See the security gate's README for the format of .security-gate.yml.",
    });
  }
  const duplicate = firstDuplicateId(parsed.data.suppressions ?? []);
  if (duplicate !== undefined) {
    throw new InputError(
      `${fileName}: suppressions[${duplicate.index}].id: "${duplicate.id}" is used twice`,
      {
        suggestion: "Give each suppression its own id: warnings and reports name suppressions by it.",
      },
    );
  }
  return fromFile(parsed.data);
}

function firstDuplicateId(
  suppressions: readonly { id: string }[],
): { id: string; index: number } | undefined {
  const seen = new Set<string>();
  for (const [index, { id }] of suppressions.entries()) {
    if (seen.has(id)) return { id, index };
    seen.add(id);
  }
  return undefined;
}

function severityThresholds(raw: Partial<Record<z.infer<typeof severityKey>, number>>): SeverityThresholds {
  const result: SeverityThresholds = {};
  for (const severity of SEVERITIES) {
    const value = raw[severity.toLowerCase() as z.infer<typeof severityKey>];
    if (value !== undefined) result[severity] = value;
  }
  return result;
}

function fromFile(file: ConfigFile): GateConfig {
  const defaults = DEFAULT_CONFIG;
  return {
    failOn: file.fail_on === undefined ? defaults.failOn : severityThresholds(file.fail_on),
    warnOn: file.warn_on === undefined ? defaults.warnOn : severityThresholds(file.warn_on),
    newOnly: file.new_only ?? defaults.newOnly,
    ...(file.baseline === undefined ? {} : { baseline: file.baseline }),
    excludePaths: file.exclude_paths ?? defaults.excludePaths,
    suppressions: (file.suppressions ?? []).map(
      ({ id, rule, path, fingerprint, reason, expires }): Suppression => ({
        id,
        reason,
        ...(rule === undefined ? {} : { rule }),
        ...(path === undefined ? {} : { path }),
        ...(fingerprint === undefined ? {} : { fingerprint }),
        ...(expires === undefined ? {} : { expires }),
      }),
    ),
    compliance: {
      gating: file.compliance?.frameworks ?? defaults.compliance.gating,
      mappings: file.compliance?.mappings ?? defaults.compliance.mappings,
    },
    failOnScannerError: file.fail_on_scanner_error ?? defaults.failOnScannerError,
    scanners: file.scanners ?? defaults.scanners,
    signedCommits:
      file.signed_commits === undefined
        ? defaults.signedCommits
        : {
            mode: file.signed_commits.mode,
            ...(file.signed_commits.allowed_signers === undefined
              ? {}
              : { allowedSigners: file.signed_commits.allowed_signers }),
            ...(file.signed_commits.gpg_public_keys === undefined
              ? {}
              : { gpgPublicKeys: file.signed_commits.gpg_public_keys }),
          },
    oidc:
      file.oidc === undefined
        ? defaults.oidc
        : {
            enabled: file.oidc.enabled,
            ...(file.oidc.audience === undefined ? {} : { audience: file.oidc.audience }),
            ...(file.oidc.branch_pattern === undefined ? {} : { branchPattern: file.oidc.branch_pattern }),
            ...(file.oidc.deployment_environment === undefined
              ? {}
              : { deploymentEnvironment: file.oidc.deployment_environment }),
          },
  };
}

/**
 * Reads the policy file. A file that does not exist gives `DEFAULT_CONFIG`; one that cannot be
 * read or parsed is an InputError.
 */
export async function loadConfig(path: string, displayName: string = path): Promise<GateConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error: unknown) {
    if (isMissingFile(error)) return DEFAULT_CONFIG;
    throw new InputError(
      `${displayName} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parseConfig(text, displayName);
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}

// --- Overrides ----------------------------------------------------------------------------------

/** The file's configuration with the pipe's variables applied on top. */
export function mergeConfig(file: GateConfig, overrides: ConfigOverrides): GateConfig {
  return {
    ...file,
    failOn: { ...file.failOn, ...definedOnly(overrides.failOn ?? {}) },
    warnOn: { ...file.warnOn, ...definedOnly(overrides.warnOn ?? {}) },
    newOnly: overrides.newOnly ?? file.newOnly,
    ...(overrides.baseline === undefined ? {} : { baseline: overrides.baseline }),
    excludePaths: overrides.excludePaths ?? file.excludePaths,
    compliance: { ...file.compliance, gating: overrides.gatingFrameworks ?? file.compliance.gating },
    failOnScannerError: overrides.failOnScannerError ?? file.failOnScannerError,
    scanners: mergeScannerOptions(file.scanners, overrides.scanners ?? {}),
    signedCommits: { ...file.signedCommits, ...definedOnly(overrides.signedCommits ?? {}) },
    oidc: { ...file.oidc, ...definedOnly(overrides.oidc ?? {}) },
  };
}

function mergeScannerOptions(file: ScannerOptions, overrides: ScannerOptions): ScannerOptions {
  const merged: ScannerOptions = { ...file };
  for (const [scanner, options] of Object.entries(overrides)) {
    merged[scanner] = { ...file[scanner], ...definedOnly(options) };
  }
  return merged;
}

/** Drops keys whose value is undefined, so `{ mode: undefined }` does not erase the file's mode. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
