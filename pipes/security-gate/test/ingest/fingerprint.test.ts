import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { fingerprint, normalizeSourceText, secretDigest } from "../../src/ingest/fingerprint.ts";
import { parseReport } from "../../src/ingest/parse-report.ts";
import { sourceLinesUnder } from "../../src/ingest/source-lines.ts";
import { contextFor, fixtureProject, readLocalFixture } from "./report-fixtures.ts";

const base = {
  ruleId: "CKV_AWS_24",
  file: "infra/main.tf",
  message: "Ensure no security groups allow ingress",
};

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the fixture project with lines inserted above everything, as when someone adds a resource. */
function projectWithLinesInserted(count: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), "security-gate-fingerprint-"));
  copies.push(dir);
  cpSync(fixtureProject, dir, { recursive: true });
  for (const file of ["infra/main.tf", "app/handler.py"]) {
    const original = readFileSync(path.join(dir, file), "utf8");
    writeFileSync(path.join(dir, file), `${"# a comment\n".repeat(count)}${original}`);
  }
  return dir;
}

/** Semgrep's report of the fixture project, with its lines moved down by `shift`. */
function semgrepFindingIn(root: string, shift: number) {
  const json = JSON.parse(readLocalFixture("semgrep-1.185.0.json"));
  for (const result of json.results) {
    result.start.line += shift;
    result.end.line += shift;
  }
  const context = contextFor("semgrep.json", { repoRoot: root, source: sourceLinesUnder(root) });
  return parseReport(JSON.stringify(json), context).findings[0];
}

describe("fingerprints", () => {
  it("are 64 hex digits of SHA-256 and do not depend on line numbers", () => {
    expect(fingerprint(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("follow a resource, not its message or lines", () => {
    const a = fingerprint({ ...base, resource: "aws_security_group.ssh" });
    expect(fingerprint({ ...base, resource: "aws_security_group.ssh", message: "reworded" })).toBe(a);
    expect(fingerprint({ ...base, resource: "aws_security_group.web" })).not.toBe(a);
    expect(fingerprint({ ...base, resource: "aws_security_group.ssh", file: "infra/other.tf" })).not.toBe(a);
    expect(fingerprint({ ...base, resource: "aws_security_group.ssh", ruleId: "CKV_AWS_25" })).not.toBe(a);
  });

  it("follow the flagged code when it moves down the file", () => {
    const moved = projectWithLinesInserted(7);
    const before = semgrepFindingIn(fixtureProject, 0);
    const after = semgrepFindingIn(moved, 7);
    expect(before?.location).toEqual({ file: "app/handler.py", startLine: 6, endLine: 6 });
    expect(after?.location).toEqual({ file: "app/handler.py", startLine: 13, endLine: 13 });
    expect(after?.fingerprint).toBe(before?.fingerprint);
  });

  it("change when the flagged code changes", () => {
    const code = fingerprint({ ...base, sourceText: 'cidr_blocks = ["0.0.0.0/0"]' });
    expect(fingerprint({ ...base, sourceText: '  cidr_blocks   = ["0.0.0.0/0"]\n' })).toBe(code);
    expect(fingerprint({ ...base, sourceText: 'cidr_blocks = ["10.0.0.0/8"]' })).not.toBe(code);
  });

  it("fall back to the message when the file is not in the checkout", () => {
    const withoutSource = semgrepFindingIn(path.join(tmpdir(), "no-such-checkout"), 0);
    expect(withoutSource?.fingerprint).toBe(
      fingerprint({
        ruleId: "python-subprocess-shell-true",
        file: "app/handler.py",
        message: withoutSource?.message ?? "",
      }),
    );
  });

  it("of secrets follow the secret's digest, and never contain the secret", () => {
    const secret = `AKIA${"Z4ORWB3NPQ7XKT2M"}`;
    const leak = { ruleId: "aws-access-token", file: "app/settings.ini", message: "AWS", secret };
    expect(fingerprint({ ...leak, sourceText: "line one" })).toBe(
      fingerprint({ ...leak, sourceText: "line two" }),
    );
    expect(fingerprint({ ...leak, secret: `AKIA${"Q7XKT2MZ4ORWB3NP"}` })).not.toBe(fingerprint(leak));
    expect(fingerprint(leak)).not.toContain(secret);
    expect(secretDigest(secret)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("normalize indentation and blank lines of the flagged code", () => {
    expect(normalizeSourceText('  resource "x"  {\r\n\n\t a =   1\n}\n')).toBe('resource "x" {\na = 1\n}');
  });

  it("normalizes any text as trimming each line, collapsing whitespace and dropping blank lines does", () => {
    const longhand = (text: string) =>
      text
        .split(/\r?\n/)
        .map((line) => line.trim().replace(/\s+/g, " "))
        .filter((line) => line !== "")
        .join("\n");
    // Texts made mostly of the characters that matter: spaces, tabs, line ends, Unicode spaces.
    const piece = fc.oneof(
      fc.constantFrom(" ", "  ", "\t", "\n", "\r\n", "\r", "\u00a0", "\u2028", "\ufeff", "x", "y z"),
      fc.string({ maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join("");
        expect(normalizeSourceText(text)).toBe(longhand(text));
      }),
      { numRuns: 5000 },
    );
  });
});
