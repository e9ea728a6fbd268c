/**
 * multicloud-plan's whole public interface. pipe.yml and the README's variable table are generated
 * from this schema (`npm run docs`).
 */
import { bitbucketAccessVariables } from "@pipes/bitbucket";
import { defineVariables, v } from "@pipes/core";
import { BINARIES } from "@pipes/terraform";

export const variables = defineVariables({
  MODE: v.enum(["plan", "apply"], {
    description:
      "`plan`: plan every target of the branch and explain it. `apply`: apply exactly the saved plans of an earlier `plan` run (from `PLANS_DIR`), refusing stale ones.",
    default: "plan",
  }),
  BINARY: v.enum(BINARIES, {
    description: "Terraform or OpenTofu; both are in the image (terraform 1.13.3, tofu 1.12.6).",
    default: "terraform",
  }),
  CONFIG_FILE: v.string({
    description:
      "Targets file in the repository: `targets`, branch/tag/PR-destination `rules`, `guard`, `validation`. Missing: the default map (main → aws-production, release/* → aws-staging, other branches → azure-dev and gcp-dev, in live/<provider>).",
    default: ".multicloud-plan.yml",
  }),
  TARGETS: v.list({
    description: "Only these targets of the matching rule (names from the targets file).",
    itemForm: "a target name such as aws-production",
    optional: true,
  }),
  PARALLELISM: v.number({
    description: "Targets planned at the same time.",
    integer: true,
    min: 1,
    max: 16,
    default: 3,
  }),
  PLAN_TIMEOUT: v.duration({
    description: "Time limit for each terraform/tofu command.",
    default: 1_800_000,
  }),
  PLANS_DIR: v.string({
    description:
      "Folder (relative to the clone) for the saved plans and their manifest, to declare as artifacts for the apply step. Plan files hold the values Terraform marks sensitive: keep the artifacts private.",
    default: "pipe-plans/multicloud-plan",
  }),
  ALLOW_DESTROY: v.boolean({
    description:
      "Let deletes and replaces of protected resource types, or in protected environments, through. Otherwise they need `DESTROY_APPROVALS` approvals on the PR.",
    default: false,
  }),
  DESTROY_APPROVALS: v.number({
    description:
      "Approvals on the pull request that allow a protected delete or replace (0: only `ALLOW_DESTROY` allows it).",
    integer: true,
    min: 0,
    default: 0,
  }),
  VALIDATION: v.enum(["enforce", "warn", "off"], {
    description:
      "Tag/label, region/location and naming rules of the config's `validation`: fail, warn, or skip.",
    default: "enforce",
  }),
  REQUIRED_TAGS: v.list({
    description:
      "Tag (AWS, Azure) or label (Google) keys every resource needs. Overrides `validation.required_tags`.",
    itemForm: "a key such as cost-center",
    optional: true,
  }),
  AWS_ROLE_ARN: v.string({
    description: "Role assumed with the step's OIDC token for AWS targets (a target's `auth.role_arn` wins).",
    optional: true,
  }),
  AWS_REGION: v.string({
    description: "Region of the STS call and of the AWS targets.",
    default: "us-east-1",
  }),
  AWS_STS_ENDPOINT: v.string({
    description: "STS endpoint override (VPC endpoint; moto in tests).",
    optional: true,
  }),
  AWS_ACCESS_KEY_ID: v.string({
    description: "Static AWS credentials: the fallback when no role is given.",
    secret: true,
    optional: true,
  }),
  AWS_SECRET_ACCESS_KEY: v.string({
    description: "Secret of `AWS_ACCESS_KEY_ID`.",
    secret: true,
    optional: true,
  }),
  AZURE_CLIENT_ID: v.string({
    description: "Application (client) id with a federated credential for the workspace's issuer.",
    optional: true,
  }),
  AZURE_TENANT_ID: v.string({ description: "Entra ID tenant id.", optional: true }),
  AZURE_SUBSCRIPTION_ID: v.string({ description: "Subscription of the Azure targets.", optional: true }),
  ARM_CLIENT_SECRET: v.string({
    description: "Static Azure client secret: the fallback when no federation is given.",
    secret: true,
    optional: true,
  }),
  GCP_WORKLOAD_IDENTITY_PROVIDER: v.string({
    description: "projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>",
    pattern: /^projects\/\d+\/locations\/global\/workloadIdentityPools\/[^/]+\/providers\/[^/]+$/,
    patternText: "projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>",
    optional: true,
  }),
  GCP_SERVICE_ACCOUNT: v.string({ description: "Service account to impersonate.", optional: true }),
  GCP_PROJECT_ID: v.string({ description: "Project of the GCP targets.", optional: true }),
  GOOGLE_CREDENTIALS: v.string({
    description: "Static service-account key JSON: the fallback when no workload identity is given.",
    secret: true,
    optional: true,
  }),
  REPORTS_DIR: v.string({
    description: "Folder for the human reports (summary.md): declare it as the step's artifacts.",
    default: "pipe-reports/multicloud-plan",
  }),
  CODE_INSIGHTS: v.boolean({ description: "Publish a Code Insights report on the commit.", default: true }),
  PR_COMMENT: v.boolean({
    description: "Keep one comment on the PR up to date with the plans.",
    default: true,
  }),
  ...bitbucketAccessVariables,
  DEBUG: v.boolean({ description: "Print debug output and stack traces.", default: false }),
});

export type Variables = typeof variables._output;
