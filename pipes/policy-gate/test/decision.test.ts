/**
 * Enforcement levels, exceptions and their expiry, on the built-in library's own policies (their
 * levels and severities as their METADATA declares them).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { buildCatalog } from "../src/catalog.ts";
import { DEFAULT_CONFIG, type GateConfig, parseConfig } from "../src/config.ts";
import { decide } from "../src/decision.ts";
import type { Policy, Violation } from "../src/findings.ts";
import { BUILT_IN_SOURCE, builtInPoliciesDir, modulesOf } from "../src/sources.ts";

let policies: Policy[];
beforeAll(async () => {
  policies = buildCatalog(await modulesOf(BUILT_IN_SOURCE, builtInPoliciesDir()));
});

const NOW = new Date("2026-12-05T12:00:00Z");

function violation(policyId: string, resource: string): Violation {
  const policy = policies.find((p) => p.id === policyId);
  if (!policy) throw new Error(`no built-in policy ${policyId}`);
  return {
    policyId,
    message: `${resource} breaks ${policyId}`,
    severity: policy.severity,
    resource,
    input: "plans/aws.json",
    controls: policy.controls,
  };
}

function run(violations: Violation[], config: GateConfig = DEFAULT_CONFIG, approvedBy?: string) {
  return decide({ policies, violations, conftestExceptions: [], config, approvedBy, now: NOW });
}

describe("enforcement levels", () => {
  it("fails on a hard-mandatory violation even with an approval", () => {
    const d = run([violation("AWS-ENCRYPTION-AT-REST", "aws_db_instance.main")], DEFAULT_CONFIG, "ann");
    expect(d.verdict).toBe("FAIL");
    expect(d.violations[0]?.status).toBe("blocking");
    expect(d.reasons[0]?.message).toContain("hard-mandatory");
  });

  it("fails on a soft-mandatory violation without an approval and says how to override it", () => {
    const config = parseConfig(
      "enforcement:\n  AWS-ENCRYPTION-AT-REST: soft-mandatory\n",
      ".policy-gate.yml",
    );
    const d = run([violation("AWS-ENCRYPTION-AT-REST", "aws_db_instance.main")], config);
    expect(d.verdict).toBe("FAIL");
    expect(d.reasons[0]?.message).toContain("APPROVED_BY");
  });

  it("warns on a soft-mandatory violation an approver overrode, naming the approver", () => {
    const config = parseConfig(
      "enforcement:\n  AWS-ENCRYPTION-AT-REST: soft-mandatory\n",
      ".policy-gate.yml",
    );
    const d = run([violation("AWS-ENCRYPTION-AT-REST", "aws_db_instance.main")], config, "ann");
    expect(d.verdict).toBe("WARN");
    expect(d.violations[0]?.status).toBe("overridden");
    expect(d.reasons[0]?.message).toContain("ann");
  });

  it("only warns on advisory policies, set by a glob of ids", () => {
    const config = parseConfig('enforcement:\n  "AWS-*": advisory\n', ".policy-gate.yml");
    const d = run([violation("AWS-ENCRYPTION-AT-REST", "aws_db_instance.main")], config);
    expect(d.verdict).toBe("WARN");
    expect(d.counts.advisory).toBe(1);
  });
});

describe("exceptions", () => {
  const exception = (expires: string) =>
    parseConfig(
      `exceptions:\n  - policy: AWS-ENCRYPTION-AT-REST\n    resource: aws_db_instance.legacy\n    owner: dba@acme.example\n    reason: migrating to the encrypted cluster (TICKET-1)\n    expires: ${expires}\n`,
      ".policy-gate.yml",
    );

  it("lets an excepted violation pass until its expiry day, and only for its resource", () => {
    const d = run(
      [
        violation("AWS-ENCRYPTION-AT-REST", "aws_db_instance.legacy"),
        violation("AWS-ENCRYPTION-AT-REST", "aws_db_instance.new"),
      ],
      exception("2026-12-05"),
    );
    expect(d.violations.find((v) => v.resource === "aws_db_instance.legacy")?.status).toBe("excepted");
    expect(d.violations.find((v) => v.resource === "aws_db_instance.new")?.status).toBe("blocking");
  });

  it("enforces again after the exception expired, with a warning naming its owner", () => {
    const d = run([violation("AWS-ENCRYPTION-AT-REST", "aws_db_instance.legacy")], exception("2026-12-04"));
    expect(d.verdict).toBe("FAIL");
    expect(d.violations[0]?.status).toBe("blocking");
    expect(d.warnings.join("\n")).toMatch(/expired on 2026-12-04.*enforced again/);
    expect(d.warnings.join("\n")).toContain("dba@acme.example");
  });

  it("rejects an exception without a reason or owner, naming the file", () => {
    expect(() =>
      parseConfig(
        "exceptions:\n  - policy: X\n    owner: a\n    reason: ' '\n    expires: 2027-01-01\n",
        ".policy-gate.yml",
      ),
    ).toThrow(/\.policy-gate\.yml: a reason is required at exceptions\.0\.reason/);
    expect(() =>
      parseConfig("exceptions:\n  - policy: X\n    reason: r\n    expires: 2027-01-01\n", ".policy-gate.yml"),
    ).toThrow(/\.policy-gate\.yml: .*exceptions\.0\.owner/);
  });
});

it("passes when nothing is violated", () => {
  expect(run([]).verdict).toBe("PASS");
});
