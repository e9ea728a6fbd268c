/**
 * SARIF 2.1.0 from any tool (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html). The
 * standard leaves room, and each tool fills it its own way; the quirks handled here are noted where
 * they are handled.
 */
import { InputError } from "@pipes/core";
import { z } from "zod";
import type { FindingCategory, Severity } from "../findings.ts";
import {
  checkovPolicyPage,
  checkovSeverity,
  SARIF_LEVELS,
  type SarifLevel,
  severityFromName,
  severityFromSarifLevel,
  severityFromScore,
} from "../severity.ts";
import { completeFinding, type FindingDraft, locationOf } from "./finding-draft.ts";
import type { ParseContext, ParsedReport } from "./parsed-report.ts";
import { pathFromUri, repositoryPath } from "./paths.ts";
import { schemaError } from "./report-json.ts";
import { canonicalToolName, toolFromFileName } from "./tool-names.ts";

const text = z.looseObject({ text: z.string().optional(), markdown: z.string().optional() });
const message = text.extend({ id: z.string().optional(), arguments: z.array(z.string()).optional() });
const propertyBag = z.looseObject({
  "security-severity": z.union([z.string(), z.number()]).optional(),
  tags: z.array(z.unknown()).optional(),
});
const rule = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  shortDescription: text.optional(),
  fullDescription: text.optional(),
  helpUri: z.string().optional(),
  defaultConfiguration: z.looseObject({ level: z.enum(SARIF_LEVELS).optional() }).optional(),
  properties: propertyBag.optional(),
  messageStrings: z.record(z.string(), text).optional(),
});
type Rule = z.infer<typeof rule>;
const artifactLocation = z.looseObject({
  uri: z.string().optional(),
  uriBaseId: z.string().optional(),
  index: z.number().optional(),
});
type ArtifactLocation = z.infer<typeof artifactLocation>;
// A result is checked as a plain (stripping) object: 100,000 of them are checked one by one, and
// copying each one's other fields (Semgrep's code flows) would cost more than the check; nothing
// here reads a field the schema does not name.
const result = z.object({
  ruleId: z.string().optional(),
  ruleIndex: z.number().optional(),
  rule: z.object({ id: z.string().optional(), index: z.number().optional() }).optional(),
  level: z.enum(SARIF_LEVELS).optional(),
  kind: z.string().optional(),
  message: z.object({
    text: z.string().optional(),
    markdown: z.string().optional(),
    id: z.string().optional(),
    arguments: z.array(z.string()).optional(),
  }),
  locations: z
    .array(
      z.object({
        physicalLocation: z
          .object({
            artifactLocation: z
              .object({
                uri: z.string().optional(),
                uriBaseId: z.string().optional(),
                index: z.number().optional(),
              })
              .optional(),
            region: z
              .object({
                startLine: z.number().optional(),
                endLine: z.number().optional(),
                snippet: z.object({ text: z.string().optional() }).optional(),
              })
              .optional(),
          })
          .optional(),
      }),
    )
    .optional(),
  suppressions: z.array(z.object({ status: z.string().optional() })).optional(),
  baselineState: z.string().optional(),
  properties: z
    .object({
      "security-severity": z.union([z.string(), z.number()]).optional(),
      tags: z.array(z.unknown()).optional(),
    })
    .optional(),
});
type Result = z.infer<typeof result>;

/**
 * The `result` schema written out by hand, for the common case: true only for a value that
 * `result` accepts as it is (a result's fields are never transformed). It may refuse more than the
 * schema does; the schema then decides, and names the first issue. 100,000 results go through
 * here, and zod's safeParse of each one was a sixth of the ingest.
 */
