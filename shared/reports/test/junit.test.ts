import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { buildJUnitXml, JUNIT_FIELD_LIMIT, type JUnitTestSuite } from "../src/junit.ts";

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  // Decodes character references such as &#10; (fast-xml-parser leaves them alone otherwise).
  htmlEntities: true,
  isArray: (name) => ["testsuite", "testcase"].includes(name),
});

interface ParsedCase {
  name: string;
  classname: string;
  failure?: { message: string; type?: string; "#text"?: string };
  error?: { message: string };
  skipped?: { message?: string } | string;
  "system-out"?: string;
}
interface ParsedSuite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  testcase: ParsedCase[];
}

function parse(xml: string): { testsuites: ParsedSuite & { testsuite: ParsedSuite[] } } {
  return parser.parse(xml);
}

const checkov: JUnitTestSuite = {
  name: "checkov",
  cases: [
    {
      name: "checkov 2.2.34 ran",
      classname: "security-gate.checkov",
      durationMs: 12_340,
      outcome: { status: "passed" },
    },
    {
      name: "CKV_GCP_28 in gcs.tf",
      classname: "security-gate.checkov",
      outcome: {
        status: "failed",
        message: "HIGH Ensure that Cloud Storage bucket is not anonymously or publicly accessible",
        type: "HIGH",
        details: "gcs.tf:17 google_storage_bucket_iam_binding.allow_public_read",
      },
    },
    {
      name: "CKV_GCP_29 in gcs.tf",
      classname: "security-gate.checkov",
      outcome: { status: "skipped", message: "Suppressed: website bucket" },
    },
  ],
};
const semgrep: JUnitTestSuite = {
  name: "semgrep",
  cases: [
    {
      name: "semgrep ran",
      classname: "security-gate.semgrep",
      outcome: { status: "error", message: "semgrep exited with code 2" },
    },
  ],
};

describe("JUnit XML", () => {
  it("counts tests, failures, errors and skips per suite and in total", () => {
    const report = parse(buildJUnitXml("security-gate", [checkov, semgrep]));
    expect(report.testsuites).toMatchObject({
      name: "security-gate",
      tests: "4",
      failures: "1",
      errors: "1",
      skipped: "1",
    });
    const [first, second] = report.testsuites.testsuite;
    expect(first).toMatchObject({
      name: "checkov",
      tests: "3",
      failures: "1",
      errors: "0",
      skipped: "1",
      time: "12.340",
    });
    expect(second).toMatchObject({ name: "semgrep", tests: "1", failures: "0", errors: "1", skipped: "0" });
  });

  it("gives a failure its message attribute, its type and its details as the body", () => {
    const failed = parse(buildJUnitXml("security-gate", [checkov])).testsuites.testsuite[0]?.testcase[1];
    expect(failed?.failure).toEqual({
      message: "HIGH Ensure that Cloud Storage bucket is not anonymously or publicly accessible",
      type: "HIGH",
      "#text": "gcs.tf:17 google_storage_bucket_iam_binding.allow_public_read",
    });
    expect(
      parse(buildJUnitXml("security-gate", [checkov])).testsuites.testsuite[0]?.testcase[2]?.skipped,
    ).toEqual({
      message: "Suppressed: website bucket",
    });
  });

  it("escapes <&\"' in names, attributes and bodies and keeps line breaks in messages", () => {
    const tricky = `if a < b && c > "d" || 'e'\nsecond line`;
    const xml = buildJUnitXml("a&b", [
      {
        name: `<script>"suite"</script>`,
        cases: [
          {
            name: tricky,
            classname: "x'y",
            outcome: { status: "failed", message: tricky, details: `${tricky} ]]> <![CDATA[` },
          },
        ],
      },
    ]);
    const report = parse(xml);
    const suite = report.testsuites.testsuite[0];
    expect(report.testsuites.name).toBe("a&b");
    expect(suite?.name).toBe(`<script>"suite"</script>`);
    expect(suite?.testcase[0]?.name).toBe(tricky);
    expect(suite?.testcase[0]?.classname).toBe("x'y");
    expect(suite?.testcase[0]?.failure?.message).toBe(tricky);
    expect(suite?.testcase[0]?.failure?.["#text"]).toBe(`${tricky} ]]> <![CDATA[`);
  });

  it("strips characters XML cannot hold (control characters, colour codes, lone surrogates)", () => {
    const xml = buildJUnitXml("gate", [
      {
        name: "gitleaks",
        cases: [
          {
            name: "bell\u0007 null\u0000 esc\u001b[31mred\u001b[0m lone\uD800 ok😀",
            classname: "security-gate.gitleaks",
            outcome: { status: "failed", message: "form\u000Cfeed", details: "vertical\u000Btab" },
          },
        ],
      },
    ]);
    const controlCharacters = [...xml].filter(
      (character) => character < " " && !"\t\n\r".includes(character),
    );
    expect(controlCharacters).toEqual([]);
    const testCase = parse(xml).testsuites.testsuite[0]?.testcase[0];
    expect(testCase?.name).toBe("bell null escred lone\uFFFD ok😀");
    expect(testCase?.failure).toMatchObject({ message: "formfeed", "#text": "verticaltab" });
  });

  it("cuts each field at Bitbucket's 2,000-character limit, marking the cut", () => {
    const xml = buildJUnitXml("gate", [
      {
        name: "trivy",
        cases: [
          {
            name: "CVE-2021-33503 in requirements.txt",
            classname: "security-gate.trivy",
            outcome: { status: "failed", message: "x".repeat(5000), details: "y".repeat(5000) },
          },
        ],
      },
    ]);
    const failure = parse(xml).testsuites.testsuite[0]?.testcase[0]?.failure;
    expect(failure?.message).toHaveLength(JUNIT_FIELD_LIMIT);
    expect(failure?.message.endsWith("…")).toBe(true);
    expect(failure?.["#text"]).toHaveLength(JUNIT_FIELD_LIMIT);
  });
});
