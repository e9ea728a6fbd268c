/**
 * The decision for people: a summary file (GitHub-flavoured) and the sticky PR comment (Bitbucket
 * Markdown: no HTML), each with the verdict, its reasons, the violations most important first and
 * the compliance coverage table.
 */
import {
  andMore,
  BITBUCKET_COMMENT_LIMIT,
  escapeMarkdown,
  fitWithinLimit,
  inlineCode,
  limitItems,
  type MarkdownDialect,
  table,
  verdictBadge,
} from "@pipes/reports";
import type { GateRun } from "../gate.ts";

const STATUS_LABELS = {
  blocking: "❌ blocking",
  overridden: "⚠️ overridden",
  advisory: "ℹ️ advisory",
  excepted: "⏸ excepted",
};

export function renderMarkdown(run: GateRun, dialect: MarkdownDialect, maxViolations = 50): string {
  const { decision } = run;
  const lines = [`## Policy gate: ${verdictBadge(decision.verdict)}`, ""];
  if (decision.reasons.length === 0) lines.push("No policy violations.", "");
  for (const reason of decision.reasons)
    lines.push(`- **${reason.verdict}** ${escapeMarkdown(reason.message)}`);
  for (const warning of decision.warnings) lines.push(`- ⚠️ ${escapeMarkdown(warning)}`);
  lines.push(
    "",
    `${run.policies.length} policies over ${run.inputs.length} input${run.inputs.length === 1 ? "" : "s"} (${run.engine === "wasm" ? "OPA Wasm" : "OPA"}, ${Math.round(run.evaluationMs)} ms).`,
    "",
  );
  if (decision.violations.length > 0) {
    const { shown, hidden } = limitItems(decision.violations, maxViolations);
    lines.push(
      "### Violations",
      "",
      table(
        ["Status", "Severity", "Policy", "Resource", "Where", "Message"],
        shown.map((v) => [
          STATUS_LABELS[v.status],
          v.severity,
          inlineCode(v.policyId),
          v.resource ? inlineCode(v.resource) : "",
          escapeMarkdown(
            v.location
              ? `${v.location.file}${v.location.startLine ? `:${v.location.startLine}` : ""}`
              : v.input,
          ),
          escapeMarkdown(v.message) +
            (v.exception
              ? ` (exception by ${escapeMarkdown(v.exception.owner)} until ${v.exception.expires.toISOString().slice(0, 10)}: ${escapeMarkdown(v.exception.reason)})`
              : ""),
        ]),
      ),
    );
    if (hidden > 0) lines.push("", andMore(hidden, "violations"));
    lines.push("");
  }
  lines.push(
    "### Compliance coverage",
    "",
    table(
      ["Framework", "Controls checked", "Passed", "Failed", "Failed controls"],
      run.coverage.map((f) => [
        f.framework,
        String(f.checked),
        String(f.passed),
        String(f.failed),
        escapeMarkdown(
          f.controls
            .filter((c) => c.failedBy.length > 0)
            .map((c) => `${c.control} (${c.failedBy.join(", ")})`)
            .join("; "),
        ),
      ]),
      ["left", "right", "right", "right", "left"],
    ),
    "",
  );
  if (dialect === "bitbucket") return fitWithinLimit([lines.join("\n")], BITBUCKET_COMMENT_LIMIT);
  return lines.join("\n");
}