function isResultAsIs(value: unknown): value is Result {
  if (!isObject(value)) return false;
  const {
    ruleId,
    ruleIndex,
    rule,
    level,
    kind,
    message,
    locations,
    suppressions,
    baselineState,
    properties,
  } = value as Record<string, unknown>;
  if (!optionalString(ruleId) || !optionalNumber(ruleIndex) || !optionalString(kind)) return false;
  if (!optionalString(baselineState)) return false;
  if (level !== undefined && level !== "error" && level !== "warning" && level !== "note" && level !== "none")
    return false;
  if (rule !== undefined && !(isObject(rule) && optionalString(rule.id) && optionalNumber(rule.index)))
    return false;
  if (!isObject(message) || !optionalString(message.text) || !optionalString(message.markdown)) return false;
  if (!optionalString(message.id)) return false;
  if (
    message.arguments !== undefined &&
    !(Array.isArray(message.arguments) && message.arguments.every(isString))
  )
    return false;
  if (locations !== undefined && !(Array.isArray(locations) && locations.every(isLocationAsIs))) return false;
  if (
    suppressions !== undefined &&
    !(Array.isArray(suppressions) && suppressions.every((s) => isObject(s) && optionalString(s.status)))
  )
    return false;
  if (properties === undefined) return true;
  if (!isObject(properties)) return false;
  const score = properties["security-severity"];
  if (score !== undefined && typeof score !== "string" && !Number.isFinite(score)) return false;
  return properties.tags === undefined || Array.isArray(properties.tags);
}

/** The result with only the fields the schema names (their values as they are). */
function readFieldsOf(value: Result): Result {
  const kept: Record<string, unknown> = {};
  for (const key of RESULT_FIELDS) if (value[key] !== undefined) kept[key] = value[key];
  return kept as Result;
}
const RESULT_FIELDS = Object.keys(result.shape) as (keyof Result)[];

function isLocationAsIs(location: unknown): boolean {
  if (!isObject(location)) return false;
  const physical = location.physicalLocation;
  if (physical === undefined) return true;
  if (!isObject(physical)) return false;
  const { artifactLocation: artifact, region } = physical;
  if (
    artifact !== undefined &&
    !(
      isObject(artifact) &&
      optionalString(artifact.uri) &&
      optionalString(artifact.uriBaseId) &&
      optionalNumber(artifact.index)
    )
  )
    return false;
  if (region === undefined) return true;
  if (!isObject(region) || !optionalNumber(region.startLine) || !optionalNumber(region.endLine)) return false;
  return region.snippet === undefined || (isObject(region.snippet) && optionalString(region.snippet.text));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function isString(value: unknown): value is string {
  return typeof value === "string";
}
function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === "string";
}
function optionalNumber(value: unknown): boolean {
  return value === undefined || Number.isFinite(value);
}
const run = z.looseObject({
  // Required by the spec, but Checkov's OpenAPI runner writes runs without it (checkov-openapi.sarif).
  tool: z
    .looseObject({
      driver: z.looseObject({
        name: z.string(),
        version: z.string().optional(),
        semanticVersion: z.string().optional(),
        rules: z.array(rule).optional(),
      }),
      extensions: z.array(z.looseObject({ rules: z.array(rule).optional() })).optional(),
    })
    .optional(),
  // Only the array: each result is checked as it is read (readSarifLog), so a file's results can be
  // streamed one at a time instead of validated as one document.
  results: z.array(z.unknown()).nullable().optional(),
  originalUriBaseIds: z
    .record(z.string(), z.looseObject({ uri: z.string().optional(), uriBaseId: z.string().optional() }))
    .optional(),
  artifacts: z.array(z.looseObject({ location: artifactLocation.optional() })).optional(),
  invocations: z
    .array(
      z.looseObject({
        executionSuccessful: z.boolean().optional(),
        toolExecutionNotifications: z
          .array(z.looseObject({ level: z.string().optional(), message: message.optional() }))
          .optional(),
      }),
    )
    .optional(),
});
type Run = z.infer<typeof run>;
const sarifLog = z.looseObject({ version: z.string(), runs: z.array(run) });

/**
 * The tool of a run: its driver's name; for a run without one, Checkov when every rule id is a Checkov
 * id (CKV_/CKV2_), else a tool named in the file name ("checkov-openapi.sarif"), else "unknown".
 */
function toolOfRun(sarifRun: Run, results: readonly Result[], reportName: string): string {
  if (sarifRun.tool) return canonicalToolName(sarifRun.tool.driver.name);
  const ruleIds = results.map((r) => r.ruleId ?? r.rule?.id ?? "");
  if (ruleIds.length > 0 && ruleIds.every((id) => /^CKV2?_/.test(id))) return "checkov";
  return toolFromFileName(reportName) ?? "unknown";
}

function rulesOf(sarifRun: Run): Rule[] {
  return [
    ...(sarifRun.tool?.driver.rules ?? []),
    ...(sarifRun.tool?.extensions ?? []).flatMap((e) => e.rules ?? []),
  ];
}

