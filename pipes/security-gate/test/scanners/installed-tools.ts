/**
 * Where the integration tests find the real scanners: on PATH (CI, the pipe's image), else where the
 * project's development machines install them (/var/cache/bitbucket-pipes, see the README of the
 * repository). A test whose tool is in neither place is skipped, and its name says why.
 */
import { accessSync, constants } from "node:fs";
import path from "node:path";
import type { Scanner } from "../../src/findings.ts";
import { EXPECTED_VERSIONS } from "../../src/scanners/scan-options.ts";

const DEV_LOCATIONS: Record<Scanner, string> = {
  checkov: "/var/cache/bitbucket-pipes/venv/checkov/bin/checkov",
  semgrep: "/var/cache/bitbucket-pipes/venv/semgrep/bin/semgrep",
  trivy: `/var/cache/bitbucket-pipes/go-tools/trivy-v${EXPECTED_VERSIONS.trivy}/trivy`,
  gitleaks: `/var/cache/bitbucket-pipes/go-tools/gitleaks-v${EXPECTED_VERSIONS.gitleaks}/gitleaks`,
};

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The scanner's executable, or undefined when it is not installed. */
export function installedTool(scanner: Scanner): string | undefined {
  const onPath = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => dir !== "")
    .map((dir) => path.join(dir, scanner))
    .find(isExecutable);
  return onPath ?? (isExecutable(DEV_LOCATIONS[scanner]) ? DEV_LOCATIONS[scanner] : undefined);
}

/** A test title that says, when the tool is missing, that the test is skipped and why. */
export function needing(scanner: Scanner, title: string): string {
  return installedTool(scanner)
    ? title
    : `${title} [skipped: ${scanner} ${EXPECTED_VERSIONS[scanner]} is not installed (not on PATH nor at ${DEV_LOCATIONS[scanner]})]`;
}
