/**
 * The `REPORTS` variable: reports that earlier steps wrote, found by glob in the clone directory and
 * ingested beside the pipe's own scanners. Each file becomes one `ScannerRun` with status "ingested".
 */
import { glob } from "node:fs/promises";
import path from "node:path";
import { InputError } from "@pipes/core";
import type { Finding } from "../findings.ts";
import type { ScannerRun } from "../gate.ts";
import { layoutScans } from "./layouts.ts";
import type { ParsedReport } from "./parsed-report.ts";
import { readReportFileUnchecked } from "./sarif-file.ts";
import { sourceLinesUnder } from "./source-lines.ts";

/** A ScannerRun that also names the report it came from. */
export interface IngestedRun extends ScannerRun {
  status: "ingested";
  report: string;
}

export interface IngestedReports {
  findings: Finding[];
  runs: IngestedRun[];
  warnings: string[];
}

/**
 * The files each pattern matches, relative to the clone directory, in a stable order. A pattern that
 * matches nothing is an error: a report that silently went missing would make the gate pass.
 */
export async function reportFiles(patterns: readonly string[], cloneDir: string): Promise<string[]> {
  const files = new Set<string>();
  for (const pattern of patterns) {
    const matched: string[] = [];
    for await (const file of glob(pattern, { cwd: cloneDir, withFileTypes: true })) {
      if (file.isFile()) matched.push(path.join(file.parentPath, file.name));
    }
    if (matched.length === 0) {
      throw new InputError(`REPORTS: no file matches "${pattern}" in ${cloneDir}`, {
        suggestion:
          "Check the path, and that the step that wrote the report passes it on as an artifact (artifacts: - reports/**).",
      });
    }
    for (const absolute of matched.sort()) files.add(absolute);
  }
  const root = path.resolve(cloneDir);
  return [...files].map((absolute) => path.relative(root, absolute).split(path.sep).join("/"));
}

/** Findings of every report the patterns match; one run per file, with the tool that wrote it. */
export async function ingestReports(patterns: readonly string[], cloneDir: string): Promise<IngestedReports> {
  const files = await reportFiles(patterns, cloneDir);
  const source = sourceLinesUnder(cloneDir);
  const result: IngestedReports = { findings: [], runs: [], warnings: [] };
  // Each file's layout is scanned on another thread while the file before it is parsed; that thread
  // checks the code flows the parsing skips after it has scanned every file, so each file's check is
  // awaited only once all files are read.
  const scans = layoutScans(files.map((file) => path.join(cloneDir, file)));
  // A run's durationMs is the time its file took to read, without the wait for the thread's check.
  const reads: { file: string; durationMs: number; checked: () => Promise<ParsedReport> }[] = [];
  try {
    try {
      for (const [index, file] of files.entries()) {
        const started = Date.now();
        const { checked } = await readReportFileUnchecked(
          path.join(cloneDir, file),
          { reportName: file, repoRoot: path.resolve(cloneDir), baseDir: ".", source },
          () => scans.layoutOf(index),
        );
        reads.push({ file, durationMs: Date.now() - started, checked });
      }
    } catch (error: unknown) {
      // An earlier file's broken code flows come first, as when the files are read one by one.
      for (const read of reads) await read.checked();
      throw error;
    }
    for (const { file, durationMs, checked } of reads) {
      const parsed = await checked();
      for (const finding of parsed.findings) result.findings.push(finding);
      result.warnings.push(...parsed.warnings);
      result.runs.push({
        tool: parsed.tool,
        ...(parsed.version ? { version: parsed.version } : {}),
        status: "ingested",
        findings: parsed.findings.length,
        durationMs,
        report: file,
      });
    }
  } finally {
    scans.close();
  }
  return result;
}
