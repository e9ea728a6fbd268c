import { describe, expect, it } from "vitest";
import {
  type InsightAnnotation,
  inBatches,
  selectAnnotations,
  toWireAnnotation,
  toWireReport,
  truncate,
} from "../src/code-insights.ts";

function annotation(overrides: Partial<InsightAnnotation> = {}): InsightAnnotation {
  return { summary: "S3 bucket allows public read", type: "VULNERABILITY", ...overrides };
}

describe("the report on the wire", () => {
  it("uses Bitbucket's field names and leaves out what is not set", () => {
    expect(
      toWireReport({
        id: "security-gate",
        title: "Security gate",
        details: "2 new HIGH findings",
        type: "SECURITY",
        result: "FAILED",
        reporter: "bitbucket-pipes/security-gate",
        link: "https://example.com/run/1",
        logoUrl: "https://example.com/logo.png",
        data: [
          { title: "Safe to merge?", type: "BOOLEAN", value: false },
          { title: "Duration", type: "DURATION", value: 14_000 },
          { title: "Details", type: "LINK", value: { text: "SARIF", href: "https://example.com/sarif" } },
        ],
      }),
    ).toEqual({
      title: "Security gate",
      details: "2 new HIGH findings",
      report_type: "SECURITY",
      result: "FAILED",
      reporter: "bitbucket-pipes/security-gate",
      link: "https://example.com/run/1",
      logo_url: "https://example.com/logo.png",
      data: [
        { title: "Safe to merge?", type: "BOOLEAN", value: false },
        { title: "Duration", type: "DURATION", value: 14_000 },
        { title: "Details", type: "LINK", value: { text: "SARIF", href: "https://example.com/sarif" } },
      ],
    });
    expect(toWireReport({ id: "r", title: "Tests", type: "TEST" })).toEqual({
      title: "Tests",
      report_type: "TEST",
    });
  });

  it("cuts details to 2000 characters, the title to 450 and data to 10 fields", () => {
    const wire = toWireReport({
      id: "r",
      title: "t".repeat(600),
      details: "d".repeat(5000),
      type: "BUG",
      data: Array.from({ length: 12 }, (_, i) => ({ title: `n${i}`, type: "NUMBER" as const, value: i })),
    });
    expect(wire.title).toHaveLength(450);
    expect(wire.details).toHaveLength(2000);
    expect(wire.details?.endsWith("…")).toBe(true);
    expect(wire.data).toHaveLength(10);
  });

  it("leaves out a link that is not an absolute URL, which the API would reject", () => {
    expect(toWireReport({ id: "r", title: "t", type: "BUG", link: "reports/1.html" }).link).toBeUndefined();
  });
});

describe("annotations on the wire", () => {
  it("carry a stable external id derived from the finding when none is given", () => {
    const a = annotation({ path: "main.tf", line: 12, severity: "HIGH" });
    expect(toWireAnnotation(a).external_id).toBe(toWireAnnotation({ ...a }).external_id);
    expect(toWireAnnotation(a).external_id).not.toBe(toWireAnnotation({ ...a, line: 13 }).external_id);
    expect(toWireAnnotation({ ...a, id: "checkov-CKV_AWS_20-abc" }).external_id).toBe(
      "checkov-CKV_AWS_20-abc",
    );
  });

  it("cut the summary to 450 characters and details to 2000", () => {
    const wire = toWireAnnotation(annotation({ summary: "s".repeat(451), details: "d".repeat(2001) }));
    expect(wire.summary).toHaveLength(450);
    expect(wire.details).toHaveLength(2000);
  });

  it("drop a line that is not a positive whole number (the API's minimum is 1)", () => {
    expect(toWireAnnotation(annotation({ path: "a.tf", line: 0 })).line).toBeUndefined();
    expect(toWireAnnotation(annotation({ path: "a.tf", line: 3 })).line).toBe(3);
  });
});

describe("which annotations a report gets", () => {
  it("sends the most severe first, annotations without a severity last", () => {
    const { kept } = selectAnnotations([
      annotation({ id: "low", severity: "LOW" }),
      annotation({ id: "none" }),
      annotation({ id: "critical", severity: "CRITICAL" }),
      annotation({ id: "medium", severity: "MEDIUM" }),
      annotation({ id: "high", severity: "HIGH" }),
    ]);
    expect(kept.map((a) => a.id)).toEqual(["critical", "high", "medium", "low", "none"]);
  });

  it("keeps the 1000 most severe and counts the rest as omitted", () => {
    const many = [
      ...Array.from({ length: 1500 }, (_, i) => annotation({ id: `low-${i}`, severity: "LOW" })),
      ...Array.from({ length: 10 }, (_, i) => annotation({ id: `critical-${i}`, severity: "CRITICAL" })),
    ];
    const { kept, omitted } = selectAnnotations(many);
    expect(kept).toHaveLength(1000);
    expect(omitted).toBe(510);
    expect(kept.slice(0, 10).every((a) => a.severity === "CRITICAL")).toBe(true);
  });

  it("sends one annotation per id, the most severe of duplicates", () => {
    const { kept } = selectAnnotations([
      annotation({ id: "same", severity: "LOW" }),
      annotation({ id: "same", severity: "HIGH" }),
    ]);
    expect(kept).toEqual([annotation({ id: "same", severity: "HIGH" })]);
  });

  it("batches by 100", () => {
    expect(inBatches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(inBatches([], 100)).toEqual([]);
  });

  it("never splits a surrogate pair when truncating", () => {
    expect(truncate("ab😀cd", 4)).toBe("ab…");
    expect(truncate("short", 10)).toBe("short");
  });
});
