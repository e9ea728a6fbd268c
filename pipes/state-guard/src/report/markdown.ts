/** summary.md and the PR comment: the verdict, its reasons, and the table of the mode that ran. Bitbucket's Markdown. */
import {
  andMore,
  BITBUCKET_COMMENT_LIMIT,
  bulletList,
  escapeMarkdown,
  fitWithinLimit,
  inlineCode,
  limitItems,
  table,
  verdictBadge,
} from "@pipes/reports";
import type { GuardResult, VersionEntry } from "../result.ts";

const MAX_ROWS = 50;

const shortSha = (sha: string) => inlineCode(sha.slice(0, 12));

function versionsTable(title: string, rows: readonly (VersionEntry & { note?: string })[]): string {
  const { shown, hidden } = limitItems(rows, MAX_ROWS);
  const body = table(
    ["Serial", "Lineage", "Time (UTC)", "Commit", "sha256", "Note"],
    shown.map((v) => [
      String(v.serial),
      inlineCode(v.lineage),
      v.time.replace("T", " ").replace(/\.\d+Z$/, "Z"),
      v.commit ? inlineCode(v.commit.slice(0, 12)) : "—",
      shortSha(v.sha256),
      escapeMarkdown(v.note ?? ""),
    ]),
    ["right"],
  );
  return `### ${title}\n\n${body}${hidden ? `\n\n${andMore(hidden, "versions")}` : ""}`;
}

export function renderSummary(result: GuardResult): string {
  const blocks: string[] = [
    `## ${verdictBadge(result.verdict)} State guard (${result.mode}): ${result.verdict}\n\nStore: ${inlineCode(result.store)}`,
  ];
  if (result.reasons.length)
    blocks.push(
      `### Why\n\n${bulletList(result.reasons.map((r) => `**${r.verdict}** ${escapeMarkdown(r.message)}${r.suggestion ? ` — ${escapeMarkdown(r.suggestion)}` : ""}`))}`,
    );
  if (result.backup)
    blocks.push(versionsTable("Backup", [{ ...result.backup.version, note: result.backup.status }]));
  if (result.restore)
    blocks.push(
      versionsTable("Restored", [
        {
          ...result.restore.version,
          note:
            result.restore.target === "file"
              ? `to ${result.restore.file}`
              : `pushed back as serial ${result.restore.serialAfter}`,
        },
      ]),
    );
  if (result.retention) {
    const r = result.retention;
    blocks.push(
      versionsTable(
        r.dryRun ? "Retention (dry run): would remove" : "Retention: removed",
        r.remove.map((v) => ({ ...v, note: v.reason })),
      ),
      versionsTable(
        "Retention: kept",
        r.keep.map((v) => ({ ...v, note: v.reasons.join(", ") })),
      ),
    );
  }
  if (result.versions) blocks.push(versionsTable("Versions (oldest first)", result.versions));
  if (result.audit) {
    const a = result.audit;
    blocks.push(
      `### Audit\n\n${a.ok} of ${a.checked} objects intact.\n\n${table(
        ["Lineage", "Versions", "Newest serial"],
        a.lineages.map((l) => [inlineCode(l.lineage), String(l.versions), String(l.newestSerial)]),
        ["left", "right", "right"],
      )}`,
    );
    if (a.problems.length)
      blocks.push(
        `### Problems\n\n${table(
          ["Object", "Problem", "Detail"],
          a.problems.map((p) => [inlineCode(p.key), p.code, escapeMarkdown(p.message)]),
        )}`,
      );
  }
  if (result.locks)
    blocks.push(
      `### Locks\n\n${
        result.locks.length
          ? table(
              ["Backend", "Lock id", "Holder", "Operation", "Age", "Stale"],
              result.locks.map((l) => [
                l.backend,
                inlineCode(l.id),
                escapeMarkdown(l.who ?? "—"),
                escapeMarkdown(l.operation ?? "—"),
                l.ageSeconds === null ? "unknown" : `${Math.round(l.ageSeconds / 60)} min`,
                l.stale ? "**yes**" : "no",
              ]),
            )
          : "No lock is held."
      }`,
    );
  for (const target of result.drift ?? []) {
    const rows = target.drifted.flatMap((r) =>
      r.attributes.length
        ? r.attributes.map((a) => [
            inlineCode(r.address),
            r.action,
            inlineCode(a.path),
            a.sensitive ? "(sensitive)" : inlineCode(JSON.stringify(a.before) ?? "null"),
            a.sensitive ? "(sensitive)" : inlineCode(JSON.stringify(a.after) ?? "null"),
          ])
        : [[inlineCode(r.address), r.action, "—", "—", "—"]],
    );
    const remediation = `Remediation: ${target.remediation.mode}${target.remediation.applied ? `, applied (${target.remediation.remaining ?? "?"} drifted after)` : ""}.`;
    blocks.push(
      `### Drift: ${escapeMarkdown(target.target)}\n\n${rows.length ? table(["Resource", "Change", "Attribute", "In state", "Real"], rows.slice(0, MAX_ROWS)) : "No drift."}\n\n${remediation}`,
    );
  }
  return fitWithinLimit(blocks, BITBUCKET_COMMENT_LIMIT);
}