/** A result's rule: by index into the driver's rules (§3.27.6), else by id. */
function ruleOf(
  sarifResult: Result,
  rules: readonly Rule[],
  byId: ReadonlyMap<string, Rule>,
): Rule | undefined {
  const index = sarifResult.rule?.index ?? sarifResult.ruleIndex;
  const ruleId = sarifResult.ruleId ?? sarifResult.rule?.id;
  const indexed = index === undefined ? undefined : rules[index];
  if (indexed && (ruleId === undefined || indexed.id === ruleId)) return indexed;
  return ruleId === undefined ? undefined : byId.get(ruleId);
}

function scoreOf(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const score = typeof value === "number" ? value : Number.parseFloat(value);
  return Number.isFinite(score) ? score : undefined;
}

function tagsOf(sarifRule: Rule | undefined): string[] {
  return (sarifRule?.properties?.tags ?? []).filter((tag): tag is string => typeof tag === "string");
}

function severityOf(
  tool: string,
  ruleId: string,
  sarifRule: Rule | undefined,
  sarifResult: Result,
): Severity {
  const score = scoreOf(
    sarifRule?.properties?.["security-severity"] ?? sarifResult.properties?.["security-severity"],
  );
  if (score !== undefined) return severityFromScore(score);
  // gitleaks' SARIF has no level: every leaked credential is HIGH (see gitleaks.ts).
  if (tool === "gitleaks") return "HIGH";
  if (tool === "trivy") {
    // Older Trivy SARIF has no security-severity; Trivy puts its own severity word among the rule's tags.
    const tagged = tagsOf(sarifRule)
      .map((tag) => severityFromName(tag))
      .find((severity) => severity !== undefined);
    if (tagged) return tagged;
  }
  // Checkov writes level "error" for every failed check whose severity it does not know: the level says
  // nothing, the shipped table does. https://github.com/bridgecrewio/checkov/blob/main/checkov/common/output/sarif.py
  if (tool === "checkov") return checkovSeverity(ruleId);
  const level: SarifLevel =
    tool === "semgrep"
      ? // Semgrep keeps a finding's severity on its rule only ("the severity of the finding is stored
        // within rules": https://github.com/semgrep/semgrep/blob/develop/src/osemgrep/reporting/Sarif_output.ml;
        // 1.185.0 writes no result level). A result level can only come from a tool that rewrote the file,
        // such as a merger filling in the SARIF default "warning", which would hide an ERROR rule.
        (sarifRule?.defaultConfiguration?.level ?? sarifResult.level ?? "warning")
      : // SARIF §3.27.10: a result without a level takes its rule's default level, else "warning".
        (sarifResult.level ?? sarifRule?.defaultConfiguration?.level ?? "warning");
  return severityFromSarifLevel(level);
}

function categoryOf(tool: string, ruleId: string, sarifRule: Rule | undefined): FindingCategory {
  if (tool === "gitleaks") return "secret";
  if (tool === "checkov") return ruleId.startsWith("CKV_SECRET") ? "secret" : "iac";
  if (tool === "tfsec") return "iac";
  const tags = tagsOf(sarifRule).map((tag) => tag.toLowerCase());
  if (tags.includes("secret") || tags.includes("secrets")) return "secret";
  if (tags.includes("vulnerability")) return "vulnerability";
  if (tags.includes("misconfiguration") || tags.includes("iac")) return "iac";
  return tool === "trivy" ? "iac" : "code";
}

/** The rule's title; undefined when the run describes no rules (Checkov's OpenAPI runner). */
function titleOf(tool: string, sarifRule: Rule | undefined): string | undefined {
  // Old gitleaks SARIF (v8.0.0) puts the rule's regex in shortDescription and its title in name.
  if (tool === "gitleaks" && sarifRule?.name) return sarifRule.name;
  const short = sarifRule?.shortDescription?.text?.trim();
  // Semgrep's default shortDescription is "Semgrep Finding: <rule id>" (Sarif_output.ml).
  if (short) return tool === "semgrep" ? short.replace(/^Semgrep Finding: /, "") : short;
  return sarifRule?.name;
}

