/**
 * The Bitbucket Cloud API document as a contract the fake enforces: which operation a request is,
 * whether the request is one the real API would accept, and whether the fake's answer is one the
 * real API could give. Built on openapi-backend's router and Ajv validation.
 *
 * The document has known gaps (see shared/bitbucket/spec/README.md). They are corrected here, each
 * correction small and named, rather than by editing the vendored document, so it can be replaced
 * with a newer copy as is.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ErrorObject } from "ajv";
import addFormatsPlugin from "ajv-formats";
import { OpenAPIBackend, type Operation } from "openapi-backend";
import YAML from "yaml";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
// openapi-types' Document, as openapi-backend declares it, without a dependency on openapi-types.
type ApiDocument = ConstructorParameters<typeof OpenAPIBackend>[0]["definition"];

/** The base path of every API URL: https://api.bitbucket.org/2.0 */
export const API_ROOT = "/2.0";

const METHODS = ["get", "put", "post", "delete", "patch"] as const;

export interface MatchedOperation {
  operationId: string;
  /** The path parameters, decoded. */
  params: Record<string, string>;
  operation: Operation;
}

export interface ContractRequest {
  method: string;
  /** The path below the API root, as sent (still encoded). */
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[]>;
  body: unknown;
}

export interface ApiContract {
  match(method: string, path: string): MatchedOperation | undefined;
  /** What the real API would reject the request for; empty when it is valid. */
  requestErrors(request: ContractRequest, matched: MatchedOperation): string[];
  /** How the answer departs from what the API document allows; empty when it conforms. */
  responseErrors(matched: MatchedOperation, status: number, body: unknown): string[];
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function walk(node: Json, visit: (object: JsonObject) => void): void {
  if (Array.isArray(node)) for (const item of node) walk(item, visit);
  else if (isObject(node)) {
    visit(node);
    for (const value of Object.values(node)) walk(value, visit);
  }
}

function at(root: Json, ...keys: Array<string | number>): JsonObject {
  let node: Json | undefined = root;
  for (const key of keys)
    node = Array.isArray(node) ? node[Number(key)] : isObject(node) ? node[key] : undefined;
  if (!isObject(node))
    throw new Error(`The Bitbucket API document has no ${keys.join(".")}: update the correction.`);
  return node;
}

function operations(doc: JsonObject): Array<{ path: string; method: string; operation: JsonObject }> {
  return Object.entries(at(doc, "paths")).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = isObject(item) ? item[method] : undefined;
      return isObject(operation) ? [{ path, method, operation }] : [];
    }),
  );
}

// ── Corrections ──────────────────────────────────────────────────────────────────────────────────

/** 231 operations have no operationId, and openapi-backend validates only operations that have one. */
function nameEveryOperation(doc: JsonObject): void {
  for (const { path, method, operation } of operations(doc)) {
    if (typeof operation.operationId !== "string") operation.operationId = `${method.toUpperCase()} ${path}`;
  }
}

/**
 * Every collection takes page, pagelen, q and sort, and every call takes fields
 * (https://developer.atlassian.com/cloud/bitbucket/rest/intro/#pagination, #filtering, #partial-response),
 * but few operations declare them.
 */
function acceptPaginationEverywhere(doc: JsonObject): void {
  const everywhere: Record<string, JsonObject> = { fields: { type: "string" } };
  const collections: Record<string, JsonObject> = {
    ...everywhere,
    page: { type: "integer", minimum: 1 },
    pagelen: { type: "integer", minimum: 1, maximum: 100 },
    q: { type: "string" },
    sort: { type: "string" },
  };
  for (const { method, operation } of operations(doc)) {
    const parameters = Array.isArray(operation.parameters) ? operation.parameters : [];
    const declared = new Set(
      parameters.flatMap((p) => (isObject(p) && typeof p.name === "string" ? [p.name] : [])),
    );
    for (const [name, schema] of Object.entries(method === "get" ? collections : everywhere)) {
      if (!declared.has(name)) parameters.push({ name, in: "query", required: false, schema });
    }
    operation.parameters = parameters;
  }
}

/** The documented request samples omit `type`, which the base `object` schema requires, and the API takes them. */
function typeIsOptionalInRequests(doc: JsonObject): void {
  delete at(doc, "components", "schemas", "object").required;
}

/** `report_data.value` is declared an object, but its documented formats are booleans, numbers and strings too. */
function reportDataValueIsAnyScalarOrObject(doc: JsonObject): void {
  at(doc, "components", "schemas", "report_data", "properties").value = {
    anyOf: [{ type: "boolean" }, { type: "number" }, { type: "string" }, { type: "object" }],
  };
}

