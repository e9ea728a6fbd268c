import { describe, expect, it } from "vitest";
import { dedupeFindings } from "../../src/dedupe.ts";
import type { Suppression } from "../../src/gate.ts";
import { applySuppressions, isExpired } from "../../src/suppressions.ts";
import {
  checkovGcsLogging,
  checkovGcsUniformAccess,
  checkovPublicGcsBucket,
  checkovUnencryptedBucket,
  gitleaksGenericApiKey,
  trivyUnencryptedBucket,
} from "../real-findings.ts";

const now = new Date("2025-03-01T12:00:00Z");

function suppressedIds(
  suppressions: Suppression[],
  findings = [checkovPublicGcsBucket, checkovGcsUniformAccess],
) {
  return applySuppressions(findings, suppressions, now).suppressedBy.map((s) => s?.id);
}

describe("applySuppressions", () => {
  it("hides the findings whose rule matches the suppression's glob", () => {
    expect(suppressedIds([{ id: "gcp-buckets", rule: "CKV_GCP_2*", reason: "reviewed" }])).toEqual([
      "gcp-buckets",
      "gcp-buckets",
    ]);
    expect(suppressedIds([{ id: "one", rule: "CKV_GCP_29", reason: "reviewed" }])).toEqual([
      undefined,
      "one",
    ]);
  });

  it("needs every criterion it sets to match: rule and path", () => {
    expect(suppressedIds([{ id: "elsewhere", rule: "CKV_GCP_29", path: "modules/**", reason: "r" }])).toEqual(
      [undefined, undefined],
    );
    expect(suppressedIds([{ id: "here", rule: "CKV_GCP_29", path: "*.tf", reason: "r" }])).toEqual([
      undefined,
      "here",
    ]);
  });

  it("matches paths the way tools print them, with or without a leading slash", () => {
    const checkovPath = { ...gitleaksGenericApiKey, location: { file: "/tests/api.py", startLine: 21 } };
    expect(suppressedIds([{ id: "tests", path: "tests/**", reason: "test keys" }], [checkovPath])).toEqual([
      "tests",
    ]);
  });

  it("hides exactly the finding with the suppression's fingerprint", () => {
    const suppression = { id: "this-one", fingerprint: checkovGcsLogging.fingerprint, reason: "r" };
    expect(suppressedIds([suppression], [checkovGcsUniformAccess, checkovGcsLogging])).toEqual([
      undefined,
      "this-one",
    ]);
  });

  it("hides a merged finding by the rule id of any tool that reported it", () => {
    const [merged] = dedupeFindings([checkovUnencryptedBucket, trivyUnencryptedBucket]);
    expect(merged?.ruleId).toBe("CKV_AWS_19");
    const byTrivyId = {
      id: "sse-by-default",
      rule: "AVD-AWS-0088",
      reason: "S3 encrypts new objects by default",
    };
    expect(suppressedIds([byTrivyId], merged === undefined ? [] : [merged])).toEqual(["sse-by-default"]);
  });

  it("no longer hides anything once expired, and says which suppression expired", () => {
    const expired = { id: "old", rule: "CKV_GCP_29", reason: "r", expires: "2025-02-28" };
    const outcome = applySuppressions([checkovGcsUniformAccess], [expired], now);
    expect(outcome.suppressedBy).toEqual([undefined]);
    expect(outcome.expired).toEqual([expired]);
  });

  it("lists the active suppressions that matched nothing", () => {
    const unused = { id: "stale", rule: "CKV_AWS_999", reason: "r" };
    expect(applySuppressions([checkovGcsLogging], [unused], now).unused).toEqual([unused]);
  });
});

describe("isExpired", () => {
  const until = (expires: string): Suppression => ({ id: "s", rule: "R", reason: "r", expires });

  it("keeps a date-only suppression active through that whole day (UTC)", () => {
    expect(isExpired(until("2025-03-01"), new Date("2025-03-01T23:59:59Z"))).toBe(false);
    expect(isExpired(until("2025-03-01"), new Date("2025-03-02T00:00:00Z"))).toBe(true);
  });

  it("ends a suppression with a time at that instant", () => {
    expect(isExpired(until("2025-03-01T12:00:00Z"), new Date("2025-03-01T11:59:59Z"))).toBe(false);
    expect(isExpired(until("2025-03-01T12:00:00Z"), now)).toBe(true);
  });

  it("never expires a suppression without a date", () => {
    expect(isExpired({ id: "s", rule: "R", reason: "r" }, new Date("2999-01-01T00:00:00Z"))).toBe(false);
  });
});
