import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { bitbucketContext } from "../src/context.ts";
import { PipeOutputs } from "../src/outputs.ts";

describe("pipe outputs", () => {
  it("writes the result for later pipes with its JSON Schema under the shared storage dir", async () => {
    const clone = await mkdtemp(path.join(tmpdir(), "clone-"));
    const shared = path.join(clone, "shared");
    const context = bitbucketContext({
      BITBUCKET_CLONE_DIR: clone,
      BITBUCKET_PIPE_SHARED_STORAGE_DIR: shared,
    });
    const outputs = new PipeOutputs("demo-pipe", context, "pipe-reports/demo-pipe");
    const schema = z.object({ verdict: z.enum(["PASS", "FAIL"]), count: z.number() });
    await outputs.writeResult(schema, { verdict: "PASS", count: 2 });
    const result = JSON.parse(await readFile(path.join(shared, "demo-pipe/result.json"), "utf8"));
    expect(result).toEqual({ $schema: "./result.schema.json", verdict: "PASS", count: 2 });
    const jsonSchema = JSON.parse(await readFile(path.join(shared, "demo-pipe/result.schema.json"), "utf8"));
    expect(jsonSchema.properties.verdict.enum).toEqual(["PASS", "FAIL"]);
    await outputs.writeJUnit("<testsuites/>");
    expect(await readdir(path.join(clone, "test-results"))).toEqual(["demo-pipe.xml"]);
  });

  it("writes a large result compact, one line per element of its lists, as valid JSON", async () => {
    const clone = await mkdtemp(path.join(tmpdir(), "clone-"));
    const shared = path.join(clone, "shared");
    const context = bitbucketContext({
      BITBUCKET_CLONE_DIR: clone,
      BITBUCKET_PIPE_SHARED_STORAGE_DIR: shared,
    });
    const outputs = new PipeOutputs("demo-pipe", context, "reports");
    const schema = z.object({
      verdict: z.string(),
      note: z.string().optional(),
      findings: z.array(z.object({ id: z.number(), file: z.string() })),
      warnings: z.array(z.string()),
    });
    const findings = Array.from({ length: 50_000 }, (_, id) => ({ id, file: `modules/m${id}/main.tf` }));
    const value = { verdict: "FAIL", note: undefined, findings, warnings: [] };
    await outputs.writeResult(schema, value, { checked: true });
    const text = await readFile(path.join(shared, "demo-pipe/result.json"), "utf8");
    expect(JSON.parse(text)).toEqual({
      $schema: "./result.schema.json",
      verdict: "FAIL",
      findings,
      warnings: [],
    });
    const lines = text.split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "{",
      '  "$schema": "./result.schema.json",',
      '  "verdict": "FAIL",',
      '  "findings": [',
    ]);
    expect(lines[4]).toBe('    {"id":0,"file":"modules/m0/main.tf"},');
    expect(lines).toHaveLength(findings.length + 8);
  });

  it("writes a report given as chunks atomically, as one file", async () => {
    const clone = await mkdtemp(path.join(tmpdir(), "clone-"));
    const context = bitbucketContext({
      BITBUCKET_CLONE_DIR: clone,
      BITBUCKET_PIPE_SHARED_STORAGE_DIR: clone,
    });
    const outputs = new PipeOutputs("demo-pipe", context, "reports");
    function* chunks() {
      for (let i = 0; i < 200_000; i += 1) yield `line ${i} ✓\n`;
    }
    const file = await outputs.writeReport("big.txt", chunks());
    const text = await readFile(file, "utf8");
    expect(text.split("\n")).toHaveLength(200_001);
    expect(text.endsWith("line 199999 ✓\n")).toBe(true);
    expect(await readdir(path.join(clone, "reports"))).toEqual(["big.txt"]);
  });

  it("leaves the previous file in place when the chunks fail midway", async () => {
    const clone = await mkdtemp(path.join(tmpdir(), "clone-"));
    const context = bitbucketContext({
      BITBUCKET_CLONE_DIR: clone,
      BITBUCKET_PIPE_SHARED_STORAGE_DIR: clone,
    });
    const outputs = new PipeOutputs("demo-pipe", context, "reports");
    const file = await outputs.writeReport("report.sarif", "previous\n");
    function* failing() {
      yield "x".repeat(3 << 20);
      throw new Error("renderer bug");
    }
    await expect(outputs.writeReport("report.sarif", failing())).rejects.toThrow("renderer bug");
    expect(await readFile(file, "utf8")).toBe("previous\n");
    expect(await readdir(path.join(clone, "reports"))).toEqual(["report.sarif"]);
  });

  it("refuses to write a result that does not match its schema, leaving nothing behind", async () => {
    const clone = await mkdtemp(path.join(tmpdir(), "clone-"));
    const context = bitbucketContext({
      BITBUCKET_CLONE_DIR: clone,
      BITBUCKET_PIPE_SHARED_STORAGE_DIR: `${clone}/s`,
    });
    const outputs = new PipeOutputs("demo-pipe", context, "reports");
    await expect(outputs.writeResult(z.object({ n: z.number() }), { n: "x" } as never)).rejects.toThrow();
    await expect(readdir(path.join(clone, "s"))).rejects.toThrow();
  });
});
