/**
 * security-gate's whole public interface. pipe.yml and the README's variable table are generated
 * from this schema (`npm run docs`).
 */
import { bitbucketAccessVariables } from "@pipes/bitbucket";
import { defineVariables, v } from "@pipes/core";
import { FRAMEWORKS, SCANNERS } from "./findings.ts";

export const variables = defineVariables({
  SCANNERS: v.list({
    description: "Scanners to run inside the pipe, in parallel. Empty to only ingest `REPORTS`.",
    values: SCANNERS,
    default: [...SCANNERS],
  }),
  REPORTS: v.list({
    description:
      "Globs (relative to the clone directory) of reports made by earlier steps: SARIF 2.1.0, or Checkov, Trivy, Semgrep, gitleaks or tfsec native JSON. Ingested beside the scanners' own findings.",
    itemForm: "a glob such as reports/*.sarif",
    default: [],
  }),
  SCAN_PATH: v.string({ description: "Folder to scan, relative to the clone directory.", default: "." }),
  CONFIG_FILE: v.string({
    description: "The gate's policy file in the repository. Missing is fine: built-in defaults apply.",
    default: ".security-gate.yml",
  }),
  MAX_CRITICAL: v.number({
    description:
      "Fail when more than this many CRITICAL findings are active. Overrides `fail_on.critical` of the config.",
    integer: true,
    min: 0,
    optional: true,
  }),
  MAX_HIGH: v.number({
    description: "Fail when more than this many HIGH findings are active. Overrides `fail_on.high`.",
    integer: true,
    min: 0,
    optional: true,
  }),
  MAX_MEDIUM: v.number({
    description: "Fail when more than this many MEDIUM findings are active. Overrides `fail_on.medium`.",
    integer: true,
    min: 0,
    optional: true,
  }),
  NEW_ONLY: v.boolean({
    description:
      "Gate only on findings that are not in the baseline: `BASELINE_FILE`, else the findings of this pipe's last run on the PR's destination branch (its Code Insights annotations).",
    optional: true,
  }),
  BASELINE_FILE: v.string({
    description: "A committed baseline file (made with `WRITE_BASELINE`).",
    optional: true,
  }),
  WRITE_BASELINE: v.string({
    description:
      "Write the current findings as a baseline file at this path (relative to the clone directory).",
    optional: true,
  }),
  EXCLUDE_PATHS: v.list({
    description: "Globs of paths whose findings are ignored.",
    itemForm: "a glob",
    optional: true,
  }),
  COMPLIANCE_FRAMEWORKS: v.list({
    description: "Frameworks whose failed controls fail the gate. All four are always reported.",
    values: FRAMEWORKS,
    optional: true,
  }),
  SIGNED_COMMITS: v.enum(["enforce", "warn", "off"], {
    description:
      "Every commit of the PR (or pushed) range must carry a valid GPG or SSH signature from an allowed signer.",
    optional: true,
  }),
  ALLOWED_SIGNERS: v.string({
    description:
      "SSH allowed_signers: a file in the repository (read from the destination or main branch, so a PR cannot allow its own key), or the file's content.",
    optional: true,
  }),
  GPG_PUBLIC_KEYS: v.string({
    description:
      "Armored GPG public keys of the allowed signers: a file in the repository (read from the destination or main branch), or the keys themselves.",
    optional: true,
  }),
  COMMIT_RANGE: v.string({
    description:
      "Commits to check (git range). Default: the PR's commits, else the commits of the push not on the main branch.",
    optional: true,
  }),
  MAIN_BRANCH: v.string({
    description: "The repository's main branch: pushes are checked against it.",
    default: "main",
  }),
  OIDC: v.boolean({
    description: "Verify the step's OIDC token (the step needs `oidc: true`) and its claims.",
    optional: true,
  }),
  OIDC_REPOSITORY_UUID: v.string({
    description: "Repository uuid the token must carry. Default: `BITBUCKET_REPO_UUID`.",
    optional: true,
  }),
  OIDC_AUDIENCE: v.string({
    description: "Expected audience. Default: `ari:cloud:bitbucket::workspace/<uuid>`.",
    optional: true,
  }),
  OIDC_BRANCH_PATTERN: v.string({
    description: "Glob the token's branch must match, e.g. `main` or `release/*`.",
    optional: true,
  }),
  OIDC_DEPLOYMENT_ENVIRONMENT: v.string({
    description: "Deployment environment (name or uuid) the token must carry.",
    optional: true,
  }),
  OIDC_ISSUER_URL: v.string({
    description: "Override the issuer (default: the workspace's Bitbucket issuer). For self-tests.",
    optional: true,
  }),
  SCANNER_TIMEOUT: v.duration({ description: "Time limit for each scanner.", default: 600_000 }),
  CHECKOV_FRAMEWORKS: v.list({
    description: "Checkov frameworks (`--framework`).",
    itemForm: "a Checkov framework such as terraform, kubernetes, dockerfile",
    optional: true,
  }),
  CHECKOV_SKIP_CHECKS: v.list({
    description: "Checkov check ids to skip.",
    itemForm: "a check id such as CKV_AWS_20",
    optional: true,
  }),
  SEMGREP_RULES: v.list({
    description:
      "Semgrep configs: rule files or folders in the repository; registry rule sets (p/...) only when the registry is reachable. Default: the pipe's bundled rules.",
    itemForm: "a path or p/<ruleset>",
    optional: true,
  }),
  FAIL_ON_SCANNER_ERROR: v.boolean({
    description:
      "A scanner that fails to run fails the gate (otherwise it is a warning). Overrides `fail_on_scanner_error` (default true).",
    optional: true,
  }),
  ENFORCE: v.boolean({
    description: "Exit 1 on FAIL. With false, a FAIL exits 0 with a loud warning.",
    default: true,
  }),
  REPORTS_DIR: v.string({
    description: "Folder for the human reports (SARIF, Markdown): declare it as the step's artifacts.",
    default: "pipe-reports/security-gate",
  }),
  CODE_INSIGHTS: v.boolean({
    description: "Publish a Code Insights report with annotations on the commit.",
    default: true,
  }),
  PR_COMMENT: v.boolean({
    description: "Keep one comment on the PR up to date with the decision.",
    default: true,
  }),
  ...bitbucketAccessVariables,
  DEBUG: v.boolean({ description: "Print debug output and stack traces.", default: false }),
});

export type Variables = typeof variables._output;
