import { describe, expect, it } from "vitest";
import { parseVersionSelector } from "../src/modes.ts";
import { renderJUnit } from "../src/report/junit.ts";
import { renderSummary } from "../src/report/markdown.ts";
import { decide, type GuardResult, guardResultSchema, resultDocument } from "../src/result.ts";

const version = {
  key: "states/6f1c1b2e-8d7a-4a4e-9a51-0c2b3d4e5f60/000000000007-0123456789abcdef.tfstate.sgb",
  lineage: "6f1c1b2e-8d7a-4a4e-9a51-0c2b3d4e5f60",
  serial: 7,
  sha256: "0123456789abcdef".repeat(4),
  time: "2026-12-07T02:00:00.000Z",
  commit: "a1b2c3d4e5f6a7b8c9d0",
  terraformVersion: "1.13.3",
  size: 2048,
};

describe("the verdict", () => {
  it("is the strictest reason's, with FAIL reasons first and the order kept within a verdict", () => {
    const decided = decide([
      { verdict: "PASS", code: "A", message: "a" },
      { verdict: "WARN", code: "B", message: "b" },
      { verdict: "FAIL", code: "C", message: "c" },
      { verdict: "FAIL", code: "D", message: "d" },
    ]);
    expect(decided.verdict).toBe("FAIL");
    expect(decided.reasons.map((r) => r.code)).toEqual(["C", "D", "B", "A"]);
  });

  it("is PASS without reasons", () => {
    expect(decide([]).verdict).toBe("PASS");
  });
});

describe("RESTORE_VERSION", () => {
  it.each([
    ["latest", "latest"],
    ["", "latest"],
    ["42", { serial: 42 }],
    [`${version.lineage}:7`, { lineage: version.lineage, serial: 7 }],
    [version.key, { key: version.key }],
  ])("reads %j", (text, expected) => {
    expect(parseVersionSelector(text)).toEqual(expected);
  });

  it("names the variable and the accepted forms for anything else", () => {
    expect(() => parseVersionSelector("yesterday")).toThrow(
      /RESTORE_VERSION="yesterday" is not a version: expected latest, a serial \(42\), <lineage>:<serial> or a backup key/,
    );
  });
});

describe("the reports of a refused backup", () => {
  const result: GuardResult = {
    mode: "backup",
    ...decide([
      {
        verdict: "FAIL",
        code: "SERIAL_ROLLBACK",
        message: "the state's serial 5 is lower than the newest backup's 7: a rollback",
        suggestion: "Restore serial 7 or newer with MODE=restore.",
      },
    ]),
    store: "s3://acme-tfstate/live",
  };

  it("result.json validates against its published schema", () => {
    expect(guardResultSchema.safeParse(resultDocument(result, "0.1.0")).success).toBe(true);
    expect(
      guardResultSchema.safeParse(
        resultDocument(
          {
            ...result,
            versions: [version],
            audit: { checked: 1, ok: 1, problems: [], gaps: [], lineages: [] },
          },
          "0.1.0",
        ),
      ).success,
    ).toBe(true);
  });

  it("JUnit fails the refused check with its code", () => {
    const xml = renderJUnit(result);
    expect(xml).toContain(
      '<failure message="the state&apos;s serial 5 is lower than the newest backup&apos;s 7: a rollback" type="SERIAL_ROLLBACK"',
    );
  });

  it("the summary leads with the verdict and says what to do", () => {
    const md = renderSummary(result);
    expect(md.split("\n")[0]).toContain("State guard (backup): FAIL");
    expect(md).toContain("Restore serial 7 or newer with MODE=restore.");
  });

  it("the summary lists versions with their serial, short hash and commit", () => {
    const md = renderSummary({ ...result, versions: [version] });
    expect(md).toMatch(
      /\| 7 \| `6f1c1b2e-8d7a-4a4e-9a51-0c2b3d4e5f60` \| 2026-12-07 02:00:00Z \| `a1b2c3d4e5f6` \| `0123456789ab` \|/,
    );
  });
});
