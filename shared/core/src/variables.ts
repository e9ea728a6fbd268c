/**
 * A pipe's whole public interface: one zod object of variables. Each field is made by a builder
 * below, which records how Bitbucket passes the value (`kind`) and its documentation in a zod
 * registry, so `pipe.yml` and the README's variable table are generated from the same schema that
 * parses the environment.
 */
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { type Env, parseBooleanWord } from "./env.ts";
import { InputError } from "./errors.ts";

export type VariableKind = "string" | "boolean" | "number" | "enum" | "duration" | "list";

export interface VariableMeta {
  kind: VariableKind;
  description: string;
  required: boolean;
  secret: boolean;
  /** Default as the user would write it in `variables:`. */
  defaultText?: string;
  /** Accepted values of an enum, or of each item of an enum list. */
  values?: readonly string[];
  /** What one item of a list looks like, for docs and errors. */
  itemForm?: string;
  /** The expected form, as said in errors and docs. */
  form: string;
  example?: string;
}

export const variableRegistry = z.registry<VariableMeta>();

interface Common {
  description: string;
  secret?: boolean;
  example?: string;
}
interface WithDefault<T> extends Common {
  default: T;
}
interface Optional extends Common {
  optional: true;
}
type Options<T> = Common | WithDefault<T> | Optional;

/** The input a field schema receives: a string, a list of strings (lists), or nothing. */
type Raw = string | readonly string[] | undefined;

function hasDefault<T>(options: Options<T>): options is WithDefault<T> {
  return "default" in options;
}

function build<T>(
  base: Omit<VariableMeta, "required" | "secret" | "description" | "example" | "defaultText">,
  options: Options<T>,
  convert: (raw: Exclude<Raw, undefined>) => { value: T } | { problem: string },
  defaultText: (value: T) => string,
) {
  const required = !hasDefault(options) && !("optional" in options);
  const meta: VariableMeta = {
    ...base,
    description: options.description,
    required,
    secret: options.secret ?? false,
    ...(options.example === undefined ? {} : { example: options.example }),
    ...(hasDefault(options) ? { defaultText: defaultText(options.default) } : {}),
  };
  const schema = z.custom<Raw>().transform((raw, ctx): T | undefined => {
    if (raw === undefined || raw === "") {
      if (hasDefault(options)) return options.default;
      if (required) ctx.addIssue({ code: "custom", message: `is required (${meta.form})` });
      return undefined;
    }
    const result = convert(raw);
    if ("problem" in result) {
      ctx.addIssue({ code: "custom", message: result.problem });
      return undefined;
    }
    return result.value;
  });
  return { schema, meta };
}

function quoted(raw: Raw, secret: boolean | undefined): string {
  if (secret) return "the given value";
  return Array.isArray(raw) ? JSON.stringify(raw) : `"${String(raw)}"`;
}

function asScalar(raw: Exclude<Raw, undefined>): string {
  return typeof raw === "string" ? raw : raw.join(",");
}

type Field<T, O> = z.ZodType<O extends WithDefault<T> ? T : O extends Optional ? T | undefined : T, Raw>;

function field<T, O extends Options<T>>(built: {
  schema: z.ZodType<T | undefined, Raw>;
  meta: VariableMeta;
}): Field<T, O> {
  built.schema.register(variableRegistry, built.meta);
  return built.schema as unknown as Field<T, O>;
}

function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== trimmed.replace(/\s+/g, "")) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
  return parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2] as keyof typeof unit], 0);
}

