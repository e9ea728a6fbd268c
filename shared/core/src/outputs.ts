/**
 * Where a pipe's results go, all written atomically:
 * - `$BITBUCKET_PIPE_SHARED_STORAGE_DIR/<pipe>/result.json` (+ its JSON Schema): read by later pipes;
 * - `<REPORTS_DIR>/`: human reports (Markdown, SARIF, ...) to declare as step artifacts;
 * - `test-results/<pipe>.xml`: JUnit, which Bitbucket's Tests tab picks up.
 */
import path from "node:path";
import { z } from "zod";
import type { BitbucketContext } from "./context.ts";
import { writeFileAtomic, writeJsonAtomic } from "./files.ts";

export class PipeOutputs {
  readonly sharedDir: string;
  readonly reportsDir: string;
  readonly testResultsDir: string;
  readonly written: string[] = [];

  readonly pipe: string;

  constructor(pipe: string, context: BitbucketContext, reportsDir: string) {
    this.pipe = pipe;
    this.sharedDir = path.join(context.pipeSharedStorageDir, pipe);
    this.reportsDir = path.resolve(context.cloneDir, reportsDir);
    this.testResultsDir = path.join(context.cloneDir, "test-results");
  }

  async #write(file: string, content: string): Promise<string> {
    await writeFileAtomic(file, content);
    this.written.push(file);
    return file;
  }

  /** The machine-readable result for later pipes, validated against its schema before it is written. */
  async writeResult<T>(schema: z.ZodType<T>, value: T, file = "result.json"): Promise<string> {
    const checked = schema.parse(value);
    const base = file.replace(/\.json$/, "");
    const schemaFile = path.join(this.sharedDir, `${base}.schema.json`);
    await writeJsonAtomic(schemaFile, z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }));
    return this.#write(
      path.join(this.sharedDir, file),
      `${JSON.stringify({ $schema: `./${base}.schema.json`, ...(checked as object) }, null, 2)}\n`,
    );
  }

  async writeReport(name: string, content: string): Promise<string> {
    return this.#write(path.join(this.reportsDir, name), content);
  }

  async writeJUnit(xml: string): Promise<string> {
    return this.#write(path.join(this.testResultsDir, `${this.pipe}.xml`), xml);
  }
}