/** The result's message: its text, or a rule message string with its {0}, {1} arguments (§3.11.7). */
function messageOf(sarifResult: Result, sarifRule: Rule | undefined, title: string): string {
  const { text: messageText, id, arguments: args = [] } = sarifResult.message;
  if (messageText !== undefined && messageText.trim() !== "") return messageText.trim();
  const template = id === undefined ? undefined : sarifRule?.messageStrings?.[id]?.text;
  if (template) return template.replace(/\{(\d+)\}/g, (whole, n: string) => args[Number(n)] ?? whole);
  return sarifResult.message.markdown?.trim() || title;
}

/** Trivy's SARIF result text is "Key: value" lines; its "Message:" line is the finding's message. */
function trivyField(messageText: string, key: string): string | undefined {
  return new RegExp(`^${key}: (.+)$`, "m").exec(messageText)?.[1]?.trim();
}

/** A Trivy vulnerability's package, from the "Package:" and "Installed Version:" lines of its SARIF text. */
function trivyPackageOf(
  messageText: string,
  ruleId: string,
): { resource: string; message: string } | undefined {
  const name = trivyField(messageText, "Package");
  const version = trivyField(messageText, "Installed Version");
  if (!name || !version) return undefined;
  const fixed = trivyField(messageText, "Fixed Version");
  return {
    resource: `${name}@${version}`,
    message: `${name} ${version} is affected by ${ruleId} (${fixed ? `fixed in ${fixed}` : "no fixed version yet"})`,
  };
}

/** Follows uriBaseId through originalUriBaseIds (§3.14.14) to an absolute file: URI, if one is given. */
function baseUriOf(sarifRun: Run, uriBaseId: string | undefined, depth = 0): string | undefined {
  if (uriBaseId === undefined || depth > 8) return undefined;
  const base = sarifRun.originalUriBaseIds?.[uriBaseId];
  if (!base?.uri) return undefined;
  if (/^file:/i.test(base.uri)) return base.uri.endsWith("/") ? base.uri : `${base.uri}/`;
  const parent = baseUriOf(sarifRun, base.uriBaseId, depth + 1);
  return parent ? new URL(base.uri, parent).href : undefined;
}

/**
 * The repository path of an artifact location. A uriBaseId the file defines as an absolute file: URI
 * is applied (and its clone directory stripped); one it leaves undefined (%SRCROOT% from Semgrep,
 * ROOTPATH from Trivy) means "the scanned folder", so the URI is taken as relative.
 */
function pathOf(
  location: ArtifactLocation | undefined,
  sarifRun: Run,
  context: ParseContext,
): string | undefined {
  const artifact =
    location?.uri === undefined && location?.index !== undefined
      ? sarifRun.artifacts?.[location.index]?.location
      : location;
  if (artifact?.uri === undefined || artifact.uri === "") return undefined;
  const base = baseUriOf(sarifRun, artifact.uriBaseId);
  const uri =
    base && !/^[a-z][a-z0-9+.-]*:/i.test(artifact.uri) ? new URL(artifact.uri, base).href : artifact.uri;
  return repositoryPath(pathFromUri(uri), context);
}

/** Results that are not open failures: passes, suppressed in source or by a reviewer, or gone since the baseline. */
function isReportable(sarifResult: Result): boolean {
  if (sarifResult.kind !== undefined && sarifResult.kind !== "fail") return false;
  if (sarifResult.baselineState === "absent") return false;
  // §3.35.3: a suppression without a status is accepted.
  const suppressed = (sarifResult.suppressions ?? []).some(
    (s) => s.status === undefined || s.status === "accepted",
  );
  return !suppressed;
}

