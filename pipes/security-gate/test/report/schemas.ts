/**
 * Validators for what the report tests check against: the official SARIF 2.1.0 schema (shipped in
 * @microsoft/sarif-multitool's platform package) and the Bitbucket OpenAPI document's `report` and
 * `report_annotation` schemas (`../shared/spec/bitbucket-openapi.yaml`, beside the repository).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parse } from "yaml";

const require = createRequire(import.meta.url);

function errorsOf(validate: import("ajv").ValidateFunction) {
  return (value: unknown): string[] =>
    validate(value)
      ? []
      : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ""}`);
}

const sarifAjv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(sarifAjv);
const multitool = path.dirname(require.resolve("@microsoft/sarif-multitool-linux/package.json"));
/** SARIF schema violations of a log; empty when valid. */
export const sarifSchemaErrors = errorsOf(
  sarifAjv.compile(JSON.parse(readFileSync(path.join(multitool, "sarif-2.1.0.json"), "utf8"))),
);

const repositoryRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const specFile = path.resolve(repositoryRoot, "../shared/spec/bitbucket-openapi.yaml");
const openapi = parse(readFileSync(specFile, "utf8"), { maxAliasCount: -1 }) as {
  components: { schemas: Record<string, Record<string, unknown>> };
};
const schemas = openapi.components.schemas;
// The document types report_data.value as `object`, while its own createOrUpdateReport operation
// (and its sample request) sends numbers, booleans and strings, and an object only for LINK.
schemas.report_data = {
  ...schemas.report_data,
  properties: {
    ...(schemas.report_data?.properties as object),
    value: { anyOf: [{ type: "boolean" }, { type: "number" }, { type: "string" }, { type: "object" }] },
  },
};
// As the fake Bitbucket API does (shared/testkit/src/fake-bitbucket-contract.ts): the documented
// request samples omit `type`, which the base `object` schema requires, and the API takes them; and
// the API enforces limits the document does not declare.
delete schemas.object?.required;
type Schema = { allOf?: Schema[]; properties?: Record<string, Schema>; [keyword: string]: unknown };
/** A schema's own property: `allOf[0]` is the base `object`, `allOf[1]` the schema's fields. */
const property = (name: string, field: string): Schema =>
  (schemas[name] as Schema).allOf?.[1]?.properties?.[field] ?? {};
property("report_annotation", "summary").maxLength = 450;
property("report", "details").maxLength = 2000;
property("report", "data").maxItems = 10;
// OpenAPI 3.0 schemas: `discriminator` and `x-bb-*` are annotations, ignored outside strict mode.
const openapiAjv = new Ajv({ allErrors: true, strict: false });
addFormats.default(openapiAjv);
openapiAjv.addSchema({ $id: "bitbucket", components: { schemas } });

/** Violations of the OpenAPI `report` schema by a wire report (undeclared fields allowed, as the schema says). */
export const reportSchemaErrors = errorsOf(
  openapiAjv.compile({ $ref: "bitbucket#/components/schemas/report" }),
);
/** Violations of the OpenAPI `report_annotation` schema by a wire annotation. */
export const annotationSchemaErrors = errorsOf(
  openapiAjv.compile({ $ref: "bitbucket#/components/schemas/report_annotation" }),
);
