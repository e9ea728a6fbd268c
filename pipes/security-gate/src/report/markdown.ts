/**
 * GateResult → Markdown for people: the PR comment (Bitbucket dialect, no HTML, within Bitbucket's
 * comment size) and the full summary for the artifacts folder (GitHub-flavoured, with <details>).
 * Every text from a tool is escaped; findings never hold secret values (adapters redact them).
 */
import type { Verdict } from "@pipes/core";
import {
  andMore,
  BITBUCKET_COMMENT_LIMIT,
  bulletList,
  collapsible,
  escapeMarkdown,
  fitWithinLimit,
  humanDuration,
  inlineCode,
  limitItems,
  link,
  type MarkdownDialect,
  table,
  truncateText,
  verdictBadge,
} from "@pipes/reports";
import { failsControls } from "../compliance.ts";
import { type ControlRef, type Framework, SEVERITIES } from "../findings.ts";
import type { ControlResult, FrameworkReport, GateFinding, GateResult, ZeroTrustCheck } from "../gate.ts";
import { mostImportantFirst } from "./importance.ts";
import {
  CHECK_LABELS,
  locationLabel,
  reportedBy,
  SCANNER_STATUS_LABELS,
  SEVERITY_LABELS,
  STATUS_LABELS,
} from "./labels.ts";

interface Layout {
  dialect: MarkdownDialect;
  /** Rows of the findings table. */
  maxFindings: number;
  /** Items of any other list: reasons, warnings, failed controls, check details. */
  maxListItems: number;
  /** Characters of a finding's title in the table. */
  maxTitle: number;
}

export interface CommentOptions {
  /** Rows of the top findings table. Default 20. */
  maxFindings?: number;
  /** Characters the comment must stay within. Default: Bitbucket's limit (see BITBUCKET_COMMENT_LIMIT). */
  limit?: number;
}

const REASON_ICONS: Record<Verdict, string> = { PASS: "✅", WARN: "⚠️", FAIL: "❌" };

/** The body of the gate's PR comment. */
export function renderPullRequestComment(result: GateResult, options: CommentOptions = {}): string {
  const layout: Layout = {
    dialect: "bitbucket",
    maxFindings: options.maxFindings ?? 20,
    maxListItems: 10,
    maxTitle: 120,
  };
  const blocks = [
    ...sections(result, layout),
    "_The SARIF, JUnit and full Markdown reports are in this step's artifacts._",
  ];
  return fitWithinLimit(
    blocks,
    options.limit ?? BITBUCKET_COMMENT_LIMIT,
    (omitted) =>
      `${andMore(omitted, omitted === 1 ? "section" : "sections")} in the full report in this step's artifacts.`,
  );
}

/** The full summary written to the artifacts folder. */
export function renderSummary(result: GateResult): string {
  const layout: Layout = { dialect: "github", maxFindings: 500, maxListItems: 200, maxTitle: 300 };
  return `${sections(result, layout).join("\n\n")}\n`;
}

function sections(result: GateResult, layout: Layout): string[] {
  return [
    verdictSection(result, layout),
    countsSection(result),
    findingsSection(result.findings, layout),
    ...(result.checks.length > 0 ? [checksSection(result.checks, layout)] : []),
    ...(result.compliance.length > 0 ? [complianceSection(result.compliance, result.findings, layout)] : []),
    scannersSection(result, layout),
    ...(result.warnings.length > 0 ? [warningsSection(result.warnings, layout)] : []),
  ];
}

function verdictSection(result: GateResult, layout: Layout): string {
  const heading = `## Security gate: ${verdictBadge(result.verdict)}`;
  if (result.reasons.length === 0) return `${heading}\n\nNo findings or checks above the thresholds.`;
  const { shown, hidden } = limitItems(result.reasons, layout.maxListItems);
  const reasons = shown.map((reason) => `${REASON_ICONS[reason.verdict]} ${escapeMarkdown(reason.message)}`);
  if (hidden > 0) reasons.push(andMore(hidden, "reasons"));
  return `${heading}\n\n${bulletList(reasons)}`;
}