function draftOf(
  tool: string,
  sarifResult: Result,
  sarifRule: Rule | undefined,
  sarifRun: Run,
  context: ParseContext,
): FindingDraft {
  const ruleId = sarifResult.ruleId ?? sarifResult.rule?.id ?? sarifRule?.id ?? "unknown-rule";
  const ruleTitle = titleOf(tool, sarifRule);
  const rawMessage = messageOf(sarifResult, sarifRule, ruleTitle ?? ruleId);
  // Without rules, a one-line message is the best title there is (Checkov's message is the check's name).
  const title = ruleTitle ?? (/^[^\n]{1,200}$/.test(rawMessage) ? rawMessage : ruleId);
  const category = categoryOf(tool, ruleId, sarifRule);
  const physical = sarifResult.locations?.[0]?.physicalLocation;
  const file = pathOf(physical?.artifactLocation, sarifRun, context);
  const region = physical?.region;
  // gitleaks puts the secret itself in the region snippet, "REDACTED" with --redact:
  // https://github.com/gitleaks/gitleaks/blob/master/report/sarif.go
  const snippet = region?.snippet?.text;
  const secret = tool === "gitleaks" && snippet && !/^REDACTED$/.test(snippet) ? snippet : undefined;
  const trivyPackage = tool === "trivy" ? trivyPackageOf(rawMessage, ruleId) : undefined;
  // Trivy gives package findings line 1 of the lock file or image as a placeholder location.
  const lines =
    category === "vulnerability" && tool === "trivy"
      ? {}
      : { start: region?.startLine, end: region?.endLine };
  return {
    tool,
    ruleId,
    title,
    severity: severityOf(tool, ruleId, sarifRule, sarifResult),
    category,
    location: file === undefined ? undefined : locationOf(file, lines.start, lines.end),
    resource: trivyPackage?.resource,
    message:
      trivyPackage?.message ??
      (tool === "trivy" ? trivyField(rawMessage, "Message") : undefined) ??
      rawMessage,
    helpUri: sarifRule?.helpUri ?? (tool === "checkov" ? checkovPolicyPage(ruleId) : undefined),
    secret,
  };
}

function warningsOf(tool: string, sarifRun: Run, reportName: string): string[] {
  return (sarifRun.invocations ?? []).flatMap((invocation) => [
    ...(invocation.executionSuccessful === false
      ? [`${reportName}: ${tool} reported that its run did not succeed`]
      : []),
    ...(invocation.toolExecutionNotifications ?? [])
      .filter((notification) => notification.level === "error")
      .map((notification) => `${reportName}: ${tool}: ${notification.message?.text ?? "error"}`),
  ]);
}

/**
 * A SARIF 2.1.0 log read result by result: `readSarifLog` takes the log with its runs (their
 * `results` may be left empty), then `add` takes each run's results in order, then `finish` gives
 * the findings. A file of 100,000 results is so read without its whole JSON tree (ingest/sarif-file.ts);
 * parseSarif feeds it a parsed document. Both give the same findings, warnings and errors.
 */
export interface SarifLogReader {
  /** The next result of run `runIndex`, as parsed JSON. Runs in order, each run's results in order. */
  add(runIndex: number, json: unknown): void;
  /** The report, once every result was added. */
  finish(): ParsedReport;
}

interface RunState {
  sarifRun: Run;
  /** The run has the log's schema issue (after its results): its results are checked, not read. */
  failed: boolean;
  tool: string;
  rules: readonly Rule[];
  byId: ReadonlyMap<string, Rule>;
  count: number;
  /** A run that names no tool is credited by all its rule ids: its results wait for its end. */
  waiting?: Result[];
}

/** Where in the log a schema issue is: its run, and whether zod meets it before the run's results. */
function issueRun(path: readonly PropertyKey[]): { run: number; beforeResults: boolean } | undefined {
  if (path[0] !== "runs" || typeof path[1] !== "number") return undefined;
  return { run: path[1], beforeResults: path.length < 3 || path[2] === "tool" };
}

