/**
 * SARIF 2.1.0: the types of the subset we write and read, and a builder for a log with one run per
 * tool. Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/sarif-v2.1.0-errata01-os-complete.html
 * GitHub's reading of it (security-severity, tags, partialFingerprints):
 * https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */
import { pathToFileURL } from "node:url";
import { webLink } from "./links.ts";

export const SARIF_VERSION = "2.1.0";
export const SARIF_SCHEMA_URI =
  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/** The uriBaseId every location we write is relative to: the repository root. */
export const SRCROOT = "%SRCROOT%";

export type SarifLevel = "none" | "note" | "warning" | "error";
export type SarifBaselineState = "new" | "unchanged" | "updated" | "absent";

/** §3.8: free-form properties; `tags` must hold unique strings. */
export interface SarifPropertyBag {
  tags?: string[];
  [name: string]: unknown;
}

export interface SarifMessage {
  text?: string;
  markdown?: string;
  id?: string;
}

export interface SarifArtifactLocation {
  uri?: string;
  uriBaseId?: string;
  description?: SarifMessage;
}

export interface SarifRegion {
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
  snippet?: { text?: string };
}

export interface SarifLocation {
  physicalLocation?: { artifactLocation?: SarifArtifactLocation; region?: SarifRegion };
  logicalLocations?: { name?: string; fullyQualifiedName?: string; kind?: string }[];
  message?: SarifMessage;
}

export interface SarifReportingDescriptor {
  id: string;
  name?: string;
  shortDescription?: SarifMessage;
  fullDescription?: SarifMessage;
  help?: SarifMessage;
  helpUri?: string;
  defaultConfiguration?: { level?: SarifLevel; enabled?: boolean };
  properties?: SarifPropertyBag;
}

export interface SarifSuppression {
  kind: "inSource" | "external";
  status?: "accepted" | "underReview" | "rejected";
  justification?: string;
  properties?: SarifPropertyBag;
}

export interface SarifResult {
  ruleId?: string;
  ruleIndex?: number;
  rule?: { id?: string; index?: number };
  kind?: "notApplicable" | "pass" | "fail" | "review" | "open" | "informational";
  level?: SarifLevel;
  message: SarifMessage;
  locations?: SarifLocation[];
  fingerprints?: Record<string, string>;
  partialFingerprints?: Record<string, string>;
  baselineState?: SarifBaselineState;
  suppressions?: SarifSuppression[];
  properties?: SarifPropertyBag;
}

export interface SarifToolComponent {
  name: string;
  version?: string;
  semanticVersion?: string;
  informationUri?: string;
  rules?: SarifReportingDescriptor[];
}

export interface SarifNotification {
  level?: SarifLevel;
  message: SarifMessage;
}

export interface SarifInvocation {
  executionSuccessful: boolean;
  toolExecutionNotifications?: SarifNotification[];
}

export interface SarifRun {
  tool: { driver: SarifToolComponent; extensions?: SarifToolComponent[] };
  invocations?: SarifInvocation[];
  originalUriBaseIds?: Record<string, SarifArtifactLocation>;
  results?: SarifResult[];
  columnKind?: "utf16CodeUnits" | "unicodeCodePoints";
}

export interface SarifLog {
  $schema?: string;
  version: typeof SARIF_VERSION;
  runs: SarifRun[];
}

/** A rule as the builder takes it: written once per run, from the first result that uses it. */
export interface SarifRuleInput {
  id: string;
  shortDescription: string;
  helpUri?: string;
  defaultLevel?: SarifLevel;
  /** 0.0–10.0, GitHub's `security-severity` (≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low). */
  securitySeverity?: number;
  tags?: readonly string[];
  properties?: Record<string, unknown>;
}

export interface SarifResultInput {
  rule: SarifRuleInput;
  level: SarifLevel;
  message: string;
  location?: {
    /** Repository-relative path; written relative to %SRCROOT%. */
    path: string;
    startLine?: number;
    endLine?: number;
  };
  partialFingerprints?: Record<string, string>;
  baselineState?: SarifBaselineState;
  /** Written as an external, accepted suppression (§3.35). */
  suppression?: { justification: string; properties?: Record<string, unknown> };
  properties?: Record<string, unknown>;
}

export interface SarifRunInput {
  tool: { name: string; version?: string; informationUri?: string };
  /** Whether the tool ran to the end; a failed run carries its error as a notification. */
  execution?: { successful: boolean; error?: string };
  /**
   * sarifLogChunks reads them twice (rules, then results) when it can: an array, or an iterable
   * that makes a new iterator each time, which may make each result as it is read, so a run's
   * results never all exist at once. A one-time iterator (a generator) is gathered first.
   */
  results: Iterable<SarifResultInput>;
  /**
   * Each result's rule, in the results' order: when given, sarifLogChunks finds the run's rules
   * here instead of making every result twice.
   */
  rules?: Iterable<SarifRuleInput>;
}