function countsSection(result: GateResult): string {
  const counts = table(
    SEVERITIES.map((severity) => SEVERITY_LABELS[severity]),
    [SEVERITIES.map((severity) => String(result.counts[severity]))],
    SEVERITIES.map(() => "right"),
  );
  const byStatus = { blocking: 0, "non-blocking": 0, baseline: 0, suppressed: 0 };
  for (const finding of result.findings) byStatus[finding.status] += 1;
  const statusLine = [
    `${byStatus.blocking} blocking`,
    `${byStatus["non-blocking"]} non-blocking`,
    `${byStatus.baseline} in the baseline`,
    `${byStatus.suppressed} suppressed`,
  ].join(" · ");
  return `### Findings\n\n${counts}\n\n${statusLine}`;
}

function findingsSection(findings: readonly GateFinding[], layout: Layout): string {
  if (findings.length === 0) return "### Top findings\n\nNo findings.";
  const { shown, hidden } = limitItems(mostImportantFirst(findings), layout.maxFindings);
  const rows = shown.map((finding) => {
    const place = locationLabel(finding);
    return [
      STATUS_LABELS[finding.status],
      SEVERITY_LABELS[finding.severity],
      link(finding.ruleId, finding.helpUri),
      place ? inlineCode(place) : "—",
      escapeMarkdown(truncateText(finding.title || finding.message, layout.maxTitle)),
      escapeMarkdown(reportedBy(finding)),
    ];
  });
  const findingsTable = table(["Status", "Severity", "Rule", "Location", "Finding", "Reported by"], rows);
  const more = hidden > 0 ? `\n\n${andMore(hidden, "findings")} in the SARIF report.` : "";
  return `### Top findings\n\n${findingsTable}${more}`;
}

