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
