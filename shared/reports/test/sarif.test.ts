import { describe, expect, it } from "vitest";
import {
  buildSarifLog,
  type SarifResultInput,
  type SarifRuleInput,
  type SarifRunInput,
  sarifLogChunks,
  serializeSarif,
} from "../src/sarif.ts";
import { sarifSchemaErrors } from "./sarif-schema.ts";

// Rules and results as Trivy and Checkov report them (shared/fixtures/sarif/trivy-terraform-config.sarif,
// shared/fixtures/native/checkov-severity.json).
const publicAcl: SarifRuleInput = {
  id: "AVD-AWS-0086",
  shortDescription: "S3 Access block should block public ACL",
  helpUri: "https://avd.aquasec.com/misconfig/avd-aws-0086",
  defaultLevel: "error",
  securitySeverity: 8,
  tags: ["security", "iac", "security"],
};
const bucketEncryption: SarifRuleInput = {
  id: "AVD-AWS-0088",
  shortDescription: "Unencrypted S3 bucket.",
  helpUri: "https://avd.aquasec.com/misconfig/avd-aws-0088",
  defaultLevel: "error",
  securitySeverity: 8,
};
const publicBucket: SarifRuleInput = {
  id: "CKV_GCP_28",
  shortDescription: "Ensure that Cloud Storage bucket is not anonymously or publicly accessible",
  helpUri: "https://docs.bridgecrew.io/docs/bc_gcp_public_1",
  securitySeverity: 8,
};

function trivyResult(rule: SarifRuleInput, message: string, startLine: number): SarifResultInput {
  return { rule, level: "error", message, location: { path: "main.tf", startLine, endLine: 10 } };
}

