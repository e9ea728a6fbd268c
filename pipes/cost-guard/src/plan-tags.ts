/**
 * Tags (AWS `tags_all`/`tags`, Azure `tags`) and labels (Google `labels`) of the planned resources,
 * by address, from plan JSONs (`terraform show -json`, https://developer.hashicorp.com/terraform/internals/json-format).
 * Only these fields are read; the rest of the plan is left to multicloud-plan's @pipes/terraform.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { InputError } from "@pipes/core";
import { z } from "zod";
import type { ResourceTags } from "./costs.ts";

const labels = z.record(z.string(), z.unknown()).nullish();
const planTagsSchema = z.looseObject({
  resource_changes: z
    .array(
      z.looseObject({
        address: z.string(),
        change: z.looseObject({
          after: z
            .union([z.looseObject({ tags_all: labels, tags: labels, labels: labels }), z.null()])
            .optional(),
        }),
      }),
    )
    .default([]),
});

function strings(record: Record<string, unknown> | null | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record ?? {}).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}

export function planTags(json: unknown, file: string): Map<string, Record<string, string>> {
  const parsed = planTagsSchema.safeParse(json);
  if (!parsed.success)
    throw new InputError(
      `${file} is not a plan JSON (terraform show -json): ${parsed.error.issues[0]?.message}`,
    );
  const tags = new Map<string, Record<string, string>>();
  for (const change of parsed.data.resource_changes) {
    const after = change.change.after;
    if (!after) continue;
    const found = { ...strings(after.labels), ...strings(after.tags), ...strings(after.tags_all) };
    if (Object.keys(found).length) tags.set(change.address, found);
  }
  return tags;
}

export async function readPlanTags(files: readonly string[], cloneDir: string): Promise<ResourceTags> {
  const all = new Map<string, Record<string, string>>();
  for (const file of files) {
    const full = path.resolve(cloneDir, file);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(full, "utf8"));
    } catch (error) {
      throw new InputError(
        `PLAN_FILES: ${file} cannot be read as JSON: ${error instanceof Error ? error.message : error}`,
      );
    }
    for (const [address, tags] of planTags(json, file)) all.set(address, tags);
  }
  return all;
}
