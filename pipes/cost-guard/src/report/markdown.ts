/**
 * The PR comment and summary.md: cost diff per project and tenant, the budget verdict with its
 * reasons, who may approve and how, anomalies and suggestions. Bitbucket's Markdown dialect.
 */
import {
  BITBUCKET_COMMENT_LIMIT,
  bulletList,
  escapeMarkdown,
  fitWithinLimit,
  table,
  verdictBadge,
} from "@pipes/reports";
import type { CostResult } from "../decision.ts";
import { formatDelta, formatMoney, sumMoney } from "../money.ts";
import { UNTAGGED } from "./chargeback.ts";

export function renderPullRequestComment(result: CostResult): string {
  const c = result.currency;
  const m = (d: Parameters<typeof formatMoney>[0]) => formatMoney(d, c);
  const blocks: string[] = [];
  blocks.push(
    `## ${verdictBadge(result.verdict)} Cost guard: ${result.verdict}\n\nMonthly cost ${m(result.total.past)} → ${m(result.total.current)} (${formatDelta(result.total.delta, c)}).`,
  );
  if (result.reasons.length)
    blocks.push(
      `### Why\n\n${bulletList(result.reasons.map((r) => `**${r.verdict}** ${escapeMarkdown(r.message)}`))}`,
    );
  if (result.approval) {
    const a = result.approval;
    const lines = [
      `${a.approvedBy.length} of ${a.required} approval${a.required === 1 ? "" : "s"}${a.approvedBy.length ? `: ${a.approvedBy.map(escapeMarkdown).join(", ")}` : ""}.`,
      a.allowed.length
        ? `Who may approve: ${a.allowed.map(escapeMarkdown).join(", ")}.`
        : "Who may approve: anyone with write access.",
      ...a.how.map((h) => `How: ${escapeMarkdown(h)}.`),
      ...a.ignored.map((i) => `Not counted: ${escapeMarkdown(i)}.`),
    ];
    blocks.push(`### Approval\n\n${bulletList(lines)}`);
  }
  blocks.push(
    `### Per project\n\n${table(
      ["Project", "Environment", "Before", "After", "Change"],
      result.projects.map((p) => [
        p.project,
        p.environment ?? "—",
        m(p.past),
        m(p.current),
        formatDelta(p.delta, c),
      ]),
      ["left", "left", "right", "right", "right"],
    )}`,
  );
  if (result.tenants.some((t) => t.tenant !== undefined))
    blocks.push(
      `### Per tenant\n\n${table(
        ["Tenant", "Before", "After", "Change", "Of which shared"],
        result.tenants.map((t) => [
          t.tenant ?? UNTAGGED,
          m(t.past),
          m(t.current),
          formatDelta(t.delta, c),
          m(t.shared),
        ]),
        ["left", "right", "right", "right", "right"],
      )}`,
    );
  if (result.budgets.length)
    blocks.push(
      `### Budgets\n\n${table(
        ["Budget", "Monthly", "Change", "Result"],
        result.budgets.map((b) => [b.budget, m(b.cost.current), formatDelta(b.cost.delta, c), b.action]),
      )}`,
    );
  const anomalies = result.anomalies.filter((a) => a.anomaly);
  if (anomalies.length)
    blocks.push(
      `### Anomalies\n\n${bulletList(anomalies.map((a) => `${escapeMarkdown(a.project)}: ${escapeMarkdown(a.explanation)}`))}`,
    );
  if (result.suggestions.length) {
    const saving = sumMoney(result.suggestions.map((s) => s.monthlySaving ?? null));
    blocks.push(
      `### Savings (estimates, up to ${m(saving)} a month)\n\n${table(
        ["Project", "Resource", "Suggestion", "Saving / month"],
        result.suggestions.map((s) => [
          s.project,
          s.address,
          s.message,
          s.monthlySaving ? m(s.monthlySaving) : "—",
        ]),
      )}`,
    );
  }
  return fitWithinLimit(blocks, BITBUCKET_COMMENT_LIMIT);
}