function checksSection(checks: readonly ZeroTrustCheck[], layout: Layout): string {
  const rows = checks.map((check) => [
    escapeMarkdown(check.name),
    CHECK_LABELS[check.status],
    escapeMarkdown(check.message),
  ]);
  const details = checks
    .filter((check) => check.details.length > 0)
    .map((check) =>
      collapsible(
        `${check.name}: details`,
        limitedList(check.details.map(escapeMarkdown), layout, "details"),
        layout.dialect,
      ),
    );
  return ["### Zero-trust checks", table(["Check", "Result", "Message"], rows), ...details].join("\n\n");
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether `list` holds `value`, given that it is sorted. */
function sortedIncludes(list: readonly string[], value: string): boolean {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const item = list[middle] as string;
    if (item === value) return true;
    if (item < value) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

function isSorted(list: readonly string[]): boolean {
  for (let i = 1; i < list.length; i += 1) if ((list[i - 1] as string) > (list[i] as string)) return false;
  return true;
}

/**
 * The rule ids of the findings a failed control lists, in the order of each rule's first finding
 * there. 100,000 findings make over 600,000 (control, finding) pairs, so rather than a lookup per
 * pair: the findings of one rule share their list of controls (controlsFor), which gives each
 * control's rules and each rule's first fingerprint in one pass over the findings. That answer is
 * taken when the control's list is what complianceReport makes of the same findings (sorted, the
 * same count, holding those fingerprints); otherwise the list is looked up finding by finding.
 */
function failedControlRules(
  findings: readonly GateFinding[],
): (framework: Framework, control: ControlResult) => string[] {
  /** Per list of controls: its active findings, and each rule's first (lowest) fingerprint. */
  const byControls = new Map<readonly ControlRef[], { count: number; firsts: Map<string, string> }>();
  for (const finding of findings) {
    if (!failsControls(finding)) continue;
    let group = byControls.get(finding.controls);
    if (group === undefined) {
      group = { count: 0, firsts: new Map() };
      byControls.set(finding.controls, group);
    }
    group.count += 1;
    const first = group.firsts.get(finding.ruleId);
    if (first === undefined || finding.fingerprint < first)
      group.firsts.set(finding.ruleId, finding.fingerprint);
  }
  let byFingerprint: Map<string, GateFinding> | undefined;
  return (framework, control) => {
    const firsts = new Map<string, string>();
    let count = 0;
    for (const [controls, group] of byControls) {
      if (!controls.some((ref) => ref.framework === framework && ref.control === control.control)) continue;
      count += group.count;
      for (const [ruleId, fingerprint] of group.firsts) {
        const known = firsts.get(ruleId);
        if (known === undefined || fingerprint < known) firsts.set(ruleId, fingerprint);
      }
    }
    const listed = control.findings;
    if (
      count === listed.length &&
      isSorted(listed) &&
      [...firsts.values()].every((fingerprint) => sortedIncludes(listed, fingerprint))
    )
      return [...firsts].sort(([, a], [, b]) => compareText(a, b)).map(([ruleId]) => ruleId);
    byFingerprint ??= new Map(findings.map((finding) => [finding.fingerprint, finding]));
    const ruleIds = new Set<string>();
    for (const fingerprint of listed) {
      const ruleId = byFingerprint.get(fingerprint)?.ruleId;
      if (ruleId !== undefined) ruleIds.add(ruleId);
    }
    return [...ruleIds];
  };
}

function complianceSection(
  frameworks: readonly FrameworkReport[],
  findings: readonly GateFinding[],
  layout: Layout,
): string {
  const rows = frameworks.map((framework) => [
    framework.framework,
    framework.gating ? "gating" : "reported",
    String(framework.checked),
    String(framework.passed),
    framework.failed > 0 ? `❌ ${framework.failed}` : "0",
  ]);
  const rulesOf = failedControlRules(findings);
  const failed = frameworks.flatMap((framework) =>
    framework.controls
      .filter((control) => control.status === "failed")
      .map((control) => {
        const title = control.title ? ` ${escapeMarkdown(control.title)}` : "";
        const ruleIds = rulesOf(framework.framework, control);
        const rules = [...ruleIds].map((ruleId) => escapeMarkdown(ruleId));
        const count = `${control.findings.length} ${control.findings.length === 1 ? "finding" : "findings"}`;
        return `**${escapeMarkdown(`${framework.framework} ${control.control}`)}**${title}: ${count}${rules.length > 0 ? ` (${rules.join(", ")})` : ""}`;
      }),
  );
  const blocks = [
    "### Compliance",
    table(["Framework", "Mode", "Checked", "Passed", "Failed"], rows, [
      "left",
      "left",
      "right",
      "right",
      "right",
    ]),
  ];
  if (failed.length > 0)
    blocks.push(
      collapsible(
        `Failed controls (${failed.length})`,
        limitedList(failed, layout, "controls"),
        layout.dialect,
      ),
    );
  return blocks.join("\n\n");
}

function scannersSection(result: GateResult, layout: Layout): string {
  if (result.scanners.length === 0) return "### Scanners\n\nNo scanner ran.";
  const rows = result.scanners.map((scanner) => [
    escapeMarkdown(scanner.tool),
    SCANNER_STATUS_LABELS[scanner.status] +
      (scanner.error ? `: ${escapeMarkdown(truncateText(scanner.error, 200))}` : ""),
    scanner.version ? escapeMarkdown(scanner.version) : "—",
    String(scanner.findings),
    humanDuration(scanner.durationMs),
  ]);
  const scannersTable = table(["Scanner", "Status", "Version", "Findings", "Duration"], rows, [
    "left",
    "left",
    "left",
    "right",
    "right",
  ]);
  return collapsible(`Scanners (${result.scanners.length})`, scannersTable, layout.dialect);
}

function warningsSection(warnings: readonly string[], layout: Layout): string {
  const list = limitedList(warnings.map(escapeMarkdown), layout, "warnings");
  return collapsible(`Warnings (${warnings.length})`, list, layout.dialect);
}

function limitedList(items: readonly string[], layout: Layout, noun: string): string {
  const { shown, hidden } = limitItems(items, layout.maxListItems);
  return bulletList(hidden > 0 ? [...shown, andMore(hidden, noun)] : shown);
}
