/**
 * GateResult → JUnit XML for Bitbucket's Tests tab: what the gate checked, as tests. One suite per
 * scanner (a test that it ran, and one per rule it reported, listing the rule's findings), one for
 * the zero-trust checks and one per gating compliance framework. Blocking findings fail; suppressed
 * ones are skipped. A test per rule, not per finding or file: 100,000 findings stay a few hundred
 * tests, and Bitbucket shows only the first 100 failed tests, each cut at 2,000 characters, anyway.
 * Test names leave out files, line numbers and versions so a test keeps its history across runs.
 */
import {
  andMore,
  buildJUnitXml,
  humanDuration,
  JUNIT_FIELD_LIMIT,
  type JUnitOutcome,
  type JUnitTestCase,
  type JUnitTestSuite,
} from "@pipes/reports";
import type { FrameworkReport, GateFinding, GateResult, ZeroTrustCheck } from "../gate.ts";
import { mostImportantFirst } from "./importance.ts";
import { locationLabel, reportedBy, scannerLabel } from "./labels.ts";
import { type ToolReport, toolReports } from "./tools.ts";

const ROOT = "security-gate";

/** The JUnit file's content. */
export function renderJUnit(result: GateResult): string {
  const suites: JUnitTestSuite[] = toolReports(result.scanners, mostImportantFirst(result.findings)).map(
    scannerSuite,
  );
  if (result.checks.length > 0) suites.push(zeroTrustSuite(result.checks));
  const gating = result.compliance.filter((framework) => framework.gating);
  if (gating.length > 0) {
    const byFingerprint = new Map(result.findings.map((finding) => [finding.fingerprint, finding]));
    for (const framework of gating) suites.push(complianceSuite(framework, byFingerprint));
  }
  return buildJUnitXml(ROOT, suites);
}

function scannerSuite(report: ToolReport<GateFinding>): JUnitTestSuite {
  const classname = `${ROOT}.${report.tool}`;
  const groups = new Map<string, GateFinding[]>();
  for (const finding of report.findings) {
    const group = groups.get(finding.ruleId);
    if (group) group.push(finding);
    else groups.set(finding.ruleId, [finding]);
  }
  const findingCases = [...groups.values()].map((findings) => findingCase(classname, findings));
  return {
    name: report.tool,
    durationMs: report.scanner?.durationMs ?? 0,
    cases: [scanCase(classname, report), ...findingCases],
  };
}

/** The test that the scanner ran: passes when it ran, even clean, so the Tests tab shows it was checked. */
function scanCase(classname: string, report: ToolReport<GateFinding>): JUnitTestCase {
  const { scanner } = report;
  const name = `${report.tool} scan`;
  if (!scanner) {
    return {
      name,
      classname,
      outcome: { status: "passed" },
      output: `${report.findings.length} findings ingested`,
    };
  }
  const base = { name, classname, durationMs: scanner.durationMs };
  switch (scanner.status) {
    case "failed":
      return { ...base, outcome: { status: "error", message: scanner.error ?? `${scanner.tool} failed` } };
    case "skipped":
      return {
        ...base,
        outcome: { status: "skipped", message: scanner.error ?? `${scanner.tool} was not run` },
      };
    default:
      return {
        ...base,
        outcome: { status: "passed" },
        output: `${scannerLabel(scanner)} ${scanner.status === "ingested" ? "report ingested" : "ran"} in ${humanDuration(scanner.durationMs)}: ${scanner.findings === 0 ? "no findings" : `${scanner.findings} findings`}.`,
      };
  }
}

/**
 * One test per rule: fails if any of its findings blocks, is skipped if all are suppressed. Its body
 * lists the findings, most important first, as many as fit the field Bitbucket shows.
 */
function findingCase(classname: string, findings: GateFinding[]): JUnitTestCase {
  const [first] = findings as [GateFinding, ...GateFinding[]];
  const details = listWithinLimit(findings, findingDetails, "\n\n", "findings");
  return {
    name: first.ruleId,
    classname,
    outcome: findingOutcome(findings, details),
    ...(first.status !== "blocking" ? { output: details } : {}),
  };
}

