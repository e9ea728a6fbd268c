/**
 * The real reports the ingest tests read: the project's shared fixtures (`../shared/fixtures` beside
 * the repository, origins in its SOURCES.md) and the outputs made for these tests (`fixtures/`, see
 * its README).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseReport } from "../../src/ingest/parse-report.ts";
import type { ParseContext, ParsedReport } from "../../src/ingest/parsed-report.ts";
import { noSourceLines } from "../../src/ingest/source-lines.ts";

export const sharedFixtures = path.resolve(import.meta.dirname, "../../../../../shared/fixtures");
export const localFixtures = path.resolve(import.meta.dirname, "fixtures");
/** The small Terraform + code folder the scanners' integration tests scan. */
export const fixtureProject = path.resolve(import.meta.dirname, "../scanners/fixtures/project");

/** Bitbucket Pipelines' clone directory: where a report made by an earlier step has its absolute paths. */
export const CLONE_DIR = "/opt/atlassian/pipelines/agent/build";
/** Where the outputs in fixtures/ were made (see its README). */
export const FIXTURE_RUN_DIR = "/tmp/security-gate-fixture";

export function readSharedFixture(relative: string): string {
  const file = path.join(sharedFixtures, relative);
  if (!existsSync(file)) {
    throw new Error(
      `shared fixture ${relative} not found in ${sharedFixtures}: the project's shared material must sit beside the repository`,
    );
  }
  return readFileSync(file, "utf8");
}

export function readLocalFixture(name: string): string {
  return readFileSync(path.join(localFixtures, name), "utf8");
}

export function contextFor(reportName: string, overrides: Partial<ParseContext> = {}): ParseContext {
  return { reportName, repoRoot: CLONE_DIR, baseDir: ".", source: noSourceLines, ...overrides };
}

export function ingestShared(relative: string, overrides: Partial<ParseContext> = {}): ParsedReport {
  return parseReport(readSharedFixture(relative), contextFor(relative, overrides));
}

export function ingestLocal(name: string, overrides: Partial<ParseContext> = {}): ParsedReport {
  return parseReport(readLocalFixture(name), contextFor(name, { repoRoot: FIXTURE_RUN_DIR, ...overrides }));
}

export const FINGERPRINT = /^[0-9a-f]{64}$/;

/** A real SARIF log with its run's results repeated `times` over: a large file made of real results. */
export function repeatedResults(fixture: string, times: number): string {
  const log = JSON.parse(readSharedFixture(fixture));
  const [run] = log.runs;
  run.results = Array.from({ length: times }, () => run.results).flat();
  return JSON.stringify(log, null, 2);
}

/** Resolves once `condition` holds (polled every 10 ms); rejects after 20 s, naming `what`. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 20_000) throw new Error(`${what} in 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
