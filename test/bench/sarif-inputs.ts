/**
 * The gate benchmark's input: five SARIF files of 20,000 results each (100,000 findings), made at
 * run time from the real tool outputs in ../shared/fixtures/sarif (see its SOURCES.md), never
 * hand-written.
 *
 * How a file is scaled: its runs are kept as the tool wrote them (driver, rules, invocations), and
 * each run's results are cloned round-robin until the file holds 20,000. Clone k of a result is
 * moved under its own module folder, `modules/m<k>/<its relative path>` (main.tf becomes
 * modules/m7/main.tf), and its lines are shifted by 10 × (k mod 100), in every location it
 * carries (codeFlows too). The file is part of every fingerprint (src/ingest/fingerprint.ts), so
 * no two clones are the same finding and dedupe has 100,000 distinct findings to sort, bucket and
 * sweep, as a large monorepo with many module instances would give it. Semgrep's file is the
 * largest (about 54 MB): each of its results carries its whole dataflow trace (codeFlows).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/** The real runs the benchmark scales: one per tool and flavour of SARIF the gate reads. */
export const SOURCE_FIXTURES = [
  "trivy-terraform-config.sarif",
  "gitleaks-v8.sarif",
  "semgrep-test_sarif_output-True-rule_and_target3.sarif",
  "checkov-openapi.sarif",
  "trivy-image-alpine.sarif",
] as const;

export const RESULTS_PER_FILE = 20_000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A copy of `value` with every artifact location moved into `folder` and every region shifted. */
function relocated(value: Json, folder: string, lineShift: number): Json {
  if (Array.isArray(value)) return value.map((item) => relocated(item, folder, lineShift));
  if (!isObject(value)) return value;
  const copy: JsonObject = {};
  for (const [key, field] of Object.entries(value)) {
    if (key === "artifactLocation" && isObject(field) && typeof field.uri === "string") {
      copy[key] = { ...field, uri: `${folder}/${field.uri.replace(/^\/+/, "")}` };
    } else if (key === "region" && isObject(field)) {
      const region = { ...field };
      for (const line of ["startLine", "endLine"] as const) {
        const n = region[line];
        if (typeof n === "number") region[line] = n + lineShift;
      }
      copy[key] = region;
    } else {
      copy[key] = relocated(field, folder, lineShift);
    }
  }
  return copy;
}

/** `log` with its results cloned onto distinct modules and lines until it holds `count` results. */
export function scaleSarif(log: JsonObject, count: number): JsonObject {
  const runs = Array.isArray(log.runs) ? log.runs.filter(isObject) : [];
  const originals = runs.map((run) => (Array.isArray(run.results) ? run.results : []));
  const total = originals.reduce((sum, results) => sum + results.length, 0);
  if (total === 0) throw new Error("a SARIF file without results cannot be scaled");
  const scaled = runs.map(() => [] as Json[]);
  for (let k = 0, made = 0; made < count; k += 1) {
    for (const [index, results] of originals.entries()) {
      for (const result of results) {
        if (made === count) break;
        scaled[index]?.push(relocated(result, `modules/m${k}`, 10 * (k % 100)));
        made += 1;
      }
    }
  }
  return { ...log, runs: runs.map((run, index) => ({ ...run, results: scaled[index] ?? [] })) };
}

/** Writes the five scaled files into `dir` (created); returns their paths. */
export async function writeBenchSarif(fixturesDir: string, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const name of SOURCE_FIXTURES) {
    const log = JSON.parse(await readFile(path.join(fixturesDir, "sarif", name), "utf8")) as JsonObject;
    const file = path.join(dir, name);
    await writeFile(file, JSON.stringify(scaleSarif(log, RESULTS_PER_FILE)));
    written.push(file);
  }
  return written;
}
