/**
 * Semgrep's JSON (`--json`): `results` and the `errors` it met on the way.
 * https://semgrep.dev/docs/semgrep-appsec-platform/json-and-sarif
 */
import { z } from "zod";
import type { Severity } from "../findings.ts";
import { severityFromName } from "../severity.ts";
import { completeFinding, type FindingDraft, locationOf } from "./finding-draft.ts";
import type { ParseContext, ParsedReport } from "./parsed-report.ts";
import { repositoryPath } from "./paths.ts";
import { parseWithSchema } from "./report-json.ts";

const position = z.looseObject({ line: z.number() });
const stringOrList = z.union([z.string(), z.array(z.unknown())]);
const result = z.looseObject({
  check_id: z.string(),
  path: z.string(),
  start: position,
  end: position,
  extra: z.looseObject({
    message: z.string().optional(),
    severity: z.string().optional(),
    is_ignored: z.boolean().optional(),
    metadata: z
      .looseObject({
        source: z.string().optional(),
        "source-rule-url": stringOrList.optional(),
        references: stringOrList.optional(),
      })
      .optional(),
  }),
});
type Result = z.infer<typeof result>;
const semgrepError = z.looseObject({
  type: z.unknown().optional(),
  level: z.string().optional(),
  message: z.string().optional(),
  path: z.string().optional(),
});
const report = z.looseObject({
  version: z.string().optional(),
  results: z.array(result),
  errors: z.array(semgrepError).optional(),
});

/**
 * Semgrep rule severities: ERROR, WARNING, INFO (High, Medium, Low in Semgrep's own UI:
 * https://semgrep.dev/docs/kb/rules/understand-severities), and CRITICAL/HIGH/MEDIUM/LOW in newer rules.
 * EXPERIMENT and INVENTORY rules are not findings of a vulnerability.
 */
export function semgrepSeverity(level: string | undefined): Severity {
  const word = (level ?? "").toUpperCase();
  const byLevel: Record<string, Severity> = {
    ERROR: "HIGH",
    WARNING: "MEDIUM",
    INFO: "LOW",
    EXPERIMENT: "INFO",
    INVENTORY: "INFO",
  };
  return byLevel[word] ?? severityFromName(word) ?? "MEDIUM";
}

function firstLink(value: string | unknown[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value.find((item) => typeof item === "string") : value;
  return typeof first === "string" && /^https?:\/\//.test(first) ? first : undefined;
}

function draftOf(item: Result, context: ParseContext): FindingDraft {
  const metadata = item.extra.metadata;
  // Registry rule ids are dotted paths (python.lang.security...md5); the last part reads as a title.
  const title = item.check_id.split(".").pop() || item.check_id;
  return {
    tool: "semgrep",
    ruleId: item.check_id,
    title,
    severity: semgrepSeverity(item.extra.severity),
    category: "code",
    location: locationOf(repositoryPath(item.path, context), item.start.line, item.end.line),
    message: item.extra.message?.trim() || title,
    helpUri: metadata?.source ?? firstLink(metadata?.["source-rule-url"]) ?? firstLink(metadata?.references),
  };
}

function errorText(error: z.infer<typeof semgrepError>): string {
  const kind = Array.isArray(error.type)
    ? String(error.type[0])
    : typeof error.type === "string"
      ? error.type
      : "error";
  const where = error.path ? ` in ${error.path}` : "";
  // Rule errors quote the whole pattern after "----- pattern -----": the first part says what is wrong.
  const message = (error.message ?? "").split("-----")[0]?.replace(/\s+/g, " ").trim().slice(0, 300) ?? "";
  return `${kind}${where}${message ? `: ${message}` : ""}`;
}

export function parseSemgrep(json: unknown, context: ParseContext): ParsedReport {
  const parsed = parseWithSchema(report, json, context.reportName, "Semgrep JSON");
  return {
    tool: "semgrep",
    ...(parsed.version ? { version: parsed.version } : {}),
    // is_ignored: silenced in the code with a nosemgrep comment.
    findings: parsed.results
      .filter((item) => item.extra.is_ignored !== true)
      .map((item) => completeFinding(draftOf(item, context), context)),
    warnings: (parsed.errors ?? []).map(
      (error) => `${context.reportName}: Semgrep ${error.level ?? "error"}: ${errorText(error)}`,
    ),
  };
}
