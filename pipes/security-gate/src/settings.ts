/**
 * The gate's settings: `.security-gate.yml` from the repository, overridden by the pipe's variables
 * (a variable that is set wins; an unset one leaves the file's value).
 */
import path from "node:path";
import type { BitbucketContext } from "@pipes/core";
import { type ConfigOverrides, type GateConfig, loadConfig, mergeConfig } from "./config.ts";
import type { Framework } from "./findings.ts";
import type { Variables } from "./variables.ts";

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The overrides the variables make; pure. */
export function variableOverrides(vars: Variables): ConfigOverrides {
  const failOn = defined({ CRITICAL: vars.MAX_CRITICAL, HIGH: vars.MAX_HIGH, MEDIUM: vars.MAX_MEDIUM });
  const checkov = defined({ frameworks: vars.CHECKOV_FRAMEWORKS, skip_checks: vars.CHECKOV_SKIP_CHECKS });
  const semgrep = defined({ configs: vars.SEMGREP_RULES });
  return defined({
    failOn: Object.keys(failOn).length > 0 ? failOn : undefined,
    newOnly: vars.NEW_ONLY,
    baseline: vars.BASELINE_FILE,
    excludePaths: vars.EXCLUDE_PATHS,
    gatingFrameworks: vars.COMPLIANCE_FRAMEWORKS as Framework[] | undefined,
    failOnScannerError: vars.FAIL_ON_SCANNER_ERROR,
    signedCommits:
      vars.SIGNED_COMMITS || vars.ALLOWED_SIGNERS || vars.GPG_PUBLIC_KEYS
        ? defined({
            mode: vars.SIGNED_COMMITS,
            allowedSigners: vars.ALLOWED_SIGNERS,
            gpgPublicKeys: vars.GPG_PUBLIC_KEYS,
          })
        : undefined,
    oidc:
      vars.OIDC !== undefined ||
      vars.OIDC_AUDIENCE ||
      vars.OIDC_BRANCH_PATTERN ||
      vars.OIDC_DEPLOYMENT_ENVIRONMENT
        ? defined({
            enabled: vars.OIDC,
            audience: vars.OIDC_AUDIENCE,
            branchPattern: vars.OIDC_BRANCH_PATTERN,
            deploymentEnvironment: vars.OIDC_DEPLOYMENT_ENVIRONMENT,
          })
        : undefined,
    scanners:
      Object.keys(checkov).length + Object.keys(semgrep).length > 0
        ? defined({
            checkov: Object.keys(checkov).length > 0 ? checkov : undefined,
            semgrep: Object.keys(semgrep).length > 0 ? semgrep : undefined,
          })
        : undefined,
  }) as ConfigOverrides;
}

export async function gateSettings(vars: Variables, context: BitbucketContext): Promise<GateConfig> {
  const file = await loadConfig(path.resolve(context.cloneDir, vars.CONFIG_FILE), vars.CONFIG_FILE);
  return mergeConfig(file, variableOverrides(vars));
}
