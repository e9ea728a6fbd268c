import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import table from "../../data/checkov-severity.json" with { type: "json" };
import { SEVERITIES } from "../../src/findings.ts";

const readme = readFileSync(path.resolve(import.meta.dirname, "../../data/README.md"), "utf8");

/** The rows of the checkov-severity.json table in data/README.md: check → [severity, source]. */
function readmeRows(): Map<string, [string, string]> {
  const section = readme.split("## checkov-severity.json")[1]?.split(/\n## /)[0] ?? "";
  const rows = new Map<string, [string, string]>();
  for (const line of section.split("\n")) {
    const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
    if (cells.length >= 5 && /^CKV2?_/.test(cells[1] ?? ""))
      rows.set(cells[1] ?? "", [cells[3] ?? "", cells[4] ?? ""]);
  }
  return rows;
}

const checks = Object.entries(table.checks) as [
  string,
  { severity: string; source: string; reference?: string; reason?: string },
][];

describe("the shipped Checkov severity table", () => {
  it("covers the common AWS, Azure and GCP Terraform checks, MEDIUM for the rest", () => {
    expect(checks.length).toBeGreaterThanOrEqual(80);
    for (const prefix of ["CKV_AWS_", "CKV_AZURE_", "CKV_GCP_"]) {
      expect(checks.filter(([id]) => id.startsWith(prefix)).length).toBeGreaterThanOrEqual(15);
    }
    expect(table.default).toBe("MEDIUM");
  });

  it("names a severity and a source for every check: a Prisma Cloud page, a real report, or a reason", () => {
    for (const [id, entry] of checks) {
      expect(SEVERITIES, id).toContain(entry.severity);
      if (entry.source === "prisma")
        expect(entry.reference, id).toMatch(
          /^https:\/\/docs\.prismacloud\.io\/en\/enterprise-edition\/policy-reference\//,
        );
      else if (entry.source === "checkov-report")
        expect(entry.reference, id).toBe("shared/fixtures/native/checkov-severity.json");
      else {
        expect(entry.source, id).toBe("project");
        expect(entry.reason, id).toBeTruthy();
      }
    }
  });

  it("is documented row by row in data/README.md", () => {
    const rows = readmeRows();
    expect([...rows.keys()].sort()).toEqual(checks.map(([id]) => id).sort());
    for (const [id, entry] of checks) {
      const [severity, source] = rows.get(id) ?? [];
      expect(severity, id).toBe(entry.severity);
      const expectedSource = {
        prisma: "Prisma Cloud",
        "checkov-report": "Prisma Cloud, as reported",
        project: "Project",
      }[entry.source];
      expect(source?.startsWith(expectedSource ?? "?"), `${id}: ${source}`).toBe(true);
      if (entry.reference?.startsWith("https://")) expect(source, id).toContain(entry.reference);
    }
  });
});
