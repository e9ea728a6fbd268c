/**
 * Tags (AWS `tags_all`/`tags`, Azure `tags`) and labels (Google `labels`) of the planned resources,
 * by address, from the plan JSONs multicloud-plan writes (read with @pipes/terraform's
 * `readPlanFile`). The example layers stand for cloud resources with `terraform_data`, whose
 * attributes sit under `input`: their tags are read from there too.
 */
import path from "node:path";
import type { PlanJson } from "@pipes/terraform";
import { readPlanFile } from "@pipes/terraform";
import { z } from "zod";
import type { ResourceTags } from "./costs.ts";

const tagMap = z.record(z.string(), z.unknown()).nullish().catch(undefined);
const attributes = z.looseObject({ tags_all: tagMap, tags: tagMap, labels: tagMap });
const after = attributes.extend({ input: attributes.nullish().catch(undefined) });

function strings(record: Record<string, unknown> | null | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record ?? {}).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}

function tagsOf(value: z.output<typeof attributes> | null | undefined): Record<string, string> {
  return { ...strings(value?.labels), ...strings(value?.tags), ...strings(value?.tags_all) };
}

/** Address → tags of every resource the plan creates or keeps (a deleted resource has no `after`). */
export function planTags(plan: PlanJson): Map<string, Record<string, string>> {
  const tags = new Map<string, Record<string, string>>();
  for (const change of plan.resource_changes ?? []) {
    const parsed = after.safeParse(change.change.after);
    if (!parsed.success) continue;
    const found = { ...tagsOf(parsed.data.input), ...tagsOf(parsed.data) };
    if (Object.keys(found).length) tags.set(change.address, found);
  }
  return tags;
}

export async function readPlanTags(files: readonly string[], cloneDir: string): Promise<ResourceTags> {
  const all = new Map<string, Record<string, string>>();
  for (const file of files) {
    const plan = await readPlanFile(path.resolve(cloneDir, file));
    for (const [address, tags] of planTags(plan)) all.set(address, tags);
  }
  return all;
}