/** Limits the API enforces (its 400 answers, the endpoint descriptions) that the document does not declare. */
function enforceCodeInsightsLimits(doc: JsonObject): void {
  const schemas = at(doc, "components", "schemas");
  at(schemas, "report_annotation", "allOf", 1, "properties", "summary").maxLength = 450;
  at(schemas, "report", "allOf", 1, "properties", "details").maxLength = 2000;
  at(schemas, "report", "allOf", 1, "properties", "data").maxItems = 10;
}

/** Real responses carry fields the document does not declare: accept them rather than strip them. */
function responsesMayCarryUndeclaredFields(doc: JsonObject): void {
  walk(doc, (node) => {
    if (node.additionalProperties === false) delete node.additionalProperties;
  });
}

/** Enums that list null on a string type (a participant's `state`): the API sends null. */
function nullInEnumMeansNullable(doc: JsonObject): void {
  walk(doc, (node) => {
    if (Array.isArray(node.enum) && node.enum.includes(null)) node.nullable = true;
  });
}

// ── Loading ──────────────────────────────────────────────────────────────────────────────────────

function specPath(): string {
  return createRequire(import.meta.url).resolve("@pipes/bitbucket/openapi.yaml");
}

async function backendFor(doc: JsonObject): Promise<OpenAPIBackend> {
  // JsonObject and openapi-types' Document describe the same parsed YAML; the cast only names it.
  const api = new OpenAPIBackend({
    definition: doc as unknown as ApiDocument,
    apiRoot: API_ROOT,
    quick: true,
    validate: true,
    coerceTypes: true,
    ajvOpts: { strict: false, allErrors: true },
    customizeAjv: (ajv) => {
      addFormatsPlugin.default(ajv);
      return ajv;
    },
  });
  await api.init();
  return api;
}

function describe(error: ErrorObject, side: "request" | "response"): string {
  const where =
    side === "response"
      ? `response${error.instancePath}`
      : error.instancePath
          .replace(/^\/requestBody/, "body")
          .replace(/^\/query\//, "query parameter ")
          .replace(/^\/path\//, "path parameter ")
          .replace(/^\/header\//, "header ");
  const params = error.params as {
    allowedValues?: unknown[];
    additionalProperty?: string;
    missingProperty?: string;
  };
  const detail = params.allowedValues
    ? `: ${params.allowedValues.join(", ")}`
    : params.additionalProperty
      ? ` (${params.additionalProperty})`
      : "";
  return `${where || "request"} ${error.message ?? error.keyword}${detail}`;
}

function messages(errors: ErrorObject[] | null | undefined, side: "request" | "response"): string[] {
  return [...new Set((errors ?? []).map((error) => describe(error, side)))];
}

async function buildContract(): Promise<ApiContract> {
  const parsed: Json = YAML.parse(readFileSync(specPath(), "utf8"));
  if (!isObject(parsed)) throw new Error(`${specPath()} is not an OpenAPI document.`);
  nameEveryOperation(parsed);
  acceptPaginationEverywhere(parsed);
  reportDataValueIsAnyScalarOrObject(parsed);

  const forRequests = structuredClone(parsed);
  typeIsOptionalInRequests(forRequests);
  enforceCodeInsightsLimits(forRequests);
  const forResponses = structuredClone(parsed);
  responsesMayCarryUndeclaredFields(forResponses);
  nullInEnumMeansNullable(forResponses);

  const [requests, responses] = await Promise.all([backendFor(forRequests), backendFor(forResponses)]);

  return {
    match(method, path) {
      const request = { method: method.toLowerCase(), path: `${API_ROOT}${path}`, headers: {} };
      const operation = requests.router.matchOperation(request);
      if (!operation?.operationId) return undefined;
      const params: Record<string, string> = {};
      for (const [name, value] of Object.entries(
        requests.router.parseRequest(request, operation).params ?? {},
      )) {
        params[name] = decodeURIComponent(String(value));
      }
      return { operationId: operation.operationId, params, operation };
    },
    requestErrors(request, matched) {
      const result = requests.validator.validateRequest(
        {
          method: request.method.toLowerCase(),
          path: `${API_ROOT}${request.path}`,
          query: request.query,
          headers: request.headers,
          body: request.body,
        },
        matched.operation,
      );
      return messages(result.errors, "request");
    },
    responseErrors(matched, status, body) {
      const operation = responses.router.getOperation(matched.operationId);
      if (!operation) return [`the API document has no operation ${matched.operationId}`];
      return messages(responses.validator.validateResponse(body, operation, status).errors, "response");
    },
  };
}

// The document takes about a second to parse and index: build the contract once per process. It is
// never changed after it is built, so sharing it cannot leak state between tests.
let contract: Promise<ApiContract> | undefined;

export function loadApiContract(): Promise<ApiContract> {
  contract ??= buildContract();
  return contract;
}
