/**
 * Markdown building blocks for reports people read: PR comments and the summaries in the artifacts.
 * Every piece of text from a tool goes through `escapeMarkdown` or `inlineCode`, so a finding can
 * neither format the comment nor inject HTML or links.
 *
 * Bitbucket renders no raw HTML in comments: Data Center escapes every tag
 * (https://confluence.atlassian.com/bitbucketserver/markdown-syntax-guide-776639995.html) and Cloud
 * does the same (https://support.atlassian.com/bitbucket-cloud/docs/markup-comments/), so the
 * "bitbucket" dialect turns a collapsible section into a bold title and its body.
 */
import type { Verdict } from "@pipes/core";
import { webLink } from "./links.ts";
import { printableText, truncateText } from "./text.ts";

/**
 * The size a Bitbucket PR comment must stay under. Bitbucket does not document one; Data Center
 * rejects 32,768 characters and more ("Please enter a non-empty value less than 32768 characters"),
 * and Cloud fails large comments with a bare 400. 32,000 leaves room for what a client adds.
 */
export const BITBUCKET_COMMENT_LIMIT = 32_000;

/** "github": GitHub-flavoured Markdown with HTML (<details>); "bitbucket": no HTML. */
export type MarkdownDialect = "github" | "bitbucket";

export type ColumnAlign = "left" | "right" | "center";

const VERDICT_BADGES: Record<Verdict, string> = { PASS: "✅ PASS", WARN: "⚠️ WARN", FAIL: "❌ FAIL" };

/** The verdict as text with its emoji: "✅ PASS", "⚠️ WARN", "❌ FAIL". */
export function verdictBadge(verdict: Verdict): string {
  return VERDICT_BADGES[verdict];
}

/**
 * Inline text, escaped: one line, Markdown punctuation backslash-escaped (CommonMark §2.4), HTML
 * special characters as entities (which every renderer decodes, unlike "\<"), and "@name" broken up
 * so a finding never mentions (and notifies) anyone.
 */
export function escapeMarkdown(text: string): string {
  return printableText(text)
    .replace(/\s*[\r\n]+\s*/g, " ")
    .replace(/&(?=#?\w+;)/g, "&amp;")
    .replace(/[\\`*_[\]|]/g, "\\$&")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replace(/(^|\s)@/g, "$1&#64;");
}

/** Text as a code span, fenced with more backticks than it contains (CommonMark §6.1). */
export function inlineCode(text: string): string {
  const oneLine = printableText(text).replace(/\s*[\r\n]+\s*/g, " ");
  const longestRun = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const padded = oneLine.startsWith("`") || oneLine.endsWith("`") ? ` ${oneLine} ` : oneLine;
  return `${fence}${padded}${fence}`;
}

/** A link when `url` is an http(s) URL, else the escaped text alone. */
export function link(text: string, url: string | undefined): string {
  const href = webLink(url);
  if (!href) return escapeMarkdown(text);
  // Characters that would end the link destination or the table cell (encodeURIComponent keeps "(" and ")").
  const target = href.replace(
    /[()|<>\s]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `[${escapeMarkdown(text)}](${target})`;
}

/**
 * A table (GitHub and Bitbucket both render pipe tables). Cells are Markdown built with the helpers
 * above; a line break or an unescaped "|" in a cell would end the cell, so both are neutralised.
 */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ColumnAlign[] = [],
): string {
  const line = (cells: readonly string[]) => `| ${cells.map(tableCell).join(" | ")} |`;
  const separator = headers.map((_, index) => {
    const side = align[index] ?? "left";
    return side === "right" ? "---:" : side === "center" ? ":---:" : "---";
  });
  return [line(headers), `| ${separator.join(" | ")} |`, ...rows.map(line)].join("\n");
}

function tableCell(cell: string): string {
  const flat = cell.replace(/\s*[\r\n]+\s*/g, " ").replace(/(?<!\\)\|/g, "\\|");
  return flat === "" ? " " : flat;
}

export function bulletList(items: readonly string[]): string {
  return items.map((item) => `- ${item}`).join("\n");
}

/**
 * A section readers open when they want it: <details> in GitHub-flavoured Markdown; a bold title
 * over the body for Bitbucket, which shows HTML tags as text. `summary` is plain text.
 */
export function collapsible(summary: string, body: string, dialect: MarkdownDialect): string {
  if (dialect === "bitbucket") return `**${escapeMarkdown(summary)}**\n\n${body}`;
  const title = printableText(summary).replace(/\s+/g, " ").replaceAll("&", "&amp;").replaceAll("<", "&lt;");
  return `<details>\n<summary>${title}</summary>\n\n${body}\n\n</details>`;
}

/** The first `max` items and how many were left out, for "… and N more". */
export function limitItems<T>(items: readonly T[], max: number): { shown: T[]; hidden: number } {
  const shown = items.slice(0, Math.max(0, max));
  return { shown, hidden: items.length - shown.length };
}

/** "… and 12 more findings" */
export function andMore(hidden: number, noun: string): string {
  return `… and ${hidden} more ${noun}`;
}

const BLOCK_SEPARATOR = "\n\n";

/**
 * Joins blocks with blank lines, keeping whole blocks while the text stays within `limit`
 * characters; what does not fit is replaced by one line saying how many blocks were left out. A
 * first block longer than the limit is cut at a line break.
 */
export function fitWithinLimit(
  blocks: readonly string[],
  limit: number,
  overflowNote: (omittedBlocks: number) => string = (omitted) =>
    `${andMore(omitted, omitted === 1 ? "section" : "sections")}, left out to fit the size limit.`,
): string {
  const whole = blocks.join(BLOCK_SEPARATOR);
  if (whole.length <= limit) return whole;
  const note = (omitted: number) => `_${escapeMarkdown(overflowNote(omitted))}_`;
  const reserve = BLOCK_SEPARATOR.length + note(blocks.length).length;
  const kept: string[] = [];
  let used = 0;
  for (const block of blocks) {
    const cost = (kept.length > 0 ? BLOCK_SEPARATOR.length : 0) + block.length;
    if (used + cost + reserve > limit) {
      if (kept.length === 0) kept.push(cutAtLine(block, limit - reserve));
      break;
    }
    kept.push(block);
    used += cost;
  }
  const omitted = blocks.length - kept.length;
  return truncateText([...kept, note(omitted)].join(BLOCK_SEPARATOR), limit);
}

function cutAtLine(block: string, max: number): string {
  const lines: string[] = [];
  let used = 0;
  for (const line of block.split("\n")) {
    const cost = (lines.length > 0 ? 1 : 0) + line.length;
    if (used + cost > max) break;
    lines.push(line);
    used += cost;
  }
  return lines.length > 0 ? lines.join("\n") : truncateText(block, max);
}
