/** JUnit for the Tests tab: one case per reason (FAIL reasons are failures), grouped by mode. */
import { buildJUnitXml, type JUnitTestCase } from "@pipes/reports";
import type { GuardResult } from "../result.ts";

export function renderJUnit(result: GuardResult): string {
  const classname = `state-guard.${result.mode}`;
  const cases: JUnitTestCase[] = result.reasons.map((r) => ({
    name: `${r.code}: ${r.message}`.slice(0, 200),
    classname,
    outcome:
      r.verdict === "FAIL" ? { status: "failed", message: r.message, type: r.code } : { status: "passed" },
    ...(r.verdict === "WARN" || r.suggestion
      ? { output: [r.message, r.suggestion].filter(Boolean).join("\n") }
      : {}),
  }));
  const audit: JUnitTestCase[] = (result.audit?.problems ?? []).map((p) => ({
    name: p.key,
    classname: "state-guard.audit.objects",
    outcome: { status: "failed", message: p.message, type: p.code },
  }));
  return buildJUnitXml("state-guard", [
    { name: classname, cases },
    ...(audit.length ? [{ name: "state-guard.audit.objects", cases: audit }] : []),
  ]);
}
