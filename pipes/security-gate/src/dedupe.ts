/**
 * Cross-tool dedupe: the same issue reported by two scanners at the same place becomes one finding
 * that credits both. Two findings are the same issue when they are
 *  - at the same place: the same file, and overlapping line ranges or the same resource (a finding
 *    without lines is about its whole file, as Trivy's "no USER in the Dockerfile"); and
 *  - about the same thing: the same rule id, rule ids declared equivalent in
 *    `data/equivalent-rules.json` (CKV_AWS_20 ≡ AVD-AWS-0092 ≡ aws-s3-no-public-access-with-acl),
 *    or both secrets on overlapping lines (gitleaks and Trivy's secret scanner name rules apart).
 *
 * Findings of one tool are never merged with each other (the tool already told them apart, like
 * five module instances of one security group rule), except exact duplicates: the same fingerprint,
 * as when a scanner runs and its report is also ingested.
 *
 * Fast on 100,000 findings: they are sorted once, bucketed by file and rule class, and swept by
 * line within a bucket, so a finding is only compared with the few whose lines are still open.
 */
import equivalentRulesFile from "../data/equivalent-rules.json" with { type: "json" };
import { type ControlRef, type Finding, SCANNERS, severityRank } from "./findings.ts";

/** One group of `data/equivalent-rules.json`: ids per tool, all naming one issue. */
export interface EquivalentRuleGroup {
  issue: string;
  checkov?: string[];
  /** Trivy ids, and the names Trivy reported before AVD ids (s3-bucket-logging). */
  trivy?: string[];
  /** tfsec's long ids (which Trivy keeps as aliases) and legacy ids (AWS001). */
  tfsec?: string[];
  semgrep?: string[];
}

/** The equivalence groups, indexed by normalized rule id. */
export interface EquivalentRules {
  groups: readonly EquivalentRuleGroup[];
  groupOf: ReadonlyMap<string, number>;
}

/**
 * Trivy names its checks AVD-AWS-0092 in older releases and AWS-0092 in newer ones (the AVD- form
 * stays as an alias in trivy-checks' metadata); case varies between tools' docs and outputs.
 */
export function normalizeRuleId(ruleId: string): string {
  return ruleId.toLowerCase().replace(/^avd-/, "");
}

function idsOf(group: EquivalentRuleGroup): string[] {
  return [...(group.checkov ?? []), ...(group.trivy ?? []), ...(group.tfsec ?? []), ...(group.semgrep ?? [])];
}

export function equivalentRules(groups: readonly EquivalentRuleGroup[]): EquivalentRules {
  const groupOf = new Map<string, number>();
  for (const [index, group] of groups.entries()) {
    for (const id of idsOf(group)) groupOf.set(normalizeRuleId(id), index);
  }
  return { groups, groupOf };
}

export const DEFAULT_EQUIVALENT_RULES: EquivalentRules = equivalentRules(equivalentRulesFile.groups);

/** Every id naming the same issue as `ruleId` (itself first), as written in the data file. */
export function equivalentRuleIds(
  ruleId: string,
  rules: EquivalentRules = DEFAULT_EQUIVALENT_RULES,
): string[] {
  const index = rules.groupOf.get(normalizeRuleId(ruleId));
  const group = index === undefined ? undefined : rules.groups[index];
  if (group === undefined) return [ruleId];
  return [ruleId, ...idsOf(group).filter((id) => id !== ruleId)];
}

// --- Ordering: deterministic whatever order the scanners finished in --------------------------

const PREFERRED_TOOLS: readonly string[] = [...SCANNERS, "tfsec"];

/** The tool whose rule id, location and fingerprint a merged finding keeps: Checkov, Trivy, ... */
function compareTools(a: string, b: string): number {
  const rankA = PREFERRED_TOOLS.indexOf(a);
  const rankB = PREFERRED_TOOLS.indexOf(b);
  const orderA = rankA === -1 ? PREFERRED_TOOLS.length : rankA;
  const orderB = rankB === -1 ? PREFERRED_TOOLS.length : rankB;
  return orderA - orderB || compareText(a, b);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.location?.file ?? "", b.location?.file ?? "") ||
    (a.location?.startLine ?? 0) - (b.location?.startLine ?? 0) ||
    (a.location?.endLine ?? 0) - (b.location?.endLine ?? 0) ||
    compareTools(a.tool, b.tool) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

// --- Matching ---------------------------------------------------------------------------------

interface LineRange {
  start: number;
  end: number;
}

function lineRange(finding: Finding): LineRange | undefined {
  const start = finding.location?.startLine;
  if (start === undefined) return undefined;
  return { start, end: Math.max(start, finding.location?.endLine ?? start) };
}

