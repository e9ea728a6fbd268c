/**
 * Compliance: which controls of SOC 2, PCI DSS, GDPR and ISO 27001 a finding touches, and a report
 * per framework of the controls checked, passed and failed.
 *
 * The bundled mapping (`data/compliance/`) goes through themes: a rule belongs to themes
 * (encryption at rest, network exposure, ...) by its id, by the ids declared equivalent to it, and
 * by its category; each framework maps themes to its controls. Users add rule → control mappings
 * in `.security-gate.yml` (`compliance.mappings`).
 *
 * A framework's controls are:
 *  - checked: those of the themes covered by a scanner that ran, plus every control a finding
 *    touched (a control no scanner looks at is not claimed as checked);
 *  - failed: those with at least one active finding (not suppressed, not in the baseline) of
 *    severity LOW or above; INFO findings are informational and never fail a control;
 *  - passed: checked and not failed.
 */
import gdprFile from "../data/compliance/gdpr.json" with { type: "json" };
import iso27001File from "../data/compliance/iso27001.json" with { type: "json" };
import pciDssFile from "../data/compliance/pci-dss.json" with { type: "json" };
import soc2File from "../data/compliance/soc2.json" with { type: "json" };
import themesFile from "../data/compliance/themes.json" with { type: "json" };
import type { ControlMappings } from "./config.ts";
import {
  DEFAULT_EQUIVALENT_RULES,
  type EquivalentRules,
  equivalentRuleIds,
  normalizeRuleId,
} from "./dedupe.ts";
import { type ControlRef, type Finding, FRAMEWORKS, type Framework } from "./findings.ts";
import type { ControlResult, FindingStatus, FrameworkReport } from "./gate.ts";

export interface Theme {
  description: string;
  /** Tools that check this theme. */
  scanners: string[];
  categories: string[];
  rules: string[];
}

export interface FrameworkControls {
  framework: Framework;
  name: string;
  /** Control id → short title. */
  controls: Record<string, string>;
  /** Theme → control ids. */
  themes: Record<string, string[]>;
}

export interface ComplianceMapping {
  themes: Record<string, Theme>;
  frameworks: Record<Framework, FrameworkControls>;
  /** Rule id → controls, added by the user's configuration. */
  extra: ControlMappings;
  equivalentRules: EquivalentRules;
}

function asFramework(data: { framework: string } & Omit<FrameworkControls, "framework">): FrameworkControls {
  const framework = FRAMEWORKS.find((name) => name === data.framework);
  if (framework === undefined) throw new Error(`Unknown framework in compliance data: ${data.framework}`);
  return { ...data, framework };
}

export const DEFAULT_COMPLIANCE_MAPPING: ComplianceMapping = {
  themes: themesFile.themes,
  frameworks: {
    SOC2: asFramework(soc2File),
    "PCI-DSS": asFramework(pciDssFile),
    GDPR: asFramework(gdprFile),
    ISO27001: asFramework(iso27001File),
  },
  extra: {},
  equivalentRules: DEFAULT_EQUIVALENT_RULES,
};

/** The mapping with the user's rule → control additions from `.security-gate.yml`. */
export function withUserMappings(mapping: ComplianceMapping, extra: ControlMappings): ComplianceMapping {
  const merged: ControlMappings = { ...mapping.extra };
  for (const [rule, controls] of Object.entries(extra)) {
    const existing = merged[rule] ?? {};
    const combined: Partial<Record<Framework, string[]>> = { ...existing };
    for (const framework of FRAMEWORKS) {
      const added = controls[framework];
      if (added !== undefined) combined[framework] = [...new Set([...(existing[framework] ?? []), ...added])];
    }
    merged[rule] = combined;
  }
  return { ...mapping, extra: merged };
}

// --- Look-ups ---------------------------------------------------------------------------------

interface MappingIndex {
  themesByRule: Map<string, string[]>;
  themesByCategory: Map<string, string[]>;
  extraByRule: Map<string, Partial<Record<Framework, string[]>>[]>;
  /** controlsFor() of findings that carry no controls yet, by category and rule ids (see mappingKey). */
  controlsByKey: Map<string, ControlRef[]>;
}

const indexes = new WeakMap<ComplianceMapping, MappingIndex>();

function indexOf(mapping: ComplianceMapping): MappingIndex {
  const cached = indexes.get(mapping);
  if (cached !== undefined) return cached;
  const themesByRule = new Map<string, string[]>();
  const themesByCategory = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, theme: string) =>
    map.set(key, [...(map.get(key) ?? []), theme]);
  for (const [theme, data] of Object.entries(mapping.themes)) {
    for (const rule of data.rules) add(themesByRule, normalizeRuleId(rule), theme);
    for (const category of data.categories) add(themesByCategory, category, theme);
  }
  const extraByRule = new Map<string, Partial<Record<Framework, string[]>>[]>();
  for (const [rule, controls] of Object.entries(mapping.extra)) {
    const key = normalizeRuleId(rule);
    extraByRule.set(key, [...(extraByRule.get(key) ?? []), controls]);
  }
  const index = { themesByRule, themesByCategory, extraByRule, controlsByKey: new Map() };
  indexes.set(mapping, index);
  return index;
}

