/**
 * The reviewer's view: one table row per target (cloud, environment, what changes, guard,
 * validation), then per target a collapsible section with the replaced and deleted resources and the
 * validation problems. No value of a resource is shown: only addresses, reasons and attribute paths.
 */
import {
  andMore,
  BITBUCKET_COMMENT_LIMIT,
  bulletList,
  collapsible,
  escapeMarkdown,
  fitWithinLimit,
  inlineCode,
  limitItems,
  type MarkdownDialect,
  table,
  verdictBadge,
} from "@pipes/reports";
import { countsText, emptyCounts } from "@pipes/terraform";
import type { RunResult, TargetOutcome } from "../result.ts";

const GUARD_TEXT = { none: "—", allowed: "⚠️ allowed", blocked: "❌ blocked" } as const;

function changesCell(outcome: TargetOutcome): string {
  if (outcome.status === "failed") return `❌ ${escapeMarkdown(outcome.error ?? "failed")}`;
  return escapeMarkdown(countsText(outcome.counts ?? emptyCounts()));
}

function validationCell(outcome: TargetOutcome): string {
  const problems = outcome.validation?.length ?? 0;
  return problems === 0 ? "✅" : `${problems} problem${problems === 1 ? "" : "s"}`;
}

function details(outcome: TargetOutcome): string {
  const lines: string[] = [];
  const replaced = outcome.replaced ?? [];
  if (replaced.length > 0) {
    const { shown, hidden } = limitItems(replaced, 50);
    lines.push(
      "**Replaced**",
      bulletList([
        ...shown.map(
          (r) =>
            `${inlineCode(r.address)}${r.reason ? ` — ${escapeMarkdown(r.reason)}` : ""}${r.paths?.length ? ` (forced by ${r.paths.map(inlineCode).join(", ")})` : ""}`,
        ),
        ...(hidden ? [andMore(hidden, "resources")] : []),
      ]),
    );
  }
  const deleted = outcome.deleted ?? [];
  if (deleted.length > 0) {
    const { shown, hidden } = limitItems(deleted, 50);
    lines.push(
      "**Deleted**",
      bulletList([...shown.map(inlineCode), ...(hidden ? [andMore(hidden, "resources")] : [])]),
    );
  }
  if (outcome.guard && outcome.guard.status !== "none")
    lines.push(`**Destructive-change guard:** ${escapeMarkdown(outcome.guard.reason)}`);
  const problems = outcome.validation ?? [];
  if (problems.length > 0) {
    const { shown, hidden } = limitItems(problems, 50);
    lines.push(
      "**Validation**",
      bulletList([
        ...shown.map(
          (p) => `${escapeMarkdown(p.check)}: ${inlineCode(p.address)} ${escapeMarkdown(p.message)}`,
        ),
        ...(hidden ? [andMore(hidden, "problems")] : []),
      ]),
    );
  }
  const providers = Object.entries(outcome.byProvider ?? {});
  if (providers.length > 0)
    lines.push(
      table(
        ["Provider", "Changes"],
        providers.map(([name, counts]) => [inlineCode(name), escapeMarkdown(countsText(counts))]),
      ),
    );
  return lines.length > 0 ? lines.join("\n\n") : "Nothing to review.";
}

export function renderMarkdown(result: RunResult, dialect: MarkdownDialect): string {
  const title = `## Multi-cloud ${result.mode} ${verdictBadge(result.verdict)}`;
  const intro = `${escapeMarkdown(result.summary)}\n\n${result.binary}; targets from ${escapeMarkdown(result.source)} (${escapeMarkdown(result.rule)}).`;
  const overview = table(
    ["Target", "Cloud", "Environment", "Changes", "Guard", "Validation"],
    result.targets.map((o) => [
      inlineCode(o.target.name),
      o.target.provider,
      escapeMarkdown(o.target.environment),
      changesCell(o),
      GUARD_TEXT[o.guard?.status ?? "none"],
      validationCell(o),
    ]),
  );
  const sections = result.targets.map((o) => collapsible(`${o.target.name}: details`, details(o), dialect));
  return fitWithinLimit([title, intro, overview, ...sections], BITBUCKET_COMMENT_LIMIT);
}
