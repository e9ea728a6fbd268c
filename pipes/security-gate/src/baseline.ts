/**
 * Baselines for NEW_ONLY: the fingerprints of the findings that already existed, so a pull request
 * is gated only on what it adds. Two sources, one format:
 *  - a committed file, written by WRITE_BASELINE (`buildBaseline` + `serializeBaseline`);
 *  - the findings of the last run on the PR's destination branch (`baselineFromResult`; read back
 *    from its Code Insights annotations by baseline-source.ts).
 *
 * The file is JSON, sorted, one finding per line, so its diff in a pull request is readable:
 *
 *     {
 *       "version": 1,
 *       "created": "2025-01-31T10:00:00.000Z",
 *       "commit": "9fceb02",
 *       "findings": [
 *         {"fingerprint":"5d41402abc4b2a76","rule":"CKV_AWS_20","file":"infra/s3.tf"}
 *       ]
 *     }
 *
 * `rule` and `file` are for the humans reviewing it; only `fingerprint` is compared.
 */
import { InputError } from "@pipes/core";
import { z } from "zod";
import { describeIssues } from "./config.ts";
import type { Finding } from "./findings.ts";

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  file?: string;
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  /** ISO time the baseline was taken. */
  created: string;
  commit?: string;
  findings: BaselineEntry[];
}

export interface BaselineMeta {
  created: Date;
  commit?: string;
}

const baselineSchema = z.object({
  version: z.literal(BASELINE_VERSION, {
    error: `must be ${BASELINE_VERSION} (this baseline was written by another version of the pipe)`,
  }),
  created: z.string({ error: "must be an ISO time" }),
  commit: z.string({ error: "must be a commit hash" }).optional(),
  findings: z.array(
    z.object({
      fingerprint: z.string({ error: "is required" }).min(1, { error: "must not be empty" }),
      rule: z.string({ error: "is required" }),
      file: z.string({ error: "must be a path" }).optional(),
    }),
    { error: "must be a list of findings" },
  ),
});

/** Code-point order, not the locale's: the file must sort the same on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byFileRuleFingerprint(a: BaselineEntry, b: BaselineEntry): number {
  return (
    compareText(a.file ?? "", b.file ?? "") ||
    compareText(a.rule, b.rule) ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

function entriesOf(
  findings: Iterable<{ fingerprint: string; ruleId: string; file?: string | undefined }>,
): BaselineEntry[] {
  const byFingerprint = new Map<string, BaselineEntry>();
  for (const { fingerprint, ruleId, file } of findings) {
    if (byFingerprint.has(fingerprint)) continue;
    byFingerprint.set(fingerprint, { fingerprint, rule: ruleId, ...(file === undefined ? {} : { file }) });
  }
  return [...byFingerprint.values()].sort(byFileRuleFingerprint);
}

/** Every finding of this run, whatever its status, becomes "already known". */
export function buildBaseline(findings: readonly Finding[], meta: BaselineMeta): Baseline {
  return {
    version: BASELINE_VERSION,
    created: meta.created.toISOString(),
    ...(meta.commit === undefined ? {} : { commit: meta.commit }),
    findings: entriesOf(
      findings.map((finding) => ({
        fingerprint: finding.fingerprint,
        ruleId: finding.ruleId,
        file: finding.location?.file,
      })),
    ),
  };
}

/** What a baseline needs of an earlier run's findings. */
export interface StoredResultFindings {
  createdAt: string;
  commit?: string;
  findings: readonly { fingerprint: string; ruleId: string; file?: string }[];
}

/** A baseline from an earlier run's findings (deduplicated and sorted like a committed one). */
export function baselineFromResult(result: StoredResultFindings): Baseline {
  return {
    version: BASELINE_VERSION,
    created: result.createdAt,
    ...(result.commit === undefined ? {} : { commit: result.commit }),
    findings: entriesOf(result.findings),
  };
}

/** One finding per line: small, stable diffs when the baseline is committed. */
export function serializeBaseline(baseline: Baseline): string {
  const { findings, ...header } = baseline;
  const head = JSON.stringify(header, null, 2).replace(/\n}$/, "");
  const lines = findings.map((entry) => `    ${JSON.stringify(entry)}`).join(",\n");
  return `${head},\n  "findings": [${findings.length === 0 ? "" : `\n${lines}\n  `}]\n}\n`;
}

/** Parses a baseline file; an InputError names the file and what is wrong with it. */
export function parseBaseline(text: string, fileName: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error: unknown) {
    throw new InputError(
      `${fileName} is not a valid baseline: not JSON (${error instanceof Error ? error.message : String(error)})`,
      { suggestion: "Regenerate it with WRITE_BASELINE, or fix the merge conflict in it." },
    );
  }
  const parsed = baselineSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(describeIssues(fileName, parsed.error.issues, raw), {
      suggestion: "Regenerate the baseline with WRITE_BASELINE.",
    });
  }
  const { version, created, commit, findings } = parsed.data;
  return {
    version,
    created,
    ...(commit === undefined ? {} : { commit }),
    findings: findings.map(({ fingerprint, rule, file }) => ({
      fingerprint,
      rule,
      ...(file === undefined ? {} : { file }),
    })),
  };
}

/** The fingerprints a baseline knows, for O(1) look-ups. */
export function baselineFingerprints(baseline: Baseline): ReadonlySet<string> {
  return new Set(baseline.findings.map((entry) => entry.fingerprint));
}
