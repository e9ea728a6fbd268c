/**
 * The official SARIF 2.1.0 JSON schema, as shipped in @microsoft/sarif-multitool's platform package
 * (sarif-2.1.0.json, draft 2020-12), compiled once with ajv for the tests.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const multitool = path.dirname(require.resolve("@microsoft/sarif-multitool-linux/package.json"));
const schema = JSON.parse(readFileSync(path.join(multitool, "sarif-2.1.0.json"), "utf8"));

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

/** Schema violations of `log`, as "path message" lines; empty when valid. */
export function sarifSchemaErrors(log: unknown): string[] {
  if (validate(log)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ""}`);
}
