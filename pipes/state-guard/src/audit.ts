/** Integrity audit of a backup store: every object under states/ read, decrypted and checked. */
import { errorMessage, PipeError } from "@pipes/core";
import type { ObjectStore } from "@pipes/storage";
import { type Backup, type Keyring, PREFIX, readBackup, toBackup } from "./backups.ts";

export interface AuditReport {
  checked: number;
  ok: Backup[];
  problems: { key: string; code: string; message: string }[];
  /** Serials missing between a lineage's lowest and highest backup: expected after retention, not errors. */
  gaps: { lineage: string; missing: number[] }[];
  lineages: { lineage: string; versions: number; newestSerial: number }[];
}

/** Missing integers between the lowest and highest of `serials`. */
export function serialGaps(serials: readonly number[]): number[] {
  const present = new Set(serials);
  const missing: number[] = [];
  if (present.size === 0) return missing;
  const low = Math.min(...present);
  const high = Math.max(...present);
  for (let s = low + 1; s < high; s++) if (!present.has(s)) missing.push(s);
  return missing;
}

export async function auditStore(store: ObjectStore, keys: Keyring): Promise<AuditReport> {
  const objects = await store.list(PREFIX);
  const report: AuditReport = { checked: objects.length, ok: [], problems: [], gaps: [], lineages: [] };
  const serials = new Map<string, number[]>();
  for (const info of objects) {
    const backup = toBackup(info);
    if (!backup) {
      report.problems.push({
        key: info.key,
        code: "NOT_A_BACKUP",
        message: `${info.key} is under ${PREFIX} but has no backup metadata (a foreign or damaged object)`,
      });
      continue;
    }
    serials.set(backup.lineage, [...(serials.get(backup.lineage) ?? []), backup.serial]);
    try {
      await readBackup(store, backup, keys);
      report.ok.push(backup);
    } catch (error) {
      report.problems.push({
        key: info.key,
        code: error instanceof PipeError ? error.code : "BACKUP_UNREADABLE",
        message: errorMessage(error),
      });
    }
  }
  for (const [lineage, list] of [...serials].sort(([a], [b]) => a.localeCompare(b))) {
    report.lineages.push({ lineage, versions: list.length, newestSerial: Math.max(...list) });
    const missing = serialGaps(list);
    if (missing.length > 0) report.gaps.push({ lineage, missing });
  }
  return report;
}