/**
 * As many items as fit in one JUnit field (the first always: the field is cut to fit), then how many
 * were left out. Only the items shown are described: a rule with 20,000 findings costs a few.
 */
function listWithinLimit<T>(
  items: readonly T[],
  describe: (item: T) => string,
  separator: string,
  noun: string,
): string {
  const budget = JUNIT_FIELD_LIMIT - separator.length - andMore(items.length, noun).length;
  const kept: string[] = [];
  let used = 0;
  for (const item of items) {
    const text = describe(item);
    used += (kept.length > 0 ? separator.length : 0) + text.length;
    if (kept.length > 0 && used > budget) break;
    kept.push(text);
  }
  if (kept.length < items.length) kept.push(andMore(items.length - kept.length, noun));
  return kept.join(separator);
}

function findingOutcome(findings: GateFinding[], details: string): JUnitOutcome {
  const blocking = findings.find((finding) => finding.status === "blocking");
  if (blocking) {
    return {
      status: "failed",
      message: `${blocking.severity}: ${blocking.title}`,
      type: blocking.severity,
      details,
    };
  }
  if (findings.every((finding) => finding.status === "suppressed")) {
    const suppression = findings[0]?.suppression;
    return {
      status: "skipped",
      message: suppression ? `Suppressed (${suppression.id}): ${suppression.reason}` : "Suppressed",
    };
  }
  return { status: "passed" };
}

function findingDetails(finding: GateFinding): string {
  return [
    `${finding.severity} ${finding.status} at ${locationLabel(finding) || "(no location)"}`,
    finding.message || finding.title,
    finding.resource ? `Resource: ${finding.resource}` : "",
    finding.tools.length > 1 ? `Reported by: ${reportedBy(finding)}` : "",
    finding.suppression ? `Suppression ${finding.suppression.id}: ${finding.suppression.reason}` : "",
    finding.helpUri ? `Help: ${finding.helpUri}` : "",
  ]
    .filter(Boolean)
    .join("\n");
}

function zeroTrustSuite(checks: readonly ZeroTrustCheck[]): JUnitTestSuite {
  const classname = `${ROOT}.zero-trust`;
  return {
    name: "zero-trust",
    cases: checks.map((check): JUnitTestCase => {
      const details = [check.message, ...check.details].join("\n");
      switch (check.status) {
        case "fail":
          return {
            name: check.name,
            classname,
            outcome: { status: "failed", message: check.message, details },
          };
        case "skipped":
          return { name: check.name, classname, outcome: { status: "skipped", message: check.message } };
        default:
          return { name: check.name, classname, outcome: { status: "passed" }, output: details };
      }
    }),
  };
}

function complianceSuite(
  framework: FrameworkReport,
  byFingerprint: Map<string, GateFinding>,
): JUnitTestSuite {
  const classname = `${ROOT}.compliance.${framework.framework}`;
  return {
    name: `compliance ${framework.framework}`,
    cases: framework.controls.map((control): JUnitTestCase => {
      const name = `${framework.framework} ${control.control}`;
      if (control.status === "passed") return { name, classname, outcome: { status: "passed" } };
      const details = listWithinLimit(
        control.findings,
        (fingerprint) => {
          const finding = byFingerprint.get(fingerprint);
          return finding
            ? `${finding.severity} ${finding.ruleId} at ${locationLabel(finding) || "(no location)"}: ${finding.title}`
            : `finding ${fingerprint}`;
        },
        "\n",
        "findings",
      );
      const title = control.title ? ` (${control.title})` : "";
      return {
        name,
        classname,
        outcome: {
          status: "failed",
          message: `${name}${title} failed: ${control.findings.length} active ${control.findings.length === 1 ? "finding" : "findings"}`,
          details,
        },
      };
    }),
  };
}
