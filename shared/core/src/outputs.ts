/**
 * Where a pipe's results go, all written atomically:
 * - `$BITBUCKET_PIPE_SHARED_STORAGE_DIR/<pipe>/result.json` (+ its JSON Schema): read by later pipes;
 * - `<REPORTS_DIR>/`: human reports (Markdown, SARIF, ...) to declare as step artifacts;
 * - `test-results/<pipe>.xml`: JUnit, which Bitbucket's Tests tab picks up.
 */
import path from "node:path";
import { z } from "zod";
import type { BitbucketContext } from "./context.ts";
import { type FileContent, writeFileAtomic, writeJsonAtomic } from "./files.ts";

export interface ResultOptions {
  /** The file's name in the pipe's shared storage folder. Default: result.json. */
  file?: string;
  /**
   * The value was built by typed code and a test validates what it builds against the schema, so the
   * run-time check (a full copy of the value, seconds on a result of 100,000 findings) is skipped.
   */
  checked?: boolean;
}

/**
 * JSON for people and machines: one line per top-level field and per element of a top-level array,
 * each compact. Written as chunks, so a result of 100 MB is never one string.
 */
function* jsonLines(value: object): Generator<string> {
  // The fields JSON.stringify leaves out of an object.
  const fields = Object.entries(value).filter(
    ([, field]) => field !== undefined && typeof field !== "function" && typeof field !== "symbol",
  );
  yield "{\n";
  for (const [index, [key, field]] of fields.entries()) {
    const comma = index < fields.length - 1 ? "," : "";
    if (Array.isArray(field) && field.length > 0) {
      yield `  ${JSON.stringify(key)}: [\n`;
      for (let i = 0; i < field.length; i += 1)
        yield `    ${JSON.stringify(field[i]) ?? "null"}${i < field.length - 1 ? "," : ""}\n`;
      yield `  ]${comma}\n`;
    } else {
      yield `  ${JSON.stringify(key)}: ${JSON.stringify(field)}${comma}\n`;
    }
  }
  yield "}\n";
}

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

  async #write(file: string, content: FileContent): Promise<string> {
    await writeFileAtomic(file, content);
    this.written.push(file);
    return file;
  }

  /**
   * The machine-readable result for later pipes, validated against its schema before it is written
   * (unless `checked`), with the schema beside it.
   */
  async writeResult<T>(schema: z.ZodType<T>, value: T, options: ResultOptions = {}): Promise<string> {
    const file = options.file ?? "result.json";
    const document = options.checked ? value : schema.parse(value);
    const base = file.replace(/\.json$/, "");
    const schemaFile = path.join(this.sharedDir, `${base}.schema.json`);
    await writeJsonAtomic(schemaFile, z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }));
    return this.#write(
      path.join(this.sharedDir, file),
      jsonLines({ $schema: `./${base}.schema.json`, ...(document as object) }),
    );
  }

  /** A report: its whole text, or its text as chunks (see FileContent). */
  async writeReport(name: string, content: FileContent): Promise<string> {
    return this.#write(path.join(this.reportsDir, name), content);
  }

  async writeJUnit(xml: FileContent): Promise<string> {
    return this.#write(path.join(this.testResultsDir, `${this.pipe}.xml`), xml);
  }
}