/** Formats milliseconds the way a user writes a duration variable: `90s`, `5m`, `1h30m`. */
export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** Builders for the variables of a pipe. Each gives a zod schema with its documentation attached. */
export const v = {
  string<O extends Options<string>>(options: O & { pattern?: RegExp; patternText?: string }) {
    const form = options.patternText ?? "text";
    return field<string, O>(
      build<string>(
        { kind: "string", form },
        options,
        (raw) => {
          const value = asScalar(raw);
          if (options.pattern && !options.pattern.test(value))
            return { problem: `${quoted(raw, options.secret)} is not ${form}` };
          return { value };
        },
        (d) => d,
      ),
    );
  },

  boolean<O extends Options<boolean>>(options: O) {
    return field<boolean, O>(
      build<boolean>(
        { kind: "boolean", form: "true or false" },
        options,
        (raw) => {
          const value = parseBooleanWord(asScalar(raw));
          return value === undefined
            ? {
                problem: `${quoted(raw, options.secret)} is not a boolean; expected true or false (also yes/no, 1/0)`,
              }
            : { value };
        },
        String,
      ),
    );
  },

  number<O extends Options<number>>(options: O & { min?: number; max?: number; integer?: boolean }) {
    const bounds = [
      options.integer ? "a whole number" : "a number",
      options.min === undefined ? "" : `≥ ${options.min}`,
      options.max === undefined ? "" : `≤ ${options.max}`,
    ].filter(Boolean);
    const form = bounds.join(" ");
    return field<number, O>(
      build<number>(
        { kind: "number", form },
        options,
        (raw) => {
          const text = asScalar(raw).trim();
          const value = Number(text);
          const ok =
            text !== "" &&
            Number.isFinite(value) &&
            (!options.integer || Number.isInteger(value)) &&
            (options.min === undefined || value >= options.min) &&
            (options.max === undefined || value <= options.max);
          return ok ? { value } : { problem: `${quoted(raw, options.secret)} is not ${form}` };
        },
        String,
      ),
    );
  },

  enum<const V extends readonly [string, ...string[]], O extends Options<V[number]>>(values: V, options: O) {
    return field<V[number], O>(
      build<V[number]>(
        { kind: "enum", form: `one of ${values.join(", ")}`, values },
        options,
        (raw) => {
          const text = asScalar(raw).trim().toLowerCase();
          const value = values.find((candidate) => candidate.toLowerCase() === text);
          return value === undefined
            ? { problem: `${quoted(raw, options.secret)} is not one of ${values.join(", ")}` }
            : { value };
        },
        (d) => d,
      ),
    );
  },

  /** A duration such as `90s`, `5m`, `1h30m` or a number of seconds; parsed to milliseconds. */
  duration<O extends Options<number>>(options: O & { max?: number }) {
    const form = "a duration such as 30s, 5m, 1h30m (a bare number is seconds)";
    return field<number, O>(
      build<number>(
        { kind: "duration", form },
        options,
        (raw) => {
          const value = parseDuration(asScalar(raw));
          if (value === undefined || value <= 0)
            return { problem: `${quoted(raw, options.secret)} is not ${form}` };
          if (options.max !== undefined && value > options.max)
            return {
              problem: `${quoted(raw, options.secret)} is longer than ${formatDuration(options.max)}`,
            };
          return { value };
        },
        formatDuration,
      ),
    );
  },

  /**
   * A list: in Bitbucket as `NAME_COUNT` with `NAME_0`..`NAME_n` (what a YAML list in `variables:`
   * becomes); for local runs also a JSON/YAML list or comma-separated text in `NAME`.
   */
  list<O extends Options<string[]>>(options: O & { values?: readonly string[]; itemForm?: string }) {
    const itemForm = options.values ? `one of ${options.values.join(", ")}` : (options.itemForm ?? "text");
    return field<string[], O>(
      build<string[]>(
        {
          kind: "list",
          form: `a list whose items are ${itemForm}`,
          itemForm,
          ...(options.values ? { values: options.values } : {}),
        },
        options,
        (raw) => {
          const items = typeof raw === "string" ? splitListText(raw) : [...raw];
          if (items === undefined) return { problem: `${quoted(raw, options.secret)} is not a list` };
          if (!options.values) return { value: items };
          const allowed = options.values;
          const canonical = items.map((item) =>
            allowed.find((a) => a.toLowerCase() === item.trim().toLowerCase()),
          );
          const bad = items.filter((_, i) => canonical[i] === undefined);
          if (bad.length > 0)
            return {
              problem: `${bad.map((b) => (options.secret ? "an item" : `"${b}"`)).join(", ")} ${bad.length === 1 ? "is" : "are"} not ${itemForm}`,
            };
          return { value: canonical as string[] };
        },
        (d) => (d.length === 0 ? "[]" : d.join(", ")),
      ),
    );
  },
};

