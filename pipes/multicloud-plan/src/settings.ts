/**
 * The pipe's configuration file (`CONFIG_FILE`): the targets map of @pipes/terraform plus this
 * pipe's own `guard` and `validation` sections. A missing file means the default map and defaults.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { type BitbucketContext, InputError } from "@pipes/core";
import {
  DEFAULT_TARGETS_CONFIG,
  PROVIDERS,
  parseTargetsConfig,
  parseYamlFile,
  type TargetsConfig,
} from "@pipes/terraform";
import { z } from "zod";
import type { Variables } from "./variables.ts";

const guardSchema = z
  .object({
    /** Deletes and replaces in these environments are protected. */
    protected_environments: z.array(z.string().min(1)).default(["production"]),
    /** Deletes and replaces of these resource types are protected in every environment. */
    protected_types: z.array(z.string().min(1)).default([]),
  })
  .strict();

const validationSchema = z
  .object({
    required_tags: z.array(z.string().min(1)).default([]),
    allowed_regions: z.partialRecord(z.enum(PROVIDERS), z.array(z.string().min(1))).default({}),
    name_pattern: z
      .string()
      .refine(
        (text) => {
          try {
            new RegExp(text);
            return true;
          } catch {
            return false;
          }
        },
        { message: "is not a regular expression" },
      )
      .optional(),
  })
  .strict();

const pipeSectionsSchema = z.object({
  guard: guardSchema.default({ protected_environments: ["production"], protected_types: [] }),
  validation: validationSchema.default({ required_tags: [], allowed_regions: {} }),
});

export type GuardPolicy = z.output<typeof guardSchema>;
export type ValidationRules = z.output<typeof validationSchema>;

export interface Settings {
  targets: TargetsConfig;
  guard: GuardPolicy;
  validation: ValidationRules;
  /** How the map is named in messages: the file, or "the default map". */
  source: string;
  /** Target directories are relative to this folder: the config file's, else the clone's. */
  baseDir: string;
}

const OWN_SECTIONS = ["guard", "validation"];

export async function loadSettings(vars: Variables, context: BitbucketContext): Promise<Settings> {
  const file = path.resolve(context.cloneDir, vars.CONFIG_FILE);
  let text: string | undefined;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      throw new InputError(`CONFIG_FILE ${vars.CONFIG_FILE} cannot be read: ${String(error)}`);
  }
  const requiredTags = vars.REQUIRED_TAGS;
  if (text === undefined) {
    const sections = pipeSectionsSchema.parse({});
    return {
      targets: DEFAULT_TARGETS_CONFIG,
      guard: sections.guard,
      validation: requiredTags
        ? { ...sections.validation, required_tags: requiredTags }
        : sections.validation,
      source: "the default map",
      baseDir: context.cloneDir,
    };
  }
  const targets = parseTargetsConfig(text, vars.CONFIG_FILE, OWN_SECTIONS);
  const raw = parseYamlFile(text, vars.CONFIG_FILE) as Record<string, unknown>;
  const sections = pipeSectionsSchema.safeParse({ guard: raw.guard, validation: raw.validation });
  if (!sections.success)
    throw new InputError(
      `${vars.CONFIG_FILE} is not a valid targets file: ${sections.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      { code: "TARGETS_CONFIG" },
    );
  const { guard, validation } = sections.data;
  return {
    targets,
    guard,
    validation: requiredTags ? { ...validation, required_tags: requiredTags } : validation,
    source: vars.CONFIG_FILE,
    baseDir: path.dirname(file),
  };
}
