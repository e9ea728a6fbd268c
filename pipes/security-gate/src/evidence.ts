/**
 * Gathers the evidence the decision is made on: the selected scanners run in parallel, the reports
 * of earlier steps ingested, the zero-trust checks of the commit range and the OIDC token.
 */
import { type BitbucketContext, errorMessage, type Logger } from "@pipes/core";
import type { GateConfig } from "./config.ts";
import { dedupeFindings } from "./dedupe.ts";
import type { Finding, Scanner } from "./findings.ts";
import type { ScannerRun, ZeroTrustCheck } from "./gate.ts";
import { ingestReports } from "./ingest/reports.ts";
import { runScanners } from "./scanners/scan.ts";
import type { ScanOptions } from "./scanners/scan-options.ts";
import type { Variables } from "./variables.ts";
import { type CommitRange, commitRangeFor, resolveCommitRange } from "./zero-trust/commit-range.ts";
import { checkOidc, oidcCheckSettings } from "./zero-trust/oidc-check.ts";
import { checkSignedCommits, signedCommitsSettings } from "./zero-trust/signed-commits.ts";

export interface Evidence {
  findings: Finding[];
  scanners: ScannerRun[];
  checks: ZeroTrustCheck[];
  warnings: string[];
}

function asStrings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map(String) : undefined;
}

/** The git range gitleaks scans beside the working tree: the PR's (or push's) commits. */
async function gitleaksRange(
  range: CommitRange,
  context: BitbucketContext,
  log: Logger,
): Promise<string | undefined> {
  try {
    const resolved = await resolveCommitRange(range, context.cloneDir, log);
    const [first, second, third] = resolved.revisions;
    if (resolved.revisions.length === 1) return first;
    if (first === "HEAD" && second === "--not" && third) return `${third}..HEAD`;
    return undefined;
  } catch (error) {
    log.warn(`gitleaks scans the working tree only: the commit range is unknown (${errorMessage(error)})`);
    return undefined;
  }
}

export async function gatherEvidence(
  vars: Variables,
  config: GateConfig,
  context: BitbucketContext,
  log: Logger,
): Promise<Evidence> {
  const range = commitRangeFor({
    commitRange: vars.COMMIT_RANGE,
    prDestinationBranch: context.prDestinationBranch,
    branch: context.branch,
    defaultBranch: vars.MAIN_BRANCH,
  });
  const checkov = config.scanners.checkov ?? {};
  const semgrep = config.scanners.semgrep ?? {};
  const commitRange = vars.SCANNERS.includes("gitleaks")
    ? await gitleaksRange(range, context, log)
    : undefined;
  const options: ScanOptions = {
    repoRoot: context.cloneDir,
    scanPath: vars.SCAN_PATH,
    skipPaths: config.excludePaths,
    timeoutMs: vars.SCANNER_TIMEOUT,
    checkov: {
      ...(asStrings(checkov.frameworks) ? { frameworks: asStrings(checkov.frameworks) } : {}),
      ...(asStrings(checkov.skip_checks) ? { skipChecks: asStrings(checkov.skip_checks) } : {}),
    },
    ...(asStrings(semgrep.configs) ? { semgrep: { configs: asStrings(semgrep.configs) ?? [] } } : {}),
    ...(commitRange ? { gitleaks: { commitRange } } : {}),
  };

  const [scanned, ingested, signed, oidc] = await Promise.all([
    vars.SCANNERS.length > 0
      ? log.group(`scanners: ${vars.SCANNERS.join(", ")}`, () =>
          runScanners(vars.SCANNERS as Scanner[], options, log),
        )
      : Promise.resolve({ findings: [], runs: [], warnings: [] }),
    vars.REPORTS.length > 0
      ? ingestReports(vars.REPORTS, context.cloneDir)
      : Promise.resolve({ findings: [], runs: [], warnings: [] }),
    checkSignedCommits(
      signedCommitsSettings(
        {
          SIGNED_COMMITS: config.signedCommits.mode,
          ALLOWED_SIGNERS: config.signedCommits.allowedSigners,
          GPG_PUBLIC_KEYS: config.signedCommits.gpgPublicKeys,
          COMMIT_RANGE: vars.COMMIT_RANGE,
        },
        context,
        vars.MAIN_BRANCH,
      ),
      log,
    ),
    checkOidc(
      oidcCheckSettings(
        {
          OIDC: config.oidc.enabled,
          OIDC_AUDIENCE: config.oidc.audience,
          OIDC_BRANCH_PATTERN: config.oidc.branchPattern,
          OIDC_DEPLOYMENT_ENVIRONMENT: config.oidc.deploymentEnvironment,
          OIDC_ISSUER_URL: vars.OIDC_ISSUER_URL,
          OIDC_REPOSITORY_UUID: vars.OIDC_REPOSITORY_UUID,
        },
        context,
      ),
      { now: new Date() },
    ),
  ]);
  for (const run of ingested.runs)
    log.info(`ingested ${run.report}: ${run.findings} finding(s) from ${run.tool}`);
  return {
    findings: dedupeFindings([...scanned.findings, ...ingested.findings]),
    scanners: [...scanned.runs, ...ingested.runs],
    checks: [signed, oidc],
    warnings: [...scanned.warnings, ...ingested.warnings],
  };
}
