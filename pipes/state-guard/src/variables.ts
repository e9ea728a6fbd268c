/**
 * state-guard's whole public interface. pipe.yml and the README's variable table are generated from
 * this schema (`npm run docs`).
 */
import { bitbucketAccessVariables } from "@pipes/bitbucket";
import { defineVariables, v } from "@pipes/core";

export const MODES = ["backup", "retention", "restore", "list", "audit", "locks", "drift"] as const;
export type Mode = (typeof MODES)[number];

export const variables = defineVariables({
  MODE: v.enum(MODES, {
    description:
      "`backup`: pull the state, guard lineage and serial, write an encrypted, verified version (then retention with `APPLY_RETENTION`). `retention`: remove versions outside the GFS policy (`DRY_RUN` lists them). `restore`: one version to `RESTORE_FILE` or back through the backend. `list`: the versions. `audit`: decrypt and check every version. `locks`: held state locks and their age. `drift`: `plan -refresh-only` per target, with remediation.",
    default: "backup",
  }),
  BINARY: v.enum(["terraform", "tofu"], {
    description: "Terraform or OpenTofu; both are in the image (terraform 1.13.3, tofu 1.12.6).",
    default: "terraform",
  }),
  WORKING_DIR: v.string({
    description:
      "The root module whose backend holds the state, relative to the clone directory. state-guard runs `init -reconfigure` and `state pull` there, so every backend works.",
    default: ".",
    example: "live/aws/production",
  }),
  BACKEND_CONFIG: v.list({
    description: "`-backend-config` items for `init` (files or key=value).",
    itemForm: "a file or key=value",
    default: [],
  }),
  WORKSPACE: v.string({ description: "Terraform workspace of the state.", optional: true }),
  STATE_FILE: v.string({
    description:
      "Back up this state file (relative to the clone directory) instead of pulling the state through the backend: for a state an earlier step wrote.",
    optional: true,
  }),
  BACKUP_STORE: v.string({
    description:
      "Where the encrypted versions live: a folder (relative to the clone directory), s3://bucket/prefix, azblob://account/container/prefix or gs://bucket/prefix. Credentials come from the environment (AWS_*, AZURE_STORAGE_*, GOOGLE_APPLICATION_CREDENTIALS).",
    default: "state-backups",
    example: "s3://acme-tfstate-backups/live/aws/production",
  }),
  KEY_SOURCE: v.string({
    description:
      "What wraps each backup's fresh data key: `passphrase` (scrypt or PBKDF2 over `STATE_PASSPHRASE`), `awskms:<key id, ARN or alias>`, `azurekv:https://<vault>.vault.azure.net/keys/<name>` or `gcpkms:projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>`.",
    default: "passphrase",
  }),
  STATE_PASSPHRASE: v.string({
    description: "The passphrase of `KEY_SOURCE=passphrase`: a long random secret (a secured variable).",
    secret: true,
    optional: true,
  }),
  STATE_PASSPHRASE_PREVIOUS: v.list({
    description:
      "Passphrases used before a rotation: versions they encrypted stay readable (restore, audit). New versions use `STATE_PASSPHRASE`.",
    itemForm: "a passphrase",
    secret: true,
    default: [],
  }),
  KDF: v.enum(["scrypt", "pbkdf2"], {
    description: "Key derivation of `KEY_SOURCE=passphrase`; its parameters are stored in each backup.",
    default: "scrypt",
  }),
  ALLOW_NEW_LINEAGE: v.boolean({
    description:
      "Accept a state whose lineage differs from the newest backup's (a deliberate new state). Without it, that is a FAIL: another state is about to replace this one.",
    default: false,
  }),
  APPLY_RETENTION: v.boolean({
    description: "In `backup` mode, apply the retention policy after a successful backup.",
    default: false,
  }),
  KEEP_LAST: v.number({
    description: "Retention: the newest versions kept per lineage.",
    integer: true,
    min: 1,
    default: 10,
  }),
  KEEP_DAILY: v.number({
    description: "Retention: the newest version of each of this many days kept (UTC).",
    integer: true,
    min: 0,
    default: 7,
  }),
  KEEP_WEEKLY: v.number({
    description: "Retention: the newest version of each of this many ISO weeks kept.",
    integer: true,
    min: 0,
    default: 4,
  }),
  KEEP_MONTHLY: v.number({
    description: "Retention: the newest version of each of this many months kept.",
    integer: true,
    min: 0,
    default: 12,
  }),
  DRY_RUN: v.boolean({
    description: "Retention lists what it would remove and removes nothing.",
    default: false,
  }),
  RESTORE_VERSION: v.string({
    description:
      "The version to restore: `latest`, a serial (`42`), `<lineage>:<serial>`, or a backup key from `MODE=list`.",
    default: "latest",
  }),
  RESTORE_TARGET: v.enum(["file", "backend"], {
    description:
      "`file`: decrypt the version to `RESTORE_FILE`. `backend`: push it back as the current state (lineage must match; its serial is raised above the current one); needs `RESTORE_CONFIRM=true`.",
    default: "file",
  }),
  RESTORE_FILE: v.string({
    description: "Where `RESTORE_TARGET=file` writes the state (mode 0600), relative to the clone directory.",
    default: "restored.tfstate",
  }),
  RESTORE_CONFIRM: v.boolean({
    description: "Confirms `RESTORE_TARGET=backend`: the current state is replaced.",
    default: false,
  }),
  LOCK_STALE_AFTER: v.duration({
    description: "A lock held longer than this is stale.",
    default: 2 * 60 * 60 * 1000,
  }),
  LOCK_STALE_ACTION: v.enum(["warn", "fail"], {
    description: "What a stale lock makes the verdict.",
    default: "warn",
  }),
  FORCE_UNLOCK: v.string({
    description:
      "The id of a held lock to remove (`force-unlock`), as `MODE=locks` reports it. Only this lock, only when it is still held.",
    optional: true,
  }),
  CONFIG_FILE: v.string({
    description:
      "Drift targets: the multicloud-plan targets file (`targets`, branch `rules`). Missing: `WORKING_DIR` is the one target.",
    default: ".multicloud-plan.yml",
  }),
  TARGETS: v.list({
    description: "Drift: only these targets of the matching rule.",
    itemForm: "a target name",
    default: [],
  }),
  DRIFT_ACTION: v.enum(["warn", "fail"], {
    description: "What drift found makes the verdict.",
    default: "warn",
  }),
  REMEDIATION: v.enum(["report", "accept", "revert"], {
    description:
      "Drift: `report` only; `accept` the real world into the state (`apply -refresh-only`); `revert` the real world to the configuration (`apply`). The last two need `REMEDIATION_APPROVED=true` and a branch in `PROTECTED_BRANCHES`.",
    default: "report",
  }),
  REMEDIATION_APPROVED: v.boolean({
    description: "Approves `REMEDIATION=accept|revert` (set it on a manual step).",
    default: false,
  }),
  PROTECTED_BRANCHES: v.list({
    description: "Branches (globs) where drift remediation may run.",
    itemForm: "a branch glob",
    default: ["main", "master"],
  }),
  REPORTS_DIR: v.string({
    description: "Folder for the human report (summary.md): declare it as the step's artifacts.",
    default: "pipe-reports/state-guard",
  }),
  CODE_INSIGHTS: v.boolean({ description: "Publish a Code Insights report on the commit.", default: true }),
  PR_COMMENT: v.boolean({
    description: "Keep one comment on the PR up to date with the result.",
    default: false,
  }),
  ...bitbucketAccessVariables,
  DEBUG: v.boolean({ description: "Print debug output and stack traces.", default: false }),
});

export type Variables = typeof variables._output;
