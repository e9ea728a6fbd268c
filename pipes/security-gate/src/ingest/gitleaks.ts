/**
 * gitleaks v8's JSON report (`--report-format json`): an array of findings, each with the secret in
 * `Secret` and the matched text in `Match`. Neither is ever copied into a finding: the secret goes
 * into the fingerprint as a digest, and is then dropped.
 */
import { z } from "zod";
import { completeFinding, type FindingDraft, locationOf } from "./finding-draft.ts";
import type { ParseContext, ParsedReport } from "./parsed-report.ts";
import { repositoryPath } from "./paths.ts";
import { parseWithSchema } from "./report-json.ts";

const leak = z.looseObject({
  RuleID: z.string(),
  Description: z.string().optional(),
  File: z.string(),
  StartLine: z.number().optional(),
  EndLine: z.number().optional(),
  Secret: z.string().optional(),
  Commit: z.string().optional(),
});
type Leak = z.infer<typeof leak>;
const report = z.array(leak);

/**
 * gitleaks gives no severity: every finding is a credential in the code or its history, usable by
 * anyone who can read the repository until it is rotated. HIGH, so the default gate blocks on it.
 */
export const GITLEAKS_SEVERITY = "HIGH";

function draftOf(item: Leak, context: ParseContext): FindingDraft {
  const title = item.Description?.trim() || item.RuleID;
  const commit = item.Commit
    ? ` It is in commit ${item.Commit.slice(0, 12)}: rotate it even if a later commit removed it.`
    : "";
  return {
    tool: "gitleaks",
    ruleId: item.RuleID,
    title,
    severity: GITLEAKS_SEVERITY,
    category: "secret",
    location: locationOf(repositoryPath(item.File, context), item.StartLine, item.EndLine),
    message: `${/[.!?]$/.test(title) ? title : `${title}.`} The value is not shown.${commit}`,
    // "REDACTED" when gitleaks ran with --redact: no value to fingerprint.
    secret: item.Secret && item.Secret !== "REDACTED" ? item.Secret : undefined,
  };
}

export function parseGitleaks(json: unknown, context: ParseContext): ParsedReport {
  const leaks = parseWithSchema(report, json, context.reportName, "gitleaks JSON");
  return {
    tool: "gitleaks",
    findings: leaks.map((item) => completeFinding(draftOf(item, context), context)),
    warnings: [],
  };
}
