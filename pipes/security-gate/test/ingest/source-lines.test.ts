import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sourceLinesUnder } from "../../src/ingest/source-lines.ts";

const root = mkdtempSync(path.join(tmpdir(), "security-gate-source-"));
const outside = mkdtempSync(path.join(tmpdir(), "security-gate-outside-"));
afterAll(() => {
  for (const dir of [root, outside]) rmSync(dir, { recursive: true, force: true });
});
mkdirSync(path.join(root, "modules/vpc"), { recursive: true });
writeFileSync(
  path.join(root, "modules/vpc/main.tf"),
  'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n',
);
writeFileSync(path.join(outside, "secret.tf"), "outside\n");
mkdirSync(path.join(outside, "shared"));
writeFileSync(path.join(outside, "shared/linked.tf"), "linked line\n");
symlinkSync(path.join(outside, "shared"), path.join(root, "linked"));

describe("source lines for fingerprints", () => {
  it("reads the flagged lines of a file in a nested folder of the checkout", () => {
    const source = sourceLinesUnder(root);
    expect(source.read("modules/vpc/main.tf", 2, 2)).toBe('  cidr_block = "10.0.0.0/16"');
    expect(source.read("modules/vpc/main.tf", 1, 3)).toBe(
      'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}',
    );
  });

  it("reads nothing for files or folders the checkout lacks, and nothing outside it", () => {
    const source = sourceLinesUnder(root);
    expect(source.read("modules/vpc/missing.tf", 1, 1)).toBeUndefined();
    expect(source.read("modules/m7/main.tf", 1, 1)).toBeUndefined();
    expect(source.read("modules/vpc/main.tf/x", 1, 1)).toBeUndefined();
    expect(source.read(`../${path.basename(outside)}/secret.tf`, 1, 1)).toBeUndefined();
    expect(source.read("modules/vpc/main.tf", 9, 9)).toBeUndefined();
  });

  it("follows a folder linked into the checkout", () => {
    expect(sourceLinesUnder(root).read("linked/linked.tf", 1, 1)).toBe("linked line");
  });
});