/** Same place, given the same file (or the same resource when there is no file). */
function samePlace(a: Finding, b: Finding, linesRequired: boolean): boolean {
  const rangeA = lineRange(a);
  const rangeB = lineRange(b);
  if (rangeA !== undefined && rangeB !== undefined) {
    if (rangeA.start <= rangeB.end && rangeB.start <= rangeA.end) return true;
  } else if (linesRequired) {
    return false;
  }
  if (a.resource !== undefined && b.resource !== undefined) return a.resource === b.resource;
  // Without lines on one side, the finding is about its whole file.
  return rangeA === undefined || rangeB === undefined;
}

function toolsOf(finding: Finding): string[] {
  return finding.tools.includes(finding.tool) ? finding.tools : [finding.tool, ...finding.tools];
}

interface Cluster {
  members: Finding[];
  tools: Set<string>;
  bucket: Bucket | undefined;
  /** The last line any member covers; -1 while no member has lines. */
  lastLine: number;
  /** A member has no lines, so the cluster is about its whole file. */
  wholeFile: boolean;
}

/**
 * The clusters of one file and one rule class. Findings arrive sorted by start line, so a cluster
 * whose lines end before the current finding starts can only still match by resource: the sweep
 * drops it from `open`, which keeps a file with thousands of findings linear.
 */
interface Bucket {
  linesRequired: boolean;
  size: number;
  /** How many clusters already hold a finding of each tool: when all do, there is nothing to scan. */
  clustersWithTool: Map<string, number>;
  open: Cluster[];
  wholeFile: Cluster[];
  byResource: Map<string, Cluster[]>;
}

function newBucket(linesRequired: boolean): Bucket {
  return {
    linesRequired,
    size: 0,
    clustersWithTool: new Map(),
    open: [],
    wholeFile: [],
    byResource: new Map(),
  };
}

function classKey(finding: Finding, rules: EquivalentRules): string {
  if (finding.category === "secret") return "secret";
  const normalized = normalizeRuleId(finding.ruleId);
  const group = rules.groupOf.get(normalized);
  return group === undefined ? `rule:${normalized}` : `group:${group}`;
}

function join(cluster: Cluster, finding: Finding): void {
  cluster.members.push(finding);
  const bucket = cluster.bucket;
  for (const tool of toolsOf(finding)) {
    if (cluster.tools.has(tool)) continue;
    cluster.tools.add(tool);
    bucket?.clustersWithTool.set(tool, (bucket.clustersWithTool.get(tool) ?? 0) + 1);
  }
  if (bucket === undefined) return;
  if (finding.resource !== undefined) {
    const sameResource = bucket.byResource.get(finding.resource) ?? [];
    if (!sameResource.includes(cluster)) bucket.byResource.set(finding.resource, [...sameResource, cluster]);
  }
  const range = lineRange(finding);
  if (range === undefined) {
    if (!cluster.wholeFile) bucket.wholeFile.push(cluster);
    cluster.wholeFile = true;
  } else {
    if (cluster.lastLine === -1) bucket.open.push(cluster);
    cluster.lastLine = Math.max(cluster.lastLine, range.end);
  }
}

/** Drops the clusters that end before `line` from the sweep; keeps the order of the others. */
function closeBefore(bucket: Bucket, line: number): void {
  if (bucket.open.every((cluster) => cluster.lastLine >= line)) return;
  bucket.open = bucket.open.filter((cluster) => cluster.lastLine >= line);
}

function matchingCluster(bucket: Bucket, finding: Finding): Cluster | undefined {
  const tools = toolsOf(finding);
  if (tools.every((tool) => bucket.clustersWithTool.get(tool) === bucket.size)) return undefined;
  const fits = (cluster: Cluster) =>
    !tools.some((tool) => cluster.tools.has(tool)) &&
    cluster.members.some((member) => samePlace(member, finding, bucket.linesRequired));
  const range = lineRange(finding);
  if (range !== undefined) closeBefore(bucket, range.start);
  const sameResource = finding.resource === undefined ? undefined : bucket.byResource.get(finding.resource);
  return (
    sameResource?.find(fits) ??
    (range === undefined ? undefined : bucket.open.find(fits)) ??
    bucket.wholeFile.find(fits)
  );
}

// --- Merging ----------------------------------------------------------------------------------

function mergeControls(members: readonly Finding[]): ControlRef[] {
  const seen = new Map<string, ControlRef>();
  for (const member of members) {
    for (const control of member.controls) seen.set(`${control.framework}\u0000${control.control}`, control);
  }
  return [...seen.values()];
}

