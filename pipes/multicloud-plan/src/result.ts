/**
 * What a run found, per target: the document later pipes read
 * (`$BITBUCKET_PIPE_SHARED_STORAGE_DIR/multicloud-plan/result.json`, policy-gate and cost-guard)
 * and the manifest the apply mode checks (`<PLANS_DIR>/plans.json`). Plan files are named relative
 * to the folder of the document that names them.
 */
import type { Verdict } from "@pipes/core";
import { CHANGE_ACTIONS, PROVIDERS } from "@pipes/terraform";
import { z } from "zod";
import { VALIDATION_CHECKS } from "./validation.ts";

const countsSchema = z.object(
  Object.fromEntries(CHANGE_ACTIONS.map((a) => [a, z.number().int()])) as Record<
    (typeof CHANGE_ACTIONS)[number],
    z.ZodNumber
  >,
);

const targetSchema = z.object({
  name: z.string(),
  provider: z.enum(PROVIDERS),
  environment: z.string(),
  directory: z.string(),
  workspace: z.string(),
  varFiles: z.array(z.string()),
  backendConfig: z.array(z.string()),
  auth: z.record(z.string(), z.string()),
});

export const targetOutcomeSchema = z.object({
  target: targetSchema,
  status: z.enum(["planned", "failed", "applied"]),
  error: z.string().optional(),
  auth: z.enum(["oidc", "static", "none"]).optional(),
  counts: countsSchema.optional(),
  byProvider: z.record(z.string(), countsSchema).optional(),
  hasChanges: z.boolean().optional(),
  replaced: z
    .array(
      z.object({ address: z.string(), reason: z.string().optional(), paths: z.array(z.string()).optional() }),
    )
    .optional(),
  deleted: z.array(z.string()).optional(),
  guard: z
    .object({
      status: z.enum(["none", "allowed", "blocked"]),
      reason: z.string(),
      changes: z.array(
        z.object({
          address: z.string(),
          kind: z.string(),
          action: z.enum(["delete", "replace"]),
          protectedBy: z.string(),
          actionReason: z.string().optional(),
        }),
      ),
    })
    .optional(),
  validation: z
    .array(z.object({ check: z.enum(VALIDATION_CHECKS), address: z.string(), message: z.string() }))
    .optional(),
  /** Relative to the document's folder. */
  planFile: z.string().optional(),
  planJsonFile: z.string().optional(),
  planSha256: z.string().optional(),
  durationMs: z.number().optional(),
});
export type TargetOutcome = z.output<typeof targetOutcomeSchema>;

export const runResultSchema = z.object({
  pipe: z.literal("multicloud-plan"),
  version: z.string(),
  mode: z.enum(["plan", "apply"]),
  binary: z.enum(["terraform", "tofu"]),
  verdict: z.enum(["PASS", "WARN", "FAIL"]),
  summary: z.string(),
  commit: z.string().optional(),
  branch: z.string().optional(),
  pullRequest: z.number().optional(),
  rule: z.string(),
  source: z.string(),
  createdAt: z.string(),
  totals: countsSchema,
  targets: z.array(targetOutcomeSchema),
});
export type RunResult = z.output<typeof runResultSchema>;
export type { Verdict };