/** The finding's rule ids, with every id declared equivalent to them. */
function ruleIdsOf(finding: Finding, rules: EquivalentRules): Set<string> {
  const ids = new Set<string>();
  for (const id of [finding.ruleId, ...Object.values(finding.alsoKnownAs ?? {})]) {
    for (const equivalent of equivalentRuleIds(id, rules)) ids.add(normalizeRuleId(equivalent));
  }
  return ids;
}

export function themesOf(finding: Finding, mapping: ComplianceMapping): Set<string> {
  const index = indexOf(mapping);
  const themes = new Set(index.themesByCategory.get(finding.category) ?? []);
  for (const id of ruleIdsOf(finding, mapping.equivalentRules)) {
    for (const theme of index.themesByRule.get(id) ?? []) themes.add(theme);
  }
  return themes;
}

/** "A.5.10" after "A.5.9": one collator, made once (localeCompare with options makes one per call). */
const byControlId = new Intl.Collator("en", { numeric: true }).compare;

const controlKey = (ref: ControlRef) => `${ref.framework}\u0000${ref.control}`;

function compareControls(a: ControlRef, b: ControlRef): number {
  return (
    FRAMEWORKS.indexOf(a.framework) - FRAMEWORKS.indexOf(b.framework) || byControlId(a.control, b.control)
  );
}

/** What controlsFor() reads of a finding that carries no controls: its category and rule ids. */
function mappingKey(finding: Finding): string {
  const { alsoKnownAs } = finding;
  const aliases = alsoKnownAs === undefined ? "" : Object.values(alsoKnownAs).join("\u0000");
  return `${finding.category}\u0000${finding.ruleId}\u0000${aliases}`;
}

/**
 * Every control the finding touches: those it already carries, those of its themes, and the
 * user's additions for any of its rule ids. Sorted by framework, then control id. Findings of the
 * same rule and category share one (frozen) list: 100,000 findings have a few hundred rules.
 */
export function controlsFor(finding: Finding, mapping: ComplianceMapping): ControlRef[] {
  if (finding.controls.length > 0) return mappedControls(finding, mapping);
  const { controlsByKey } = indexOf(mapping);
  const key = mappingKey(finding);
  let controls = controlsByKey.get(key);
  if (controls === undefined) {
    controls = mappedControls(finding, mapping);
    Object.freeze(controls);
    controlsByKey.set(key, controls);
  }
  return controls;
}

function mappedControls(finding: Finding, mapping: ComplianceMapping): ControlRef[] {
  const refs = new Map<string, ControlRef>();
  const add = (ref: ControlRef) => refs.set(controlKey(ref), ref);
  for (const ref of finding.controls) add(ref);
  for (const theme of themesOf(finding, mapping)) {
    for (const framework of FRAMEWORKS) {
      for (const control of mapping.frameworks[framework].themes[theme] ?? []) add({ framework, control });
    }
  }
  const index = indexOf(mapping);
  for (const id of ruleIdsOf(finding, mapping.equivalentRules)) {
    for (const extra of index.extraByRule.get(id) ?? []) {
      for (const framework of FRAMEWORKS) {
        for (const control of extra[framework] ?? []) add({ framework, control });
      }
    }
  }
  return [...refs.values()].sort(compareControls);
}

/** Controls of the themes that at least one of `tools` checks. */
function coveredControls(
  mapping: ComplianceMapping,
  framework: Framework,
  tools: ReadonlySet<string>,
): string[] {
  const controls: string[] = [];
  for (const [theme, data] of Object.entries(mapping.themes)) {
    if (!data.scanners.some((scanner) => tools.has(scanner))) continue;
    controls.push(...(mapping.frameworks[framework].themes[theme] ?? []));
  }
  return controls;
}

// --- The report -------------------------------------------------------------------------------

// Code-unit order, as Array.prototype.sort without a comparator.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A finding as the report sees it: a status, when the decision has given it one. */
export type ReportedFinding = Finding & { status?: FindingStatus };

export interface ComplianceOptions {
  /**
   * Tools that ran (scanners that finished, and tools whose reports were ingested). Omitted: every
   * theme counts as covered.
   */
  tools?: readonly string[];
}

/** The value of a lowercase hex digit's character code; -1 for any other character. */
function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** Hex digits of a fingerprint read into its sort key: 32 bits, and the item's index below them. */
const KEY_DIGITS = 8;
const INDEX_BITS = 21;
const INDEX_SPAN = 2 ** INDEX_BITS;

/**
 * `items` in fingerprint order (code units). Fingerprints are lowercase hex digests, and hex digits
 * sort as their characters do: each item gets a number, its first 8 digits' value above its index
 * (53 bits, exact in a double), and a Float64Array sorts those natively; only items whose first 8
 * digits are equal (a few, if any, among 100,000) are then compared as text. Any other text (or more
 * items than the index bits hold) is sorted the plain way.
 */
