/**
 * The decision as SARIF 2.1.0: one run, one rule per policy (Conftest writes one rule per
 * namespace), excepted violations kept as accepted suppressions with the exception's owner, reason
 * and expiry.
 */
import { buildSarifLog, type SarifLevel, type SarifRuleInput, serializeSarif } from "@pipes/reports";
import type { JudgedViolation } from "../decision.ts";
import type { Policy, Severity } from "../findings.ts";
import type { GateRun } from "../gate.ts";

const LEVELS: Record<Severity, SarifLevel> = {
  CRITICAL: "error",
  HIGH: "error",
  MEDIUM: "warning",
  LOW: "note",
  INFO: "note",
};
const SECURITY_SEVERITY: Record<Severity, number> = {
  CRITICAL: 9.5,
  HIGH: 7.5,
  MEDIUM: 5,
  LOW: 2,
  INFO: 0.5,
};

function ruleOf(policy: Policy | undefined, id: string): SarifRuleInput {
  if (!policy) return { id, shortDescription: id };
  return {
    id: policy.id,
    shortDescription: policy.title,
    ...(policy.helpUri ? { helpUri: policy.helpUri } : {}),
    defaultLevel: LEVELS[policy.severity],
    securitySeverity: SECURITY_SEVERITY[policy.severity],
    tags: [policy.enforcement, ...policy.controls.map((c) => `${c.framework}:${c.control}`)],
    properties: {
      namespace: policy.namespace,
      rule: policy.rule,
      source: policy.source,
      ...(policy.remediation ? { remediation: policy.remediation } : {}),
    },
  };
}

export function renderSarif(run: GateRun, version: string): string {
  const byId = new Map(run.policies.map((p) => [p.id, p]));
  const results = run.decision.violations.map((v: JudgedViolation) => ({
    rule: ruleOf(byId.get(v.policyId), v.policyId),
    level: v.status === "advisory" ? ("note" as const) : LEVELS[v.severity],
    message: v.message,
    location: v.location
      ? { path: v.location.file, ...(v.location.startLine ? { startLine: v.location.startLine } : {}) }
      : { path: v.input },
    properties: {
      status: v.status,
      enforcement: v.enforcement,
      input: v.input,
      ...(v.resource ? { resource: v.resource } : {}),
    },
    ...(v.exception
      ? {
          suppression: {
            justification: v.exception.reason,
            properties: { owner: v.exception.owner, expires: v.exception.expires.toISOString().slice(0, 10) },
          },
        }
      : {}),
  }));
  return serializeSarif(
    buildSarifLog([
      { tool: { name: "policy-gate", version, informationUri: "https://www.openpolicyagent.org/" }, results },
    ]),
  );
}
