/**
 * The decision as JSON for later pipes of the same step
 * (`$BITBUCKET_PIPE_SHARED_STORAGE_DIR/security-gate/result.json`), with its JSON Schema beside it.
 */
import { z } from "zod";
import { FRAMEWORKS, SEVERITIES } from "./findings.ts";
import type { GateFinding, GateResult } from "./gate.ts";
import { controlLabels } from "./report/labels.ts";

const verdict = z.enum(["PASS", "WARN", "FAIL"]);
const severity = z.enum(SEVERITIES);

export const gateResultSchema = z.object({
  pipe: z.literal("security-gate"),
  version: z.string(),
  createdAt: z.string().describe("ISO time of the run"),
  commit: z.string().optional(),
  branch: z.string().optional(),
  pullRequest: z.number().int().optional(),
  verdict,
  enforced: z.boolean().describe("false when ENFORCE=false turned a FAIL into exit code 0"),
  reasons: z.array(z.object({ verdict, message: z.string() })),
  counts: z.record(severity, z.number().int()),
  findings: z.array(
    z.object({
      fingerprint: z.string(),
      status: z.enum(["blocking", "non-blocking", "baseline", "suppressed"]),
      severity,
      tool: z.string(),
      tools: z.array(z.string()),
      ruleId: z.string(),
      title: z.string(),
      category: z.string(),
      file: z.string().optional(),
      startLine: z.number().int().optional(),
      endLine: z.number().int().optional(),
      resource: z.string().optional(),
      helpUri: z.string().optional(),
      /** "SOC2 CC6.1": the framework, a space, the control (as in the SARIF's result properties). */
      controls: z.array(z.string()),
      suppression: z
        .object({ id: z.string(), reason: z.string(), expires: z.string().optional() })
        .optional(),
    }),
  ),
  compliance: z.array(
    z.object({
      framework: z.enum(FRAMEWORKS),
      gating: z.boolean(),
      checked: z.number().int(),
      passed: z.number().int(),
      failed: z.number().int(),
      failedControls: z.array(z.string()),
    }),
  ),
  checks: z.array(
    z.object({
      name: z.string(),
      status: z.enum(["pass", "warn", "fail", "skipped"]),
      message: z.string(),
      details: z.array(z.string()),
    }),
  ),
  scanners: z.array(
    z.object({
      tool: z.string(),
      version: z.string().optional(),
      status: z.enum(["ok", "failed", "skipped", "ingested"]),
      findings: z.number().int(),
      durationMs: z.number(),
      error: z.string().optional(),
    }),
  ),
  warnings: z.array(z.string()),
});

export type GateResultDocument = z.infer<typeof gateResultSchema>;

export interface RunFacts {
  version: string;
  now: Date;
  commit?: string;
  branch?: string;
  pullRequest?: number;
  enforced: boolean;
}

type FindingEntry = GateResultDocument["findings"][number];

/** A finding's entry, set field by field in the schema's order (made for each of 100,000 findings). */
function findingEntry(f: GateFinding): FindingEntry {
  const entry: FindingEntry = {
    fingerprint: f.fingerprint,
    status: f.status,
    severity: f.severity,
    tool: f.tool,
    tools: f.tools,
    ruleId: f.ruleId,
    title: f.title,
    category: f.category,
  } as FindingEntry;
  const { location } = f;
  if (location) {
    entry.file = location.file;
    if (location.startLine !== undefined) entry.startLine = location.startLine;
    if (location.endLine !== undefined) entry.endLine = location.endLine;
  }
  if (f.resource) entry.resource = f.resource;
  if (f.helpUri) entry.helpUri = f.helpUri;
  entry.controls = controlLabels(f.controls);
  if (f.suppression) {
    const { id, reason, expires } = f.suppression;
    entry.suppression = expires ? { id, reason, expires } : { id, reason };
  }
  return entry;
}

export function resultDocument(result: GateResult, facts: RunFacts): GateResultDocument {
  return {
    pipe: "security-gate",
    version: facts.version,
    createdAt: facts.now.toISOString(),
    ...(facts.commit ? { commit: facts.commit } : {}),
    ...(facts.branch ? { branch: facts.branch } : {}),
    ...(facts.pullRequest === undefined ? {} : { pullRequest: facts.pullRequest }),
    verdict: result.verdict,
    enforced: facts.enforced,
    reasons: result.reasons,
    counts: result.counts,
    findings: result.findings.map(findingEntry),
    compliance: result.compliance.map((r) => ({
      framework: r.framework,
      gating: r.gating,
      checked: r.checked,
      passed: r.passed,
      failed: r.failed,
      failedControls: r.controls.filter((c) => c.status === "failed").map((c) => c.control),
    })),
    checks: result.checks,
    scanners: result.scanners,
    warnings: result.warnings,
  };
}