function byFingerprint<T extends { finding: { fingerprint: string } }>(items: T[]): T[] {
  const compare = (a: T, b: T) => compareText(a.finding.fingerprint, b.finding.fingerprint);
  if (items.length >= INDEX_SPAN) return items.sort(compare);
  const keys = new Float64Array(items.length);
  for (const [index, item] of items.entries()) {
    const { fingerprint } = item.finding;
    let prefix = 0;
    for (let at = 0; at < KEY_DIGITS; at += 1) {
      // charCodeAt past the end is NaN, which is no hex digit either.
      const digit = hexValue(fingerprint.charCodeAt(at));
      if (digit < 0) return items.sort(compare);
      prefix = prefix * 16 + digit;
    }
    keys[index] = prefix * INDEX_SPAN + index;
  }
  keys.sort();
  const sorted = Array.from(keys, (key) => items[key % INDEX_SPAN] as T);
  // Runs of equal prefixes are put in order by their whole fingerprints.
  for (let start = 0; start < sorted.length; ) {
    const prefix = Math.floor((keys[start] as number) / INDEX_SPAN);
    let end = start + 1;
    while (end < sorted.length && Math.floor((keys[end] as number) / INDEX_SPAN) === prefix) end += 1;
    if (end - start > 1) {
      const run = sorted.slice(start, end).sort(compare);
      for (let at = 0; at < run.length; at += 1) sorted[start + at] = run[at] as T;
    }
    start = end;
  }
  return sorted;
}

/** A control's failing findings (fingerprints, sorted), as the report is built. */
interface ControlTally {
  failing: string[];
}

/** Counts towards a failed control: active (not suppressed, not baseline) and more than INFO. */
export function failsControls(finding: ReportedFinding): boolean {
  return finding.status !== "suppressed" && finding.status !== "baseline" && finding.severity !== "INFO";
}

export function complianceReport(
  findings: readonly ReportedFinding[],
  frameworks: readonly Framework[],
  gatingFrameworks: readonly Framework[],
  mapping: ComplianceMapping,
  options: ComplianceOptions = {},
): FrameworkReport[] {
  const tools = new Set(options.tools ?? Object.values(mapping.themes).flatMap((theme) => theme.scanners));
  for (const finding of findings) for (const tool of finding.tools) tools.add(tool);
  // decide() has already put each finding's controls on it; map only those that have none yet.
  // In fingerprint order, so each control's list of failing findings comes out sorted: one sort of
  // the findings rather than one per control (100,000 findings touch each control by thousands).
  const touched = byFingerprint(
    findings.map((finding) => ({
      finding,
      controls: finding.controls.length > 0 ? finding.controls : controlsFor(finding, mapping),
    })),
  );
  // One pass over the findings for all frameworks; a list of controls is looked up once.
  const reported = new Map<Framework, Map<string, ControlTally>>(
    frameworks.map((framework) => [
      framework,
      new Map(coveredControls(mapping, framework, tools).map((control) => [control, { failing: [] }])),
    ]),
  );
  /** The tallies of a list of controls (findings of one rule share theirs: a few dozen lists). */
  const talliesOf = new Map<readonly ControlRef[], ControlTally[]>();
  const tallyOf = (ref: ControlRef): ControlTally | undefined => {
    const ofFramework = reported.get(ref.framework);
    if (ofFramework === undefined) return undefined;
    let tally = ofFramework.get(ref.control);
    if (tally === undefined) {
      tally = { failing: [] };
      ofFramework.set(ref.control, tally);
    }
    return tally;
  };
  for (const { finding, controls } of touched) {
    let tallies = talliesOf.get(controls);
    if (tallies === undefined) {
      tallies = controls.map(tallyOf).filter((tally): tally is ControlTally => tally !== undefined);
      talliesOf.set(controls, tallies);
    }
    if (!failsControls(finding)) continue;
    for (const tally of tallies) {
      const list = tally.failing;
      // The same finding twice in a row (its controls listed twice) counts once.
      if (list[list.length - 1] !== finding.fingerprint) list.push(finding.fingerprint);
    }
  }
  return frameworks.map((framework) => {
    const failing = reported.get(framework) ?? new Map<string, ControlTally>();
    const checked = failing.keys();
    const titles = mapping.frameworks[framework].controls;
    const controls: ControlResult[] = [...checked].sort(byControlId).map((control) => {
      const fingerprints = failing.get(control)?.failing ?? [];
      const title = titles[control];
      return {
        framework,
        control,
        ...(title === undefined ? {} : { title }),
        status: fingerprints.length > 0 ? "failed" : "passed",
        findings: fingerprints,
      };
    });
    const failed = controls.filter((control) => control.status === "failed").length;
    return {
      framework,
      gating: gatingFrameworks.includes(framework),
      checked: controls.length,
      passed: controls.length - failed,
      failed,
      controls,
    };
  });
}
