/**
 * The cost history: one record per run and project, kept as one small JSON object per record in an
 * object store (@pipes/storage: a local folder by default, S3, Azure Blob or GCS through the same
 * interface). Keys sort by time, so the last N runs of a project are the last N keys under its prefix:
 *   <prefix>/<project slug>/<ISO time>-<build>.json
 */
import { z } from "zod";
import type { CostRecord } from "./anomaly.ts";

/** The part of @pipes/storage's ObjectStore the history uses (see ../../shared/storage). */
export interface HistoryStore {
  readonly location: string;
  put(key: string, body: Uint8Array, metadata?: Record<string, string>): Promise<void>;
  get(key: string): Promise<{ body: Uint8Array } | undefined>;
  list(prefix?: string): Promise<{ key: string }[]>;
}

const recordSchema = z.object({
  project: z.string(),
  time: z.string(),
  monthlyCost: z.string().regex(/^-?\d+(\.\d+)?$/),
  commit: z.string().optional(),
  branch: z.string().optional(),
  build: z.number().int().optional(),
});

/** A project name as one path segment: readable, and the same name always gives the same slug. */
export function projectSlug(project: string): string {
  const readable = project
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  let hash = 0;
  for (const ch of project) hash = (Math.imul(hash, 31) + (ch.codePointAt(0) ?? 0)) >>> 0;
  return `${readable || "project"}-${hash.toString(16).padStart(8, "0")}`;
}

export function recordKey(prefix: string, record: CostRecord): string {
  const stamp = record.time.replace(/[:]/g, "-");
  return `${prefix}/${projectSlug(record.project)}/${stamp}-${String(record.build ?? 0).padStart(8, "0")}.json`;
}

/** The last `limit` records of a project, oldest first. Unreadable records are skipped with a warning. */
export async function readHistory(
  store: HistoryStore,
  prefix: string,
  project: string,
  limit: number,
  warn: (message: string) => void,
): Promise<CostRecord[]> {
  const keys = (await store.list(`${prefix}/${projectSlug(project)}/`)).map((o) => o.key).slice(-limit);
  const records: CostRecord[] = [];
  for (const key of keys) {
    const object = await store.get(key);
    if (!object) continue;
    try {
      const parsed = recordSchema.parse(JSON.parse(new TextDecoder().decode(object.body)));
      records.push(parsed);
    } catch {
      warn(`cost history record ${store.location}/${key} is not a cost-guard record: skipped`);
    }
  }
  return records;
}

export async function appendHistory(
  store: HistoryStore,
  prefix: string,
  record: CostRecord,
): Promise<string> {
  const key = recordKey(prefix, record);
  await store.put(key, new TextEncoder().encode(`${JSON.stringify(record)}\n`), {
    "content-type": "application/json",
  });
  return key;
}
