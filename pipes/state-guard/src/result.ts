/**
 * What one state-guard run found, as plain data: the verdict with its reasons (most important first)
 * and the details of the mode that ran. result.json (for later pipes) is this, validated by
 * `guardResultSchema`.
 */
import type { Verdict } from "@pipes/core";
import { z } from "zod";
import type { Backup } from "./backups.ts";
import type { Mode } from "./variables.ts";

export interface Reason {
  verdict: Verdict;
  /** Stable, for machines: LINEAGE_CHANGED, BACKED_UP, STALE_LOCK, ... */
  code: string;
  message: string;
  suggestion?: string;
}

export interface VersionEntry {
  key: string;
  lineage: string;
  serial: number;
  sha256: string;
  time: string;
  commit: string;
  terraformVersion: string;
  size: number;
}

export interface GuardResult {
  mode: Mode;
  verdict: Verdict;
  reasons: Reason[];
  /** The backup store's location (never with credentials). */
  store: string;
  backup?: {
    status: "created" | "unchanged";
    version: VersionEntry;
    previousSerial: number | null;
    verifyMs: number | null;
  };
  retention?: {
    dryRun: boolean;
    keep: (VersionEntry & { reasons: string[] })[];
    remove: (VersionEntry & { reason: string })[];
    removed: string[];
  };
  restore?: {
    version: VersionEntry;
    target: "file" | "backend";
    file: string | null;
    serialAfter: number | null;
  };
  versions?: VersionEntry[];
  audit?: {
    checked: number;
    ok: number;
    problems: { key: string; code: string; message: string }[];
    gaps: { lineage: string; missing: number[] }[];
    lineages: { lineage: string; versions: number; newestSerial: number }[];
  };
  locks?: {
    backend: string;
    id: string;
    who: string | null;
    operation: string | null;
    created: string | null;
    ageSeconds: number | null;
    stale: boolean;
    path: string | null;
  }[];
  unlocked?: string[];
  drift?: {
    target: string;
    drifted: {
      address: string;
      type: string;
      action: string;
      attributes: { path: string; before: unknown; after: unknown; sensitive: boolean }[];
    }[];
    remediation: { mode: "report" | "accept" | "revert"; applied: boolean; remaining: number | null };
  }[];
}

export function versionEntry(b: Backup): VersionEntry {
  return {
    key: b.key,
    lineage: b.lineage,
    serial: b.serial,
    sha256: b.sha256,
    time: b.time.toISOString(),
    commit: b.commit,
    terraformVersion: b.terraformVersion,
    size: b.size,
  };
}

const SEVERITY: Record<Verdict, number> = { FAIL: 0, WARN: 1, PASS: 2 };

/** The strictest verdict of the reasons, and the reasons most important first (stable within a verdict). */
export function decide(reasons: readonly Reason[]): { verdict: Verdict; reasons: Reason[] } {
  const sorted = [...reasons].sort((a, b) => SEVERITY[a.verdict] - SEVERITY[b.verdict]);
  return { verdict: sorted[0]?.verdict ?? "PASS", reasons: sorted };
}

const verdict = z.enum(["PASS", "WARN", "FAIL"]);
const version = z.object({
  key: z.string(),
  lineage: z.string(),
  serial: z.number().int(),
  sha256: z.string(),
  time: z.string(),
  commit: z.string(),
  terraformVersion: z.string(),
  size: z.number().int(),
});

export const guardResultSchema = z.object({
  pipe: z.literal("state-guard"),
  version: z.string(),
  mode: z.enum(["backup", "retention", "restore", "list", "audit", "locks", "drift"]),
  verdict,
  reasons: z.array(
    z.object({ verdict, code: z.string(), message: z.string(), suggestion: z.string().optional() }),
  ),
  store: z.string(),
  backup: z
    .object({
      status: z.enum(["created", "unchanged"]),
      version,
      previousSerial: z.number().int().nullable(),
      verifyMs: z.number().nullable(),
    })
    .optional(),
  retention: z
    .object({
      dryRun: z.boolean(),
      keep: z.array(version.extend({ reasons: z.array(z.string()) })),
      remove: z.array(version.extend({ reason: z.string() })),
      removed: z.array(z.string()),
    })
    .optional(),
  restore: z
    .object({
      version,
      target: z.enum(["file", "backend"]),
      file: z.string().nullable(),
      serialAfter: z.number().int().nullable(),
    })
    .optional(),
  versions: z.array(version).optional(),
  audit: z
    .object({
      checked: z.number().int(),
      ok: z.number().int(),
      problems: z.array(z.object({ key: z.string(), code: z.string(), message: z.string() })),
      gaps: z.array(z.object({ lineage: z.string(), missing: z.array(z.number().int()) })),
      lineages: z.array(
        z.object({ lineage: z.string(), versions: z.number().int(), newestSerial: z.number().int() }),
      ),
    })
    .optional(),
  locks: z
    .array(
      z.object({
        backend: z.string(),
        id: z.string(),
        who: z.string().nullable(),
        operation: z.string().nullable(),
        created: z.string().nullable(),
        ageSeconds: z.number().nullable(),
        stale: z.boolean(),
        path: z.string().nullable(),
      }),
    )
    .optional(),
  unlocked: z.array(z.string()).optional(),
  drift: z
    .array(
      z.object({
        target: z.string(),
        drifted: z.array(
          z.object({
            address: z.string(),
            type: z.string(),
            action: z.string(),
            attributes: z.array(
              z.object({ path: z.string(), before: z.unknown(), after: z.unknown(), sensitive: z.boolean() }),
            ),
          }),
        ),
        remediation: z.object({
          mode: z.enum(["report", "accept", "revert"]),
          applied: z.boolean(),
          remaining: z.number().int().nullable(),
        }),
      }),
    )
    .optional(),
});

export type GuardResultDocument = z.output<typeof guardResultSchema>;

export function resultDocument(result: GuardResult, pipeVersion: string): GuardResultDocument {
  return { pipe: "state-guard", version: pipeVersion, ...result };
}
