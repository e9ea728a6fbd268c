/**
 * The decision as JUnit for Bitbucket's Tests tab: one test per evaluated policy (failed by its
 * blocking violations, passed otherwise, skipped when every violation is excepted), and one suite
 * per compliance framework with a test per control.
 */
import { buildJUnitXml, type JUnitTestCase, type JUnitTestSuite } from "@pipes/reports";
import type { GateRun } from "../gate.ts";

export function renderJUnit(run: GateRun): string {
  const bySource = new Map<string, JUnitTestCase[]>();
  for (const policy of run.policies) {
    const found = run.decision.violations.filter((v) => v.policyId === policy.id);
    const blocking = found.filter((v) => v.status === "blocking");
    const lines = found.map((v) => `${v.status}: ${v.resource ?? v.input}: ${v.message}`).join("\n");
    const testCase: JUnitTestCase = {
      name: `${policy.id}: ${policy.title}`,
      classname: `policy-gate.${policy.namespace}`,
      outcome:
        blocking.length > 0
          ? {
              status: "failed",
              message: `${blocking.length} blocking violation(s) (${policy.enforcement})`,
              details: lines,
            }
          : found.length > 0 && found.every((v) => v.status === "excepted")
            ? { status: "skipped", message: "every violation is covered by an exception" }
            : { status: "passed" },
      ...(found.length > 0 && blocking.length === 0 ? { output: lines } : {}),
    };
    const cases = bySource.get(policy.source) ?? [];
    cases.push(testCase);
    bySource.set(policy.source, cases);
  }
  const suites: JUnitTestSuite[] = [...bySource].map(([source, cases]) => ({
    name: `policies (${source})`,
    cases,
  }));
  for (const framework of run.coverage) {
    suites.push({
      name: `compliance ${framework.framework}`,
      cases: framework.controls.map((control) => ({
        name: `${framework.framework} ${control.control}`,
        classname: `policy-gate.compliance.${framework.framework}`,
        outcome:
          control.failedBy.length > 0
            ? { status: "failed", message: `failed by ${control.failedBy.join(", ")}` }
            : { status: "passed" },
      })),
    });
  }
  return buildJUnitXml("policy-gate", suites);
}
