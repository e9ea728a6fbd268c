/**
 * policy-gate's whole public interface. pipe.yml and the README's variable table are generated from
 * this schema (`npm run docs`).
 */
import { bitbucketAccessVariables } from "@pipes/bitbucket";
import { defineVariables, v } from "@pipes/core";
import { FRAMEWORKS } from "./findings.ts";
import { ENGINES } from "./opa/evaluator.ts";

export const variables = defineVariables({
  PLAN_FILES: v.list({
    description:
      "Globs of Terraform plan JSON (`terraform show -json`). Default: the plans multicloud-plan left in shared storage, if any.",
    itemForm: "a glob such as plans/*.json",
    optional: true,
  }),
  CONFIG_FILES: v.list({
    description:
      "Globs of other files to judge: Terraform/HCL, YAML (Kubernetes manifests), JSON, and what else Conftest parses.",
    itemForm: "a glob such as k8s/*.yaml",
    default: [],
  }),
  INFRACOST_FILES: v.list({
    description: "Globs of Infracost JSON (`infracost breakdown --format json`).",
    itemForm: "a glob",
    default: [],
  }),
  POLICY_PATHS: v.list({
    description:
      "Folders (or files) of Rego policies and data in the repository, Conftest-style or OPA-native.",
    itemForm: "a path such as policy/",
    default: [],
  }),
  POLICY_BUNDLES: v.list({
    description: "OPA bundles (.tar.gz): files in the repository or http(s) URLs.",
    itemForm: "a path or URL",
    default: [],
  }),
  BUNDLE_VERIFICATION_KEY: v.string({
    description:
      "Public key (PEM; a file in the repository or the key itself) that every bundle's signature must verify against.",
    optional: true,
  }),
  BUILT_IN_POLICIES: v.boolean({
    description: "Evaluate the built-in multi-cloud governance library (AWS, Azure, GCP).",
    default: true,
  }),
  NAMESPACES: v.list({
    description: "Only these Rego packages (Conftest `--namespace`). Default: every package.",
    itemForm: "a package such as main",
    optional: true,
  }),
  CONFIG_FILE: v.string({
    description:
      "The gate's settings in the repository: enforcement levels, exceptions, library parameters. Missing is fine.",
    default: ".policy-gate.yml",
  }),
  APPROVED_BY: v.string({
    description:
      "Who approved overriding the soft-mandatory failures (set on a manual step). Without it they fail the gate.",
    optional: true,
  }),
  POLICY_TEST: v.boolean({
    description:
      "Run the repository's own `opa test` over `POLICY_PATHS` first; a failing test fails the pipe.",
    default: false,
  }),
  ENGINE: v.enum(ENGINES, {
    description:
      "How Rego is evaluated: the `opa` binary, or policies compiled to Wasm and evaluated in-process.",
    default: "opa",
  }),
  COMPLIANCE_FRAMEWORKS: v.list({
    description: "Frameworks shown in the coverage table.",
    values: FRAMEWORKS,
    default: [...FRAMEWORKS],
  }),
  TERRAFORM_DIR: v.string({
    description:
      "Where the `.tf` files of the plans are (relative to the clone), for annotations at the resource's line.",
    default: ".",
  }),
  TIMEOUT: v.duration({ description: "Time limit for each OPA run.", default: 300_000 }),
  ENFORCE: v.boolean({
    description: "Exit 1 on FAIL. With false, a FAIL exits 0 with a loud warning.",
    default: true,
  }),
  REPORTS_DIR: v.string({
    description: "Folder for the human reports (SARIF, Markdown): declare it as the step's artifacts.",
    default: "pipe-reports/policy-gate",
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
