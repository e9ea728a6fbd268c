/** The decision as JSON for later pipes (`$BITBUCKET_PIPE_SHARED_STORAGE_DIR/policy-gate/result.json`). */
import { z } from "zod";
import type { GateRun } from "./gate.ts";

const control = z.object({ framework: z.string(), control: z.string() });

export const resultSchema = z.object({
  pipe: z.literal("policy-gate"),
  version: z.string(),
  createdAt: z.string(),
  commit: z.string().optional(),
  verdict: z.enum(["PASS", "WARN", "FAIL"]),
  enforced: z.boolean(),
  reasons: z.array(z.object({ verdict: z.enum(["PASS", "WARN", "FAIL"]), message: z.string() })),
  warnings: z.array(z.string()),
  counts: z.object({
    blocking: z.number(),
    overridden: z.number(),
    advisory: z.number(),
    excepted: z.number(),
  }),
  inputs: z.array(z.string()),
  policies: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      severity: z.string(),
      enforcement: z.string(),
      source: z.string(),
      controls: z.array(control),
    }),
  ),
  violations: z.array(
    z.object({
      policyId: z.string(),
      status: z.enum(["blocking", "overridden", "advisory", "excepted"]),
      enforcement: z.string(),
      severity: z.string(),
      message: z.string(),
      input: z.string(),
      resource: z.string().optional(),
      file: z.string().optional(),
      line: z.number().optional(),
      controls: z.array(control),
      exception: z.object({ owner: z.string(), reason: z.string(), expires: z.string() }).optional(),
    }),
  ),
  compliance: z.array(
    z.object({
      framework: z.string(),
      checked: z.number(),
      passed: z.number(),
      failed: z.number(),
      failedControls: z.array(z.string()),
    }),
  ),
});

export type ResultDocument = z.infer<typeof resultSchema>;

export function resultDocument(
  run: GateRun,
  facts: { version: string; now: Date; commit: string | undefined; enforced: boolean },
): ResultDocument {
  const { decision } = run;
  return {
    pipe: "policy-gate",
    version: facts.version,
    createdAt: facts.now.toISOString(),
    ...(facts.commit ? { commit: facts.commit } : {}),
    verdict: decision.verdict,
    enforced: facts.enforced,
    reasons: decision.reasons,
    warnings: decision.warnings,
    counts: decision.counts,
    inputs: run.inputs,
    policies: run.policies.map((p) => ({
      id: p.id,
      title: p.title,
      severity: p.severity,
      enforcement: p.enforcement,
      source: p.source,
      controls: p.controls,
    })),
    violations: decision.violations.map((v) => ({
      policyId: v.policyId,
      status: v.status,
      enforcement: v.enforcement,
      severity: v.severity,
      message: v.message,
      input: v.input,
      ...(v.resource ? { resource: v.resource } : {}),
      ...(v.location ? { file: v.location.file } : {}),
      ...(v.location?.startLine ? { line: v.location.startLine } : {}),
      controls: v.controls,
      ...(v.exception
        ? {
            exception: {
              owner: v.exception.owner,
              reason: v.exception.reason,
              expires: v.exception.expires.toISOString().slice(0, 10),
            },
          }
        : {}),
    })),
    compliance: run.coverage.map((f) => ({
      framework: f.framework,
      checked: f.checked,
      passed: f.passed,
      failed: f.failed,
      failedControls: f.controls.filter((c) => c.failedBy.length > 0).map((c) => c.control),
    })),
  };
}