export function readSarifLog(json: unknown, context: ParseContext): SarifLogReader {
  const version = typeof json === "object" && json !== null && "version" in json ? json.version : undefined;
  if (version !== "2.1.0") {
    throw new InputError(
      `${context.reportName} is SARIF ${String(version)}, but only SARIF 2.1.0 is supported`,
      {
        suggestion: "Ask the tool for SARIF 2.1.0 (every current scanner writes it).",
      },
    );
  }
  const { reportName } = context;
  // The log without its results is checked first. Its first issue is raised where checking the whole
  // document at once meets it: before the results of its run (tool), or after them.
  const checked = sarifLog.safeParse(json);
  const issue = checked.success ? undefined : checked.error.issues[0];
  const issueAt = issue && issueRun(issue.path);
  if (issue && !issueAt) throw schemaError(issue, reportName, "SARIF 2.1.0");
  // With an issue, the runs before its run are valid, and its own run is not read (RunState.failed).
  const sarifRuns = (checked.success ? checked.data.runs : (json as { runs: Run[] }).runs) as Run[];
  const tools: string[] = [];
  const versions: string[] = [];
  const warnings: string[] = [];
  const findings: ParsedReport["findings"] = [];
  let current = -1;
  let state: RunState | undefined;

  /** The run's tool, version and warnings, in run order. */
  const describe = (run: RunState, results: readonly Result[]) => {
    const { sarifRun } = run;
    const tool = toolOfRun(sarifRun, results, reportName);
    run.tool = tool;
    if (!sarifRun.tool)
      warnings.push(`${reportName}: a run names no tool; its findings are credited to ${tool}`);
    if (!tools.includes(tool)) tools.push(tool);
    // gitleaks writes semanticVersion "v8.0.0" whatever its version (8.30.1 too): not a version.
    const toolVersion =
      tool === "gitleaks"
        ? undefined
        : (sarifRun.tool?.driver.semanticVersion ?? sarifRun.tool?.driver.version);
    if (toolVersion) versions.push(toolVersion);
    warnings.push(...warningsOf(tool, sarifRun, reportName));
  };
  const read = (run: RunState, sarifResult: Result) => {
    if (!isReportable(sarifResult)) return;
    const sarifRule = ruleOf(sarifResult, run.rules, run.byId);
    findings.push(completeFinding(draftOf(run.tool, sarifResult, sarifRule, run.sarifRun, context), context));
  };
  const start = (runIndex: number): RunState => {
    if (issueAt && (issueAt.run < runIndex || (issueAt.run === runIndex && issueAt.beforeResults)))
      throw schemaError(issue, reportName, "SARIF 2.1.0");
    const sarifRun = sarifRuns[runIndex] as Run;
    const failed = issueAt?.run === runIndex;
    const rules = failed ? [] : rulesOf(sarifRun);
    const run: RunState = {
      sarifRun,
      failed,
      tool: "",
      rules,
      byId: new Map(rules.map((r) => [r.id, r])),
      count: 0,
    };
    if (failed) return run;
    if (sarifRun.tool) describe(run, []);
    else run.waiting = [];
    return run;
  };
  const end = (run: RunState) => {
    if (run.failed) throw schemaError(issue, reportName, "SARIF 2.1.0");
    if (run.waiting === undefined) return;
    describe(run, run.waiting);
    for (const waiting of run.waiting) read(run, waiting);
    run.waiting = undefined;
  };
  /** Ends the runs before `runIndex` and starts it. */
  const reach = (runIndex: number): RunState | undefined => {
    while (current < runIndex) {
      if (state) end(state);
      current += 1;
      state = current < sarifRuns.length ? start(current) : undefined;
    }
    return state;
  };

  return {
    add(runIndex, resultJson) {
      if (runIndex < current || runIndex >= sarifRuns.length)
        throw new Error(`SARIF results must be added run by run (run ${runIndex} after run ${current})`);
      const run = reach(runIndex) as RunState;
      const index = run.count;
      run.count += 1;
      if (isResultAsIs(resultJson)) {
        if (run.failed) return;
        // A run that waits for its tool holds its results: without the fields never read (code flows).
        if (run.waiting) run.waiting.push(readFieldsOf(resultJson));
        else read(run, resultJson);
        return;
      }
      const parsed = result.safeParse(resultJson);
      if (!parsed.success) {
        const [first] = parsed.error.issues;
        throw schemaError(
          first && { ...first, path: ["runs", runIndex, "results", index, ...first.path] },
          reportName,
          "SARIF 2.1.0",
        );
      }
      if (run.failed) return;
      if (run.waiting) run.waiting.push(parsed.data);
      else read(run, parsed.data);
    },
    finish() {
      reach(sarifRuns.length);
      return {
        tool: tools.length > 0 ? tools.join(", ") : (toolFromFileName(reportName) ?? "unknown"),
        ...(tools.length === 1 && versions[0] ? { version: versions[0] } : {}),
        findings,
        warnings,
      };
    },
  };
}

/** Findings of every run of a SARIF 2.1.0 log. */
export function parseSarif(json: unknown, context: ParseContext): ParsedReport {
  const reader = readSarifLog(json, context);
  const runs = (json as { runs: { results?: unknown }[] }).runs;
  for (const [index, sarifRun] of runs.entries()) {
    const results = sarifRun.results;
    if (Array.isArray(results)) for (const sarifResult of results) reader.add(index, sarifResult);
  }
  return reader.finish();
}
