/**
 * tfsec's JSON (`--format json`, v1): `results`, null when nothing failed. tfsec is now part of Trivy;
 * its reports are still common in older pipelines.
 */
import { z } from "zod";
import { severityFromName } from "../severity.ts";
import { completeFinding, type FindingDraft, locationOf } from "./finding-draft.ts";
import type { ParseContext, ParsedReport } from "./parsed-report.ts";
import { repositoryPath } from "./paths.ts";
import { parseWithSchema } from "./report-json.ts";

const result = z.looseObject({
  rule_id: z.string(),
  long_id: z.string().optional(),
  rule_description: z.string().optional(),
  description: z.string().optional(),
  severity: z.string(),
  status: z.union([z.string(), z.number()]).optional(),
  resource: z.string().optional(),
  links: z.array(z.string()).nullish(),
  location: z.looseObject({
    filename: z.string(),
    start_line: z.number().optional(),
    end_line: z.number().optional(),
  }),
});
type Result = z.infer<typeof result>;
const report = z.looseObject({ results: z.array(result).nullable() });

/** Older tfsec v1 reports have no `resource`; the description starts "Resource 'module.x:aws_y.z' ...". */
function resourceOf(item: Result): string | undefined {
  return item.resource || /^Resource '([^']+)'/.exec(item.description ?? "")?.[1];
}

/** tfsec writes status "passed"/"failed" (or 0/1) only with --include-passed; no status is a failure. */
function failed(item: Result): boolean {
  return item.status === undefined || item.status === "failed" || item.status === 1;
}

function draftOf(item: Result, context: ParseContext): FindingDraft {
  const title = item.rule_description?.trim() || item.rule_id;
  return {
    tool: "tfsec",
    ruleId: item.rule_id,
    title,
    severity: severityFromName(item.severity) ?? "MEDIUM",
    category: "iac",
    location: locationOf(
      repositoryPath(item.location.filename, context),
      item.location.start_line,
      item.location.end_line,
    ),
    resource: resourceOf(item),
    message: item.description?.trim() || title,
    helpUri: item.links?.[0],
  };
}

export function parseTfsec(json: unknown, context: ParseContext): ParsedReport {
  const parsed = parseWithSchema(report, json, context.reportName, "tfsec JSON");
  return {
    tool: "tfsec",
    findings: (parsed.results ?? [])
      .filter(failed)
      .map((item) => completeFinding(draftOf(item, context), context)),
    warnings: [],
  };
}
