import { InputError } from "@pipes/core";
import { describe, expect, it } from "vitest";
import {
  baselineFingerprints,
  baselineFromResult,
  buildBaseline,
  parseBaseline,
  serializeBaseline,
} from "../../src/baseline.ts";
import {
  checkovGcsLogging,
  checkovPublicGcsBucket,
  gitleaksGenericApiKey,
  trivyBlockPublicAcls,
  trivyRootUser,
} from "../real-findings.ts";

const created = new Date("2025-01-31T10:00:00Z");
const FILE = ".security-gate-baseline.json";

function problem(text: string): string {
  try {
    parseBaseline(text, FILE);
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error("expected the baseline to be rejected");
}

describe("baselines", () => {
  const findings = [
    trivyRootUser,
    checkovPublicGcsBucket,
    gitleaksGenericApiKey,
    checkovGcsLogging,
    trivyRootUser,
  ];

  it("round-trips: a written baseline parses back to the same baseline", () => {
    const baseline = buildBaseline(findings, { created, commit: "9fceb02" });
    expect(parseBaseline(serializeBaseline(baseline), FILE)).toEqual(baseline);
  });

  it("lists each fingerprint once, by file and rule, one per line, for readable diffs", () => {
    const text = serializeBaseline(buildBaseline(findings, { created, commit: "9fceb02" }));
    expect(text).toBe(
      [
        "{",
        '  "version": 1,',
        '  "created": "2025-01-31T10:00:00.000Z",',
        '  "commit": "9fceb02",',
        '  "findings": [',
        `    {"fingerprint":"${trivyRootUser.fingerprint}","rule":"DS002","file":"Dockerfile"},`,
        `    {"fingerprint":"${checkovPublicGcsBucket.fingerprint}","rule":"CKV_GCP_28","file":"gcs.tf"},`,
        `    {"fingerprint":"${checkovGcsLogging.fingerprint}","rule":"CKV_GCP_62","file":"gcs.tf"},`,
        `    {"fingerprint":"${gitleaksGenericApiKey.fingerprint}","rule":"generic-api-key","file":"tests/api.py"}`,
        "  ]",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("writes an empty baseline that parses back", () => {
    const empty = buildBaseline([], { created });
    expect(parseBaseline(serializeBaseline(empty), FILE)).toEqual(empty);
  });

  it("knows the fingerprints of the findings it was built from, and only those", () => {
    const known = baselineFingerprints(buildBaseline(findings, { created }));
    expect(known.has(checkovPublicGcsBucket.fingerprint)).toBe(true);
    expect(known.has(trivyBlockPublicAcls.fingerprint)).toBe(false);
  });

  it("is built from the result the last run stored on the destination branch", () => {
    const baseline = baselineFromResult({
      createdAt: "2025-01-30T08:00:00.000Z",
      commit: "e83c516",
      findings: [
        { fingerprint: checkovGcsLogging.fingerprint, ruleId: "CKV_GCP_62", file: "gcs.tf" },
        { fingerprint: trivyRootUser.fingerprint, ruleId: "DS002", file: "Dockerfile" },
      ],
    });
    expect(baseline).toEqual({
      version: 1,
      created: "2025-01-30T08:00:00.000Z",
      commit: "e83c516",
      findings: [
        { fingerprint: trivyRootUser.fingerprint, rule: "DS002", file: "Dockerfile" },
        { fingerprint: checkovGcsLogging.fingerprint, rule: "CKV_GCP_62", file: "gcs.tf" },
      ],
    });
  });

  it("rejects a file that is not JSON, naming it", () => {
    expect(problem('{"version": 1,\n<<<<<<< HEAD\n')).toMatch(
      /^\.security-gate-baseline\.json is not a valid baseline: not JSON/,
    );
  });

  it("rejects a baseline of another version", () => {
    expect(problem('{"version": 2, "created": "2025-01-31T10:00:00Z", "findings": []}')).toContain(
      ".security-gate-baseline.json: version: must be 1",
    );
  });

  it("rejects a malformed entry, naming its key path", () => {
    const text = JSON.stringify({
      version: 1,
      created: "2025-01-31T10:00:00Z",
      findings: [{ fingerprint: "abc", rule: "DS002" }, { rule: "CKV_GCP_62" }],
    });
    expect(problem(text)).toBe(".security-gate-baseline.json: findings[1].fingerprint: is required");
  });
});