export interface SarifLogOptions {
  /** Absolute path of the repository root, written as the %SRCROOT% base. Omitted: left for consumers to resolve. */
  sourceRoot?: string;
}

/**
 * One run per tool; each rule written once per run (looked up by id in a Map, so 100,000 results
 * stay linear), results pointing at it by `ruleIndex`.
 */
export function buildSarifLog(runs: readonly SarifRunInput[], options: SarifLogOptions = {}): SarifLog {
  return {
    $schema: SARIF_SCHEMA_URI,
    version: SARIF_VERSION,
    runs: runs.map((run) => sarifRun(run, options)),
  };
}

/** The log as the file's content, serialised once. */
export function serializeSarif(log: SarifLog): string {
  return `${JSON.stringify(log)}\n`;
}

/** Results serialised per chunk: few chunks for the writer, none of them large. */
const RESULTS_PER_CHUNK = 500;

/**
 * The same content as `serializeSarif(buildSarifLog(runs, options))`, as chunks: one run at a time
 * (runs may be a lazy iterable), its rules first, then its results written straight to JSON text
 * (sarifResultJson) a few hundred per chunk, so a log of 100,000 results is never a whole object
 * tree nor one string.
 */
export function* sarifLogChunks(
  runs: Iterable<SarifRunInput>,
  options: SarifLogOptions = {},
): Generator<string> {
  yield `{"$schema":${JSON.stringify(SARIF_SCHEMA_URI)},"version":${JSON.stringify(SARIF_VERSION)},"runs":[`;
  let separator = "";
  for (const input of runs) {
    let results: Iterable<SarifResultInput> = input.results;
    let ruleOfEach: Iterable<SarifRuleInput> | undefined = input.rules;
    if (ruleOfEach === undefined) {
      // A generator is its own iterator: it can be read once only.
      if ((results[Symbol.iterator]() as unknown) === results) results = [...results];
      ruleOfEach = rulesOf(results);
    }
    const { results: _none, rules: _rules, ...rest } = input;
    const { results: _empty, ...run } = sarifRun({ ...rest, results: [] }, options);
    const rules = run.tool.driver.rules as SarifReportingDescriptor[];
    const ruleIndexById = new Map<string, number>();
    for (const rule of ruleOfEach) {
      if (!ruleIndexById.has(rule.id)) ruleIndexById.set(rule.id, rules.push(reportingDescriptor(rule)) - 1);
    }
    // `run` always holds `tool`, so its JSON is "{...}": reopen it to append the results last.
    let chunk = `${separator}${JSON.stringify(run).slice(0, -1)},"results":[`;
    let count = 0;
    for (const result of results) {
      chunk += `${count === 0 ? "" : ","}${sarifResultJson(result, ruleIndexById.get(result.rule.id) ?? 0)}`;
      count += 1;
      if (count % RESULTS_PER_CHUNK === 0) {
        yield chunk;
        chunk = "";
      }
    }
    yield `${chunk}]}`;
    separator = ",";
  }
  yield "]}\n";
}

function* rulesOf(results: Iterable<SarifResultInput>): Generator<SarifRuleInput> {
  for (const result of results) yield result.rule;
}

/** `JSON.stringify(sarifResult(input, ruleIndex))`, without building the object first. */
function sarifResultJson(input: SarifResultInput, ruleIndex: number): string {
  const { rule, suppression } = input;
  let json = `{"ruleId":${JSON.stringify(rule.id)},"ruleIndex":${ruleIndex}`;
  if (input.level !== undefined) json += `,"level":${JSON.stringify(input.level)}`;
  json += `,"message":{"text":${JSON.stringify(input.message || rule.shortDescription || rule.id)}}`;
  if (input.location) json += `,"locations":[${locationJson(input.location)}]`;
  if (input.partialFingerprints)
    json += `,"partialFingerprints":${JSON.stringify(input.partialFingerprints)}`;
  if (input.baselineState) json += `,"baselineState":${JSON.stringify(input.baselineState)}`;
  if (suppression) {
    json += `,"suppressions":[{"kind":"external","status":"accepted","justification":${JSON.stringify(suppression.justification)}`;
    json += suppression.properties ? `,"properties":${JSON.stringify(suppression.properties)}}]` : "}]";
  }
  if (input.properties) json += `,"properties":${JSON.stringify(input.properties)}`;
  return `${json}}`;
}

function sarifRun(input: SarifRunInput, options: SarifLogOptions): SarifRun {
  const rules: SarifReportingDescriptor[] = [];
  const ruleIndexById = new Map<string, number>();
  const results: SarifResult[] = [];
  for (const result of input.results) {
    let ruleIndex = ruleIndexById.get(result.rule.id);
    if (ruleIndex === undefined) {
      ruleIndex = rules.push(reportingDescriptor(result.rule)) - 1;
      ruleIndexById.set(result.rule.id, ruleIndex);
    }
    results.push(sarifResult(result, ruleIndex));
  }
  const informationUri = webLink(input.tool.informationUri);
  return {
    tool: {
      driver: {
        name: input.tool.name,
        ...(input.tool.version ? { version: input.tool.version } : {}),
        ...(informationUri ? { informationUri } : {}),
        rules,
      },
    },
    ...(input.execution ? { invocations: [invocation(input.execution)] } : {}),
    originalUriBaseIds: { [SRCROOT]: sourceRootLocation(options.sourceRoot) },
    results,
  };
}

