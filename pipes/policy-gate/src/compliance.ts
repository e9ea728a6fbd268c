/**
 * The compliance coverage table: per framework, the controls the evaluated policies check, and
 * which of them failed (a blocking violation of a policy mapped to the control) with the policies
 * behind each failure. Pure.
 */
import type { JudgedViolation } from "./decision.ts";
import type { Framework, Policy } from "./findings.ts";

export interface ControlCoverage {
  control: string;
  policies: string[];
  failedBy: string[];
}

export interface FrameworkCoverage {
  framework: Framework;
  controls: ControlCoverage[];
  checked: number;
  passed: number;
  failed: number;
}

export function complianceCoverage(
  frameworks: readonly Framework[],
  policies: readonly Policy[],
  violations: readonly JudgedViolation[],
): FrameworkCoverage[] {
  const failing = new Set(violations.filter((v) => v.status === "blocking").map((v) => v.policyId));
  return frameworks.map((framework) => {
    const byControl = new Map<string, ControlCoverage>();
    for (const policy of policies) {
      for (const ref of policy.controls) {
        if (ref.framework !== framework) continue;
        const entry = byControl.get(ref.control) ?? { control: ref.control, policies: [], failedBy: [] };
        entry.policies.push(policy.id);
        if (failing.has(policy.id)) entry.failedBy.push(policy.id);
        byControl.set(ref.control, entry);
      }
    }
    const controls = [...byControl.values()].sort((a, b) =>
      a.control.localeCompare(b.control, "en", { numeric: true }),
    );
    const failed = controls.filter((c) => c.failedBy.length > 0).length;
    return { framework, controls, checked: controls.length, passed: controls.length - failed, failed };
  });
}
