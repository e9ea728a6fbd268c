/**
 * Skip paths are repository-relative globs. Each tool takes them its own way (a regex for Checkov,
 * globs relative to the scanned folder for Trivy), and findings under them are dropped afterwards
 * whatever the tool did with them.
 */
import picomatch from "picomatch";
import type { Finding } from "../findings.ts";

const GLOB_OPTIONS = { dot: true } as const;

/** Findings whose file is not under a skip path; findings without a file are kept. */
export function withoutSkippedPaths(findings: readonly Finding[], skipPaths: readonly string[]): Finding[] {
  if (skipPaths.length === 0) return [...findings];
  const isSkipped = picomatch([...skipPaths], GLOB_OPTIONS);
  return findings.filter((finding) => !finding.location || !isSkipped(finding.location.file));
}

/**
 * Checkov's `--skip-path` is a Python regex searched in each walked path, which starts with the `-d`
 * folder as given: "./modules/x" for ".", "infra/x" for "infra" (checkov/common/runners/base_runner.py,
 * filter_ignored_paths). picomatch's regex for the glob, anchored, with an optional "./" in front.
 */
export function checkovSkipPathRegex(glob: string): string {
  const body = picomatch.makeRe(glob, GLOB_OPTIONS).source.replace(/^\^/, "").replace(/\$$/, "");
  return `^(?:\\./)?${body}$`;
}

/**
 * A repository-relative glob made relative to the scanned folder, for tools that match paths from
 * their target (Trivy). Globs outside the folder cannot match anything there and are left out.
 */
export function globRelativeToScanPath(glob: string, scanPath: string): string | undefined {
  const folder = scanPath.replace(/^\.\/?/, "").replace(/\/+$/, "");
  if (folder === "") return glob;
  if (glob.startsWith(`${folder}/`)) return glob.slice(folder.length + 1);
  return glob.startsWith("**") ? glob : undefined;
}
