/** JUnit: one suite per target, one case per check (plan, guard, tags, region, naming). */
import { buildJUnitXml, type JUnitTestCase, type JUnitTestSuite } from "@pipes/reports";
import type { RunResult, TargetOutcome } from "../result.ts";
import { VALIDATION_CHECKS } from "../validation.ts";

function cases(outcome: TargetOutcome, validation: "enforce" | "warn" | "off"): JUnitTestCase[] {
  const classname = `multicloud-plan.${outcome.target.name}`;
  const plan: JUnitTestCase = {
    name: "plan",
    classname,
    ...(outcome.durationMs === undefined ? {} : { durationMs: outcome.durationMs }),
    outcome:
      outcome.status === "failed"
        ? { status: "error", message: outcome.error ?? "the plan failed" }
        : { status: "passed" },
  };
  if (outcome.status === "failed")
    return [
      plan,
      ...["guard", ...VALIDATION_CHECKS].map(
        (name): JUnitTestCase => ({ name, classname, outcome: { status: "skipped", message: "no plan" } }),
      ),
    ];
  const guard: JUnitTestCase = {
    name: "guard",
    classname,
    outcome:
      outcome.guard?.status === "blocked"
        ? {
            status: "failed",
            message: outcome.guard.reason,
            details: outcome.guard.changes
              .map((c) => `${c.action} ${c.address}: ${c.protectedBy}`)
              .join("\n"),
          }
        : { status: "passed" },
  };
  const checks = VALIDATION_CHECKS.map((check): JUnitTestCase => {
    const problems = (outcome.validation ?? []).filter((p) => p.check === check);
    if (validation === "off")
      return { name: check, classname, outcome: { status: "skipped", message: "VALIDATION=off" } };
    if (problems.length === 0 || validation === "warn")
      return {
        name: check,
        classname,
        outcome: { status: "passed" },
        ...(problems.length ? { output: problems.map((p) => `${p.address}: ${p.message}`).join("\n") } : {}),
      };
    return {
      name: check,
      classname,
      outcome: {
        status: "failed",
        message: `${problems.length} resource${problems.length === 1 ? "" : "s"}: ${problems[0]?.message}`,
        details: problems.map((p) => `${p.address}: ${p.message}`).join("\n"),
      },
    };
  });
  return [plan, guard, ...checks];
}

export function renderJUnit(result: RunResult, validation: "enforce" | "warn" | "off"): string {
  const suites: JUnitTestSuite[] = result.targets.map((o) => ({
    name: `multicloud-plan ${o.target.name}`,
    cases: cases(o, validation),
  }));
  return buildJUnitXml("multicloud-plan", suites);
}