function reportingDescriptor(rule: SarifRuleInput): SarifReportingDescriptor {
  const helpUri = webLink(rule.helpUri);
  const tags = [...new Set(rule.tags ?? [])];
  const properties: SarifPropertyBag = {
    ...rule.properties,
    ...(tags.length > 0 ? { tags } : {}),
    ...(rule.securitySeverity !== undefined ? { "security-severity": rule.securitySeverity.toFixed(1) } : {}),
  };
  return {
    id: rule.id,
    shortDescription: { text: rule.shortDescription || rule.id },
    ...(helpUri ? { helpUri } : {}),
    ...(rule.defaultLevel ? { defaultConfiguration: { level: rule.defaultLevel } } : {}),
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
  };
}

function sarifResult(input: SarifResultInput, ruleIndex: number): SarifResult {
  return {
    ruleId: input.rule.id,
    ruleIndex,
    level: input.level,
    message: { text: input.message || input.rule.shortDescription || input.rule.id },
    ...(input.location ? { locations: [location(input.location)] } : {}),
    ...(input.partialFingerprints ? { partialFingerprints: input.partialFingerprints } : {}),
    ...(input.baselineState ? { baselineState: input.baselineState } : {}),
    ...(input.suppression
      ? {
          suppressions: [
            {
              kind: "external",
              status: "accepted",
              justification: input.suppression.justification,
              ...(input.suppression.properties ? { properties: input.suppression.properties } : {}),
            },
          ],
        }
      : {}),
    ...(input.properties ? { properties: input.properties } : {}),
  };
}

function location(input: NonNullable<SarifResultInput["location"]>): SarifLocation {
  const startLine = positiveLine(input.startLine);
  const endLine = positiveLine(input.endLine);
  const region: SarifRegion | undefined =
    startLine === undefined
      ? undefined
      : { startLine, ...(endLine !== undefined ? { endLine: Math.max(startLine, endLine) } : {}) };
  return {
    physicalLocation: {
      artifactLocation: { uri: relativeUri(input.path), uriBaseId: SRCROOT },
      ...(region ? { region } : {}),
    },
  };
}

/** `JSON.stringify(location(input))`, without building the object first. */
function locationJson(input: NonNullable<SarifResultInput["location"]>): string {
  const startLine = positiveLine(input.startLine);
  const endLine = positiveLine(input.endLine);
  const region =
    startLine === undefined
      ? ""
      : `,"region":{"startLine":${startLine}${endLine !== undefined ? `,"endLine":${Math.max(startLine, endLine)}` : ""}}`;
  return `{"physicalLocation":{"artifactLocation":{"uri":${JSON.stringify(relativeUri(input.path))},"uriBaseId":${JSON.stringify(SRCROOT)}}${region}}}`;
}

/** Lines are 1-based in SARIF (§3.30.5); tools sometimes report 0 for "whole file". */
function positiveLine(line: number | undefined): number | undefined {
  return line !== undefined && Number.isInteger(line) && line >= 1 ? line : undefined;
}

const URI_SAFE_PATH = /^(?!\.?\/)[A-Za-z0-9\-_.!~*'()/]*$/;

/**
 * A repository path as a relative URI reference (§3.4.3): forward slashes, no leading slash (tools
 * write "/main.tf" for the scan root), each segment percent-encoded so spaces, "#" or a ":" in the
 * first segment cannot change its meaning.
 */
function relativeUri(path: string): string {
  // Most paths need none of it: characters encodeURIComponent keeps, no leading "/" or "./".
  if (URI_SAFE_PATH.test(path)) return path;
  return path
    .replaceAll("\\", "/")
    .replace(/^(\.\/|\/)+/, "")
    .split("/")
    .map(encodeURIComponent)
    .join("/");
}

/** §3.14.14: a base URI must end with a slash. */
function sourceRootLocation(sourceRoot: string | undefined): SarifArtifactLocation {
  if (!sourceRoot) return { description: { text: "The repository root." } };
  const uri = pathToFileURL(sourceRoot).href;
  return { uri: uri.endsWith("/") ? uri : `${uri}/` };
}

function invocation(execution: NonNullable<SarifRunInput["execution"]>): SarifInvocation {
  return {
    executionSuccessful: execution.successful,
    ...(execution.error
      ? { toolExecutionNotifications: [{ level: "error", message: { text: execution.error } }] }
      : {}),
  };
}
