/**
 * Checkov's JSON (`-o json`): one object per framework (`check_type`), an array of them when several
 * frameworks ran, or only a summary when nothing was scanned.
 * https://www.checkov.io/2.Basics/Reviewing%20Scan%20Results.html
 */
import { z } from "zod";
import type { FindingCategory } from "../findings.ts";
import { checkovPolicyPage, checkovSeverity } from "../severity.ts";
import { completeFinding, type FindingDraft, locationOf } from "./finding-draft.ts";
import type { ParseContext, ParsedReport } from "./parsed-report.ts";
import { repositoryPath } from "./paths.ts";
import { parseWithSchema } from "./report-json.ts";

const failedCheck = z.looseObject({
  check_id: z.string(),
  check_name: z.string().nullish(),
  file_path: z.string(),
  file_abs_path: z.string().nullish(),
  repo_file_path: z.string().nullish(),
  file_line_range: z.array(z.number()).nullish(),
  resource: z.string().nullish(),
  severity: z.string().nullish(),
  guideline: z.string().nullish(),
});
type FailedCheck = z.infer<typeof failedCheck>;
const summary = z.looseObject({ checkov_version: z.string().optional() });
const block = z.looseObject({
  check_type: z.string().optional(),
  results: z
    .looseObject({
      failed_checks: z.array(failedCheck).nullish(),
      parsing_errors: z.array(z.unknown()).nullish(),
    })
    .optional(),
  summary: summary.optional(),
  // A summary-only report has its counts and checkov_version at the top level.
  checkov_version: z.string().optional(),
});
type Block = z.infer<typeof block>;
const report = z.union([z.array(block), block]);

function categoryOf(checkType: string | undefined, checkId: string): FindingCategory {
  if (checkType === "secrets" || checkId.startsWith("CKV_SECRET")) return "secret";
  if (checkType?.startsWith("sca_")) return "vulnerability";
  return "iac";
}

/**
 * The file's repository path: its absolute path when that is in the clone; else `repo_file_path`, which
 * Checkov writes relative to its working directory with a leading "/" (our adapter runs it at the
 * clone's root); else `file_path`, relative to the scanned folder, also with a leading "/".
 */
function pathOf(check: FailedCheck, context: ParseContext): string {
  const absolute = check.file_abs_path ? repositoryPath(check.file_abs_path, context) : undefined;
  if (absolute !== undefined && !absolute.startsWith("/")) return absolute;
  if (check.repo_file_path)
    return repositoryPath(check.repo_file_path.replace(/^\/+/, ""), { ...context, baseDir: "." });
  return repositoryPath(check.file_path.replace(/^\/+/, ""), context);
}

function draftOf(check: FailedCheck, checkType: string | undefined, context: ParseContext): FindingDraft {
  const title = check.check_name?.trim() || check.check_id;
  // File-scoped frameworks (dockerfile, secrets) name the "resource" after the file ("/Dockerfile."):
  // not a resource address, so it is left out.
  const resource = check.resource && !check.resource.startsWith("/") ? check.resource : undefined;
  const [startLine, endLine] = check.file_line_range ?? [];
  return {
    tool: "checkov",
    ruleId: check.check_id,
    title,
    severity: checkovSeverity(check.check_id, check.severity),
    category: categoryOf(checkType, check.check_id),
    location: locationOf(pathOf(check, context), startLine, endLine),
    resource,
    message: resource ? `${title} (${resource})` : title,
    helpUri: check.guideline ?? checkovPolicyPage(check.check_id),
  };
}

function blockWarnings(checkovBlock: Block, reportName: string): string[] {
  return (checkovBlock.results?.parsing_errors ?? []).map(
    (file) =>
      `${reportName}: Checkov could not parse ${String(file)} (${checkovBlock.check_type ?? "unknown framework"})`,
  );
}

export function parseCheckov(json: unknown, context: ParseContext): ParsedReport {
  const parsed = parseWithSchema(report, json, context.reportName, "Checkov JSON");
  const blocks = Array.isArray(parsed) ? parsed : [parsed];
  const version = blocks
    .map((b) => b.summary?.checkov_version ?? b.checkov_version)
    .find((v) => v !== undefined);
  return {
    tool: "checkov",
    ...(version ? { version } : {}),
    findings: blocks.flatMap((checkovBlock) =>
      (checkovBlock.results?.failed_checks ?? []).map((check) =>
        completeFinding(draftOf(check, checkovBlock.check_type, context), context),
      ),
    ),
    warnings: blocks.flatMap((checkovBlock) => blockWarnings(checkovBlock, context.reportName)),
  };
}
