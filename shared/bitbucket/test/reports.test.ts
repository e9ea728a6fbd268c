import { type FakeBitbucket, startFakeBitbucket } from "@pipes/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ANNOTATION_SEVERITIES,
  type AnnotationSeverity,
  type InsightAnnotation,
  type WireAnnotation,
} from "../src/code-insights.ts";
import { BitbucketApiError } from "../src/errors.ts";
import { postAnnotations, publishCodeInsights, putReport } from "../src/reports.ts";
import { capturedLog } from "./captured-log.ts";
import { COMMIT, clientAgainst } from "./fake-client.ts";

let fake: FakeBitbucket;
beforeAll(async () => {
  fake = await startFakeBitbucket();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const report = {
  id: "security-gate",
  title: "Security gate",
  details: "Checkov, Trivy, Semgrep and gitleaks over this commit",
  type: "SECURITY",
  result: "FAILED",
  reporter: "bitbucket-pipes/security-gate",
  data: [{ title: "Safe to merge?", type: "BOOLEAN", value: false }],
} as const;

/** 2,500 findings with severities mixed as scanners report them: mostly LOW, few CRITICAL. */
function findings(): InsightAnnotation[] {
  const cycle: AnnotationSeverity[] = [
    "LOW",
    "LOW",
    "MEDIUM",
    "LOW",
    "HIGH",
    "LOW",
    "MEDIUM",
    "LOW",
    "LOW",
    "CRITICAL",
  ];
  return Array.from({ length: 2500 }, (_, i) => ({
    id: `finding-${i}`,
    summary: `Finding ${i}`,
    type: "VULNERABILITY",
    severity: cycle[i % cycle.length],
    path: `modules/m${i % 7}/main.tf`,
    line: (i % 300) + 1,
  }));
}

const rank = (severity: unknown) => ANNOTATION_SEVERITIES.indexOf(severity as AnnotationSeverity);

describe("publishing Code Insights", () => {
  it("sends a report with 2,500 findings as one PUT and the 1,000 most severe annotations in batches of 100", async () => {
    const client = clientAgainst(fake, capturedLog().logger);

    const published = await publishCodeInsights(client, COMMIT, report, findings());

    expect(published).toEqual({ reportId: "security-gate", annotationsSent: 1000, annotationsOmitted: 1500 });
    expect(fake.callsTo("PUT", "/repositories/*/*/commit/*/reports/*")).toHaveLength(1);
    const batches = fake.callsTo("POST", "/repositories/*/*/commit/*/reports/*/annotations");
    expect(batches).toHaveLength(10);
    for (const batch of batches) expect((batch.body as unknown[]).length).toBeLessThanOrEqual(100);

    const sent = batches.flatMap((batch) => batch.body as Array<{ severity: string }>);
    expect(sent).toHaveLength(1000);
    const severities = sent.map((a) => rank(a.severity));
    expect(severities).toEqual([...severities].sort((a, b) => a - b));
    expect(sent.filter((a) => a.severity === "CRITICAL")).toHaveLength(250);
    expect(sent.filter((a) => a.severity === "HIGH")).toHaveLength(250);
    expect(sent.filter((a) => a.severity === "MEDIUM")).toHaveLength(500);

    const [stored] = fake.reports();
    expect(stored?.report).toMatchObject({
      title: "Security gate",
      report_type: "SECURITY",
      result: "FAILED",
    });
    expect(stored?.annotations).toHaveLength(1000);
    expect(fake.violations).toEqual([]);
  });

  it("replaces the report and updates its annotations when the pipe runs again on the same commit", async () => {
    const client = clientAgainst(fake, capturedLog().logger);
    const some = findings().slice(0, 150);

    await publishCodeInsights(client, COMMIT, report, some);
    await publishCodeInsights(client, COMMIT, { ...report, result: "PASSED" }, some);

    const stored = fake.reports();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.report.result).toBe("PASSED");
    expect(stored[0]?.annotations).toHaveLength(150);
    expect(fake.violations).toEqual([]);
  });

  it("sends only the report when there are no findings", async () => {
    const client = clientAgainst(fake, capturedLog().logger);

    await publishCodeInsights(client, COMMIT, { ...report, result: "PASSED" });

    expect(fake.calls.map((c) => c.method)).toEqual(["PUT"]);
  });

  it("fails, and the fake records why, when a batch breaks the API's rules", async () => {
    const client = clientAgainst(fake, capturedLog().logger);
    await putReport(client, COMMIT, report);
    // What a careless mapping of a scanner's "BLOCKER" would send: not one of Bitbucket's severities.
    const invalid = { external_id: "x", annotation_type: "VULNERABILITY", summary: "x", severity: "BLOCKER" };

    const error = await postAnnotations(client, COMMIT, report.id, [
      invalid as unknown as WireAnnotation,
    ]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BitbucketApiError);
    expect((error as BitbucketApiError).status).toBe(400);
    expect(fake.violations).toEqual([
      expect.objectContaining({
        kind: "request",
        operationId: "bulkCreateOrUpdateAnnotations",
        errors: ["body/0/severity must be equal to one of the allowed values: CRITICAL, HIGH, MEDIUM, LOW"],
      }),
    ]);
  });
});