/** Text in `NAME` for a list: a JSON/YAML flow or block list, or comma-separated items. */
function splitListText(text: string): string[] | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith("[") || trimmed.startsWith("- ")) {
    try {
      const parsed: unknown = parseYaml(trimmed);
      if (
        Array.isArray(parsed) &&
        parsed.every((item) => ["string", "number", "boolean"].includes(typeof item))
      )
        return parsed.map(String);
    } catch {
      return undefined;
    }
    return undefined;
  }
  return trimmed
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

export type VariableShape = Record<string, z.ZodType<unknown, Raw>>;

/** The variables of a pipe: a zod object whose fields come from the `v` builders. */
export function defineVariables<S extends VariableShape>(shape: S): z.ZodObject<S> {
  for (const [name, schema] of Object.entries(shape)) {
    if (!variableRegistry.has(schema)) throw new Error(`variable ${name} was not made by a v.* builder`);
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`variable ${name} is not UPPER_SNAKE_CASE`);
  }
  return z.object(shape);
}

export interface VariableDoc extends VariableMeta {
  name: string;
}

export function describeVariables(schema: z.ZodObject<VariableShape>): VariableDoc[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const meta = variableRegistry.get(field);
    if (!meta) throw new Error(`variable ${name} has no documentation`);
    return { name, ...meta };
  });
}

/** Reads a list variable as Bitbucket passes it: NAME_COUNT and NAME_0..NAME_{n-1}. */
function readList(env: Env, name: string): Raw | { problem: string } {
  const count = env[`${name}_COUNT`];
  if (count === undefined) return env[name];
  const n = Number(count);
  if (!Number.isInteger(n) || n < 0) return { problem: `${name}_COUNT "${count}" is not a whole number ≥ 0` };
  const items: string[] = [];
  const missing: string[] = [];
  for (let i = 0; i < n; i++) {
    const item = env[`${name}_${i}`];
    if (item === undefined) missing.push(`${name}_${i}`);
    else items.push(item);
  }
  if (missing.length > 0)
    return {
      problem: `${name}_COUNT is ${n} but ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set`,
    };
  return items;
}

export interface VariableProblem {
  name: string;
  message: string;
}

/** Every secret value given to the pipe, for masking. */
export function secretValues(schema: z.ZodObject<VariableShape>, env: Env): string[] {
  const values: string[] = [];
  for (const doc of describeVariables(schema)) {
    if (!doc.secret) continue;
    const raw = doc.kind === "list" ? readList(env, doc.name) : env[doc.name];
    if (typeof raw === "string") values.push(raw);
    else if (Array.isArray(raw)) values.push(...raw);
  }
  return values.filter((value) => value.length >= 3);
}

/**
 * Parses the environment against the pipe's variables. All problems are collected and thrown as
 * one InputError naming every bad variable; secret values are never echoed.
 */
export function parseVariables<S extends VariableShape>(
  schema: z.ZodObject<S>,
  env: Env,
): z.output<z.ZodObject<S>> {
  const raw: Record<string, Raw> = {};
  const problems: VariableProblem[] = [];
  for (const doc of describeVariables(schema)) {
    const value = doc.kind === "list" ? readList(env, doc.name) : env[doc.name];
    if (value !== undefined && typeof value === "object" && "problem" in value) {
      problems.push({ name: doc.name, message: value.problem });
      continue;
    }
    raw[doc.name] = value;
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? "variables");
      if (!problems.some((p) => p.name === name)) problems.push({ name, message: issue.message });
    }
  }
  if (problems.length > 0 || !result.success) {
    const lines = problems.map((p) => `  - ${p.name}: ${p.message}`);
    throw new InputError(
      `${problems.length} invalid variable${problems.length === 1 ? "" : "s"}:\n${lines.join("\n")}`,
      {
        code: "INVALID_VARIABLES",
        suggestion:
          "Fix the variables: section of this pipe in bitbucket-pipelines.yml (see the pipe's README).",
      },
    );
  }
  return result.data;
}
