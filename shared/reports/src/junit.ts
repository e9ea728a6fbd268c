/**
 * JUnit XML, in the flavour Bitbucket Pipelines reads for its Tests tab: <testsuites> of
 * <testsuite> of <testcase>, each with at most one <failure>, <error> or <skipped>. Bitbucket reads
 * the XML files in any test-results (or test-reports, surefire-reports, ...) folder up to three
 * levels down, shows the first 100 failed tests, and cuts each field at 2,000 characters:
 * https://support.atlassian.com/bitbucket-cloud/docs/test-reporting-in-pipelines/
 * Element and attribute names follow the Ant/Surefire schema that JUnit readers share:
 * https://github.com/windyroad/JUnit-Schema/blob/master/JUnit.xsd
 */
import { printableText, truncateText } from "./text.ts";

/** Bitbucket cuts every test case field here; we cut first, so the cut is marked. */
export const JUNIT_FIELD_LIMIT = 2000;

export type JUnitOutcome =
  | { status: "passed" }
  | { status: "failed"; message: string; type?: string; details?: string }
  | { status: "error"; message: string; type?: string; details?: string }
  | { status: "skipped"; message?: string };

export interface JUnitTestCase {
  name: string;
  classname: string;
  durationMs?: number;
  outcome: JUnitOutcome;
  /** Shown as the test's standard output. */
  output?: string;
}

export interface JUnitTestSuite {
  name: string;
  durationMs?: number;
  cases: readonly JUnitTestCase[];
}

interface JUnitCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function countJUnit(cases: readonly JUnitTestCase[]): JUnitCounts {
  const counts: JUnitCounts = { tests: cases.length, failures: 0, errors: 0, skipped: 0 };
  for (const testCase of cases) {
    if (testCase.outcome.status === "failed") counts.failures += 1;
    else if (testCase.outcome.status === "error") counts.errors += 1;
    else if (testCase.outcome.status === "skipped") counts.skipped += 1;
  }
  return counts;
}

/** The whole report as the file's content. `name` labels the <testsuites> root. */
export function buildJUnitXml(name: string, suites: readonly JUnitTestSuite[]): string {
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total: JUnitCounts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const body: string[] = [];
  let totalMs = 0;
  for (const suite of suites) {
    const counts = countJUnit(suite.cases);
    total.tests += counts.tests;
    total.failures += counts.failures;
    total.errors += counts.errors;
    total.skipped += counts.skipped;
    const suiteMs =
      suite.durationMs ?? suite.cases.reduce((sum, testCase) => sum + (testCase.durationMs ?? 0), 0);
    totalMs += suiteMs;
    body.push(`  <testsuite ${attributes({ name: suite.name, ...counts, time: seconds(suiteMs) })}>`);
    for (const testCase of suite.cases) body.push(...testCaseXml(testCase));
    body.push("  </testsuite>");
  }
  lines.push(`<testsuites ${attributes({ name, ...total, time: seconds(totalMs) })}>`);
  for (const line of body) lines.push(line);
  lines.push("</testsuites>");
  return `${lines.join("\n")}\n`;
}

function testCaseXml(testCase: JUnitTestCase): string[] {
  const open = `    <testcase ${attributes({
    name: testCase.name,
    classname: testCase.classname,
    time: seconds(testCase.durationMs ?? 0),
  })}`;
  const children: string[] = [];
  const { outcome } = testCase;
  if (outcome.status === "failed" || outcome.status === "error") {
    const element = outcome.status === "failed" ? "failure" : "error";
    const attrs = attributes({
      message: field(outcome.message),
      ...(outcome.type ? { type: outcome.type } : {}),
    });
    children.push(
      outcome.details
        ? `      <${element} ${attrs}>${escapeXmlText(field(outcome.details))}</${element}>`
        : `      <${element} ${attrs}/>`,
    );
  } else if (outcome.status === "skipped") {
    children.push(
      outcome.message
        ? `      <skipped ${attributes({ message: field(outcome.message) })}/>`
        : "      <skipped/>",
    );
  }
  if (testCase.output)
    children.push(`      <system-out>${escapeXmlText(field(testCase.output))}</system-out>`);
  return children.length === 0 ? [`${open}/>`] : [`${open}>`, ...children, "    </testcase>"];
}

function field(value: string): string {
  return truncateText(value, JUNIT_FIELD_LIMIT);
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}="${escapeXmlAttribute(String(value))}"`)
    .join(" ");
}

/** XML 1.0 character data: §2.4; characters outside §2.2 `Char` cannot appear even escaped. */
function escapeXmlText(value: string): string {
  return printableText(value).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** Attribute values (§3.3.3): quotes escaped, and tabs and line breaks as references so parsers keep them. */
function escapeXmlAttribute(value: string): string {
  return escapeXmlText(value)
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;")
    .replaceAll("\t", "&#9;")
    .replaceAll("\n", "&#10;")
    .replaceAll("\r", "&#13;");
}
