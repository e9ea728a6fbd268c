/**
 * cost-guard's whole public interface. pipe.yml and the README's variable table are generated from
 * this schema (`npm run docs`).
 */
import { bitbucketAccessVariables } from "@pipes/bitbucket";
import { defineVariables, v } from "@pipes/core";

export const variables = defineVariables({
  INFRACOST_FILE: v.string({
    description:
      "Infracost JSON (`infracost breakdown` or `infracost diff` with `--format json`) written by an earlier step, relative to the clone directory. Without it, the pipe runs `infracost breakdown` itself, which needs the infracost binary and `INFRACOST_API_KEY`.",
    optional: true,
    example: "infracost.json",
  }),
  INFRACOST_PATH: v.string({
    description:
      "What `infracost breakdown --path` prices when the pipe runs Infracost: a folder or plan JSON.",
    default: ".",
  }),
  INFRACOST_API_KEY: v.string({
    description: "Infracost API key, used only when the pipe runs Infracost itself.",
    secret: true,
    optional: true,
  }),
  PLAN_FILES: v.list({
    description:
      "Terraform/OpenTofu plan JSONs (`show -json`) whose resources' tags (AWS, Azure) and labels (Google) name the tenants; for example those multicloud-plan leaves in shared storage. Relative to the clone directory.",
    itemForm: "a path to a plan JSON",
    default: [],
  }),
  CONFIG_FILE: v.string({
    description:
      "Budgets, approvers, anomaly and tenant settings. Missing is fine: no budgets, costs are reported.",
    default: ".cost-guard.yml",
  }),
  ENVIRONMENT: v.string({
    description:
      "Environment of the projects no `environments` glob of the config matches. Default: the step's deployment environment.",
    optional: true,
  }),
  APPROVED_BY: v.string({
    description:
      "On a manual step: the Bitbucket nickname of the allowed approver who approves the cost change.",
    optional: true,
  }),
  HISTORY_STORE: v.string({
    description:
      "Where the cost history for anomaly detection is kept: a folder (relative to the clone), or an s3:// URL (@pipes/storage). Empty: no history, no anomaly detection.",
    optional: true,
    example: "s3://finops-history/cost-guard",
  }),
  ENFORCE: v.boolean({
    description:
      "Exit 1 on FAIL (and on approval required but missing). With false, it exits 0 with a loud warning.",
    default: true,
  }),
  REPORTS_DIR: v.string({
    description:
      "Folder for the human reports (Markdown, chargeback CSV/JSON): declare it as the step's artifacts.",
    default: "pipe-reports/cost-guard",
  }),
  CODE_INSIGHTS: v.boolean({ description: "Publish a Code Insights report on the commit.", default: true }),
  PR_COMMENT: v.boolean({
    description: "Keep one comment on the PR up to date with the cost diff and the verdict.",
    default: true,
  }),
  ...bitbucketAccessVariables,
  DEBUG: v.boolean({ description: "Print debug output and stack traces.", default: false }),
});

export type Variables = typeof variables._output;