describe("SARIF log", () => {
  it("writes one run per tool, each rule once, and results pointing at their rule by index", () => {
    const log = buildSarifLog([
      {
        tool: { name: "trivy", version: "0.58.1", informationUri: "https://trivy.dev" },
        results: [
          trivyResult(publicAcl, "No public access block so not blocking public acls", 8),
          trivyResult(bucketEncryption, "Bucket does not have encryption enabled", 8),
          trivyResult(publicAcl, "No public access block so not blocking public acls", 20),
        ],
      },
      {
        tool: { name: "checkov", version: "2.2.34" },
        results: [
          {
            rule: publicBucket,
            level: "error",
            message: publicBucket.shortDescription,
            location: { path: "/gcs.tf", startLine: 17, endLine: 21 },
          },
        ],
      },
    ]);

    expect(log.runs.map((run) => run.tool.driver.name)).toEqual(["trivy", "checkov"]);
    const [trivy, checkov] = log.runs;
    expect(trivy?.tool.driver.rules?.map((rule) => rule.id)).toEqual(["AVD-AWS-0086", "AVD-AWS-0088"]);
    expect(trivy?.results?.map((result) => [result.ruleId, result.ruleIndex])).toEqual([
      ["AVD-AWS-0086", 0],
      ["AVD-AWS-0088", 1],
      ["AVD-AWS-0086", 0],
    ]);
    expect(trivy?.tool.driver.rules?.[0]).toEqual({
      id: "AVD-AWS-0086",
      shortDescription: { text: "S3 Access block should block public ACL" },
      helpUri: "https://avd.aquasec.com/misconfig/avd-aws-0086",
      defaultConfiguration: { level: "error" },
      properties: { tags: ["security", "iac"], "security-severity": "8.0" },
    });
    expect(checkov?.results?.[0]?.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: "gcs.tf", uriBaseId: "%SRCROOT%" },
          region: { startLine: 17, endLine: 21 },
        },
      },
    ]);
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it("marks a suppressed result with an external, accepted suppression carrying the reason", () => {
    const log = buildSarifLog([
      {
        tool: { name: "checkov" },
        results: [
          {
            rule: publicBucket,
            level: "error",
            message: publicBucket.shortDescription,
            location: { path: "gcs.tf", startLine: 17 },
            baselineState: "unchanged",
            suppression: { justification: "Public website bucket, reviewed by security (SEC-142)" },
          },
        ],
      },
    ]);
    expect(log.runs[0]?.results?.[0]).toMatchObject({
      baselineState: "unchanged",
      suppressions: [
        {
          kind: "external",
          status: "accepted",
          justification: "Public website bucket, reviewed by security (SEC-142)",
        },
      ],
    });
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it("stays schema-valid for awkward input: odd paths, no location, line 0, a non-web help link, a failed run", () => {
    const log = buildSarifLog(
      [
        {
          tool: { name: "semgrep", informationUri: "not a url" },
          execution: { successful: false, error: "semgrep exited with code 2: invalid rule file" },
          results: [
            {
              rule: { id: "rules.taint-trace", shortDescription: "", helpUri: "javascript:alert(1)" },
              level: "warning",
              message: "",
              location: { path: "./src/my file#1.cpp", startLine: 0 },
            },
            {
              rule: {
                id: "CVE-2021-33503",
                shortDescription: "python-urllib3: ReDoS in the parsing of authority part of URL",
              },
              level: "error",
              message: "urllib3 1.26.3",
              location: { path: "C:\\repo\\requirements.txt", startLine: 5, endLine: 2 },
              partialFingerprints: { "securityGate/v1": "4b1c0f" },
            },
          ],
        },
      ],
      { sourceRoot: "/opt/atlassian/pipelines/agent/build" },
    );
    const [run] = log.runs;
    expect(run?.originalUriBaseIds).toEqual({
      "%SRCROOT%": { uri: "file:///opt/atlassian/pipelines/agent/build/" },
    });
    expect(run?.invocations?.[0]?.executionSuccessful).toBe(false);
    expect(run?.tool.driver.informationUri).toBeUndefined();
    expect(run?.tool.driver.rules?.[0]?.helpUri).toBeUndefined();
    expect(run?.results?.[0]?.message.text).toBe("rules.taint-trace");
    expect(run?.results?.[0]?.locations?.[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: "src/my%20file%231.cpp", uriBaseId: "%SRCROOT%" },
    });
    expect(run?.results?.[1]?.locations?.[0]?.physicalLocation?.region).toEqual({ startLine: 5, endLine: 5 });
    expect(run?.results?.[1]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe(
      "C%3A/repo/requirements.txt",
    );
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it("builds and serialises 100,000 results over 500 rules in well under a few seconds", () => {
    const rules = Array.from({ length: 500 }, (_, index) => ({
      id: `CKV_AWS_${index}`,
      shortDescription: `Check ${index}`,
    }));
    const results = Array.from(
      { length: 100_000 },
      (_, index): SarifResultInput => ({
        rule: rules[index % rules.length] ?? publicAcl,
        level: "warning",
        message: `Finding ${index}`,
        location: { path: `modules/m${index % 97}/main.tf`, startLine: (index % 300) + 1 },
        partialFingerprints: { "securityGate/v1": index.toString(16) },
      }),
    );
    const started = performance.now();
    const text = serializeSarif(buildSarifLog([{ tool: { name: "checkov" }, results }]));
    const elapsed = performance.now() - started;

    const parsed = JSON.parse(text);
    expect(parsed.runs[0].tool.driver.rules).toHaveLength(500);
    expect(parsed.runs[0].results).toHaveLength(100_000);
    expect(parsed.runs[0].results[99_999].ruleIndex).toBe(99_999 % 500);
    expect(elapsed).toBeLessThan(5_000);
  });
  it("streams the same text run by run, from runs made one at a time", () => {
    const runs: SarifRunInput[] = [
      {
        tool: { name: "trivy", version: "0.58.1", informationUri: "https://trivy.dev" },
        execution: { successful: true },
        results: [
          trivyResult(publicAcl, "No public access block so not blocking public acls", 8),
          trivyResult(bucketEncryption, "Bucket does not have encryption enabled", 8),
        ],
      },
      { tool: { name: "semgrep" }, execution: { successful: false, error: "exit 2" }, results: [] },
      {
        tool: { name: "checkov" },
        results: [
          { rule: publicBucket, level: "error", message: "public", location: { path: "gcs.tf" } },
          {
            rule: publicBucket,
            level: "warning",
            message: "",
            location: { path: "./web site/#1/gcs.tf", startLine: 0 },
            partialFingerprints: { "securityGate/v1": "ab12" },
            baselineState: "unchanged",
            suppression: { justification: "reviewed", properties: { id: "website", expires: "2026-12-31" } },
            properties: { severity: "HIGH", controls: ["SOC2 CC6.1"] },
          },
          { rule: bucketEncryption, level: "note", message: "no place", suppression: { justification: "x" } },
        ],
      },
      // More results than one chunk holds.
      {
        tool: { name: "trivy" },
        results: Array.from({ length: 1234 }, (_, i) =>
          trivyResult(i % 2 === 0 ? publicAcl : bucketEncryption, `finding ${i}`, i),
        ),
      },
    ];
    const made: string[] = [];
    function* oneAtATime() {
      for (const run of runs) {
        made.push(run.tool.name);
        yield run;
      }
    }
    const chunks = sarifLogChunks(oneAtATime(), { sourceRoot: "/build" });
    const first = chunks.next();
    expect(first.done).toBe(false);
    expect(made).toEqual([]);
    const text = [first.value, ...chunks].join("");
    expect(made).toEqual(["trivy", "semgrep", "checkov", "trivy"]);
    expect(text).toBe(serializeSarif(buildSarifLog(runs, { sourceRoot: "/build" })));
    expect([...sarifLogChunks([])].join("")).toBe(serializeSarif(buildSarifLog([])));
  });

  it("reads a run's results from a generator once, and from a re-readable iterable as they are written", () => {
    const results = Array.from({ length: 1200 }, (_, i) =>
      trivyResult(i % 3 === 0 ? publicAcl : bucketEncryption, `finding ${i}`, i + 1),
    );
    const expected = serializeSarif(buildSarifLog([{ tool: { name: "trivy" }, results }]));
    function* once() {
      yield* results;
    }
    expect([...sarifLogChunks([{ tool: { name: "trivy" }, results: once() }])].join("")).toBe(expected);
    let made = 0;
    const madeEachTime = {
      *[Symbol.iterator]() {
        for (const result of results) {
          made += 1;
          yield { ...result };
        }
      },
    };
    const chunks = sarifLogChunks([{ tool: { name: "trivy" }, results: madeEachTime }]);
    const texts = [chunks.next().value, chunks.next().value];
    // The rules are known after one pass; the second makes the results as the chunks are written.
    expect(made).toBeLessThan(2 * results.length);
    expect([...texts, ...chunks].join("")).toBe(expected);
    expect(made).toBe(2 * results.length);
    // Given each result's rule, the first pass reads those: each result is made once.
    made = 0;
    const rules = {
      *[Symbol.iterator]() {
        for (const result of results) yield result.rule;
      },
    };
    const withRules = [...sarifLogChunks([{ tool: { name: "trivy" }, results: madeEachTime, rules }])];
    expect(withRules.join("")).toBe(expected);
    expect(made).toBe(results.length);
  });
});