/** One finding for a cluster: the preferred tool's identity, the worst severity, everyone's credit. */
function merge(members: readonly Finding[]): Finding {
  const ordered = [...members].sort(
    (a, b) => compareTools(a.tool, b.tool) || compareText(a.fingerprint, b.fingerprint),
  );
  const [primary, ...others] = ordered as [Finding, ...Finding[]];
  if (others.length === 0) return primary;
  const tools = [...new Set(ordered.flatMap(toolsOf))].sort(compareTools);
  const alsoKnownAs: Record<string, string> = {};
  for (const member of ordered) Object.assign(alsoKnownAs, member.alsoKnownAs);
  for (const member of others) {
    if (member.tool !== primary.tool && member.ruleId !== primary.ruleId)
      alsoKnownAs[member.tool] = member.ruleId;
  }
  delete alsoKnownAs[primary.tool];
  const severity = ordered.reduce(
    (worst, member) => (severityRank(member.severity) < severityRank(worst) ? member.severity : worst),
    primary.severity,
  );
  const location = primary.location ?? others.find((member) => member.location !== undefined)?.location;
  const resource = primary.resource ?? others.find((member) => member.resource !== undefined)?.resource;
  const helpUri = primary.helpUri ?? others.find((member) => member.helpUri !== undefined)?.helpUri;
  return {
    ...primary,
    tools,
    severity,
    controls: mergeControls(ordered),
    ...(Object.keys(alsoKnownAs).length === 0 ? {} : { alsoKnownAs }),
    ...(location === undefined ? {} : { location }),
    ...(resource === undefined ? {} : { resource }),
    ...(helpUri === undefined ? {} : { helpUri }),
  };
}

/**
 * Merges findings of different tools that report the same issue at the same place. The result is
 * sorted by file, line and tool, and does not depend on the input's order.
 *
 * Sorted, the findings of one file come one after another, and no two findings of different files
 * can merge (buckets are per file, and a fingerprint includes the file): each file's clusters are
 * merged and dropped before the next file, so only one file's worth of clusters is ever held.
 */
export function dedupeFindings(
  findings: readonly Finding[],
  rules: EquivalentRules = DEFAULT_EQUIVALENT_RULES,
): Finding[] {
  const sorted = [...findings].sort(compareFindings);
  const deduped: Finding[] = [];
  let clusters: Cluster[] = [];
  let byFingerprint = new Map<string, Cluster>();
  /** The buckets of the current file, by rule class; of findings without a file, by resource too. */
  let fileBuckets = new Map<string, Bucket>();
  let resourceBuckets = new Map<string, Map<string, Bucket>>();
  let file: string | undefined;
  // One class per category and rule: 100,000 findings have a few hundred rules.
  const classes = new Map<string, Map<string, string>>();
  const classOf = (finding: Finding): string => {
    let byRule = classes.get(finding.category);
    if (byRule === undefined) {
      byRule = new Map();
      classes.set(finding.category, byRule);
    }
    let kind = byRule.get(finding.ruleId);
    if (kind === undefined) {
      kind = classKey(finding, rules);
      byRule.set(finding.ruleId, kind);
    }
    return kind;
  };
  /** The finding's bucket: same file (or, without one, same resource) and same rule class. */
  const bucketOf = (finding: Finding): Bucket | undefined => {
    let byClass: Map<string, Bucket> | undefined = fileBuckets;
    if (finding.location?.file === undefined) {
      if (finding.resource === undefined) return undefined;
      byClass = resourceBuckets.get(finding.resource);
      if (byClass === undefined) {
        byClass = new Map();
        resourceBuckets.set(finding.resource, byClass);
      }
    }
    const kind = classOf(finding);
    let bucket = byClass.get(kind);
    if (bucket === undefined) {
      bucket = newBucket(finding.category === "secret");
      byClass.set(kind, bucket);
    }
    return bucket;
  };
  for (const finding of sorted) {
    const findingFile = finding.location?.file ?? "";
    if (findingFile !== file) {
      for (const cluster of clusters) deduped.push(merge(cluster.members));
      clusters = [];
      byFingerprint = new Map();
      fileBuckets = new Map();
      resourceBuckets = new Map();
      file = findingFile;
    }
    const twin = byFingerprint.get(finding.fingerprint);
    if (twin !== undefined) {
      join(twin, finding);
      continue;
    }
    let cluster: Cluster | undefined;
    const bucket = bucketOf(finding);
    if (bucket !== undefined) cluster = matchingCluster(bucket, finding);
    if (cluster === undefined) {
      cluster = { members: [], tools: new Set(), bucket, lastLine: -1, wholeFile: false };
      clusters.push(cluster);
      if (bucket !== undefined) bucket.size += 1;
    }
    join(cluster, finding);
    byFingerprint.set(finding.fingerprint, cluster);
  }
  for (const cluster of clusters) deduped.push(merge(cluster.members));
  return deduped;
}
