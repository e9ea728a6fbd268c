import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "@pipes/core";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, loadConfig, mergeConfig, parseConfig } from "../../src/config.ts";

const FILE = ".security-gate.yml";

/** The example of the README: every section of the file. */
const EXAMPLE = `
fail_on:
  critical: 0
  high: 2
warn_on:
  medium: 10
new_only: true
baseline: .security-gate-baseline.json
exclude_paths:
  - "examples/**"
  - "**/testdata/**"
suppressions:
  - id: website-bucket
    rule: CKV_GCP_29
    path: gcs.tf
    reason: Static website bucket, object ACLs reviewed in SEC-142
    expires: 2026-12-31
  - id: test-key
    fingerprint: 5d41402abc4b2a76
    reason: Test fixture key, not a real credential
compliance:
  frameworks: [PCI-DSS, SOC2]
  mappings:
    CKV_AWS_144:
      ISO27001: [A.8.14]
fail_on_scanner_error: false
scanners:
  checkov:
    frameworks: [terraform, dockerfile]
    skip_checks: [CKV_AWS_144]
  semgrep:
    configs: [.semgrep/]
signed_commits:
  mode: enforce
  allowed_signers: .github/allowed_signers
oidc:
  enabled: true
  branch_pattern: main
`;

function problem(text: string): string {
  try {
    parseConfig(text, FILE);
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error("expected the configuration to be rejected");
}

describe("parseConfig", () => {
  it("reads every section of .security-gate.yml", () => {
    expect(parseConfig(EXAMPLE, FILE)).toEqual({
      failOn: { CRITICAL: 0, HIGH: 2 },
      warnOn: { MEDIUM: 10 },
      newOnly: true,
      baseline: ".security-gate-baseline.json",
      excludePaths: ["examples/**", "**/testdata/**"],
      suppressions: [
        {
          id: "website-bucket",
          rule: "CKV_GCP_29",
          path: "gcs.tf",
          reason: "Static website bucket, object ACLs reviewed in SEC-142",
          expires: "2026-12-31",
        },
        {
          id: "test-key",
          fingerprint: "5d41402abc4b2a76",
          reason: "Test fixture key, not a real credential",
        },
      ],
      compliance: { gating: ["PCI-DSS", "SOC2"], mappings: { CKV_AWS_144: { ISO27001: ["A.8.14"] } } },
      failOnScannerError: false,
      scanners: {
        checkov: { frameworks: ["terraform", "dockerfile"], skip_checks: ["CKV_AWS_144"] },
        semgrep: { configs: [".semgrep/"] },
      },
      signedCommits: { mode: "enforce", allowedSigners: ".github/allowed_signers" },
      oidc: { enabled: true, branchPattern: "main" },
    });
  });

  it("applies the defaults for an empty file: fail on any CRITICAL or HIGH, warn on any MEDIUM", () => {
    expect(parseConfig("", FILE)).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG.failOn).toEqual({ CRITICAL: 0, HIGH: 0 });
    expect(DEFAULT_CONFIG.warnOn).toEqual({ MEDIUM: 0 });
    expect(DEFAULT_CONFIG.failOnScannerError).toBe(true);
  });

  it("takes fail_on as the whole fail policy, not a patch over the defaults", () => {
    expect(parseConfig("fail_on:\n  critical: 0\n", FILE).failOn).toEqual({ CRITICAL: 0 });
  });

  it("rejects a suppression without a reason, naming the file, the key and the suppression", () => {
    const message = problem(`
suppressions:
  - id: ok
    rule: CKV_AWS_20
    reason: Public website bucket
  - id: legacy-logs
    rule: CKV_AWS_18
`);
    expect(message).toContain(
      '.security-gate.yml: suppressions[1].reason (suppression "legacy-logs"): is required',
    );
  });

  it("rejects a suppression whose reason is blank", () => {
    expect(problem('suppressions:\n  - id: x\n    rule: CKV_AWS_18\n    reason: "  "\n')).toContain(
      "suppressions[0].reason",
    );
  });

  it("rejects a suppression that would hide every finding", () => {
    expect(problem("suppressions:\n  - id: everything\n    reason: too noisy\n")).toContain(
      'suppressions[0] (suppression "everything"): needs at least one of rule, path or fingerprint',
    );
  });

  it("rejects an expiry that is not a date", () => {
    expect(
      problem("suppressions:\n  - id: x\n    rule: R\n    reason: r\n    expires: next year\n"),
    ).toContain("suppressions[0].expires");
  });

  it("rejects two suppressions with the same id", () => {
    const twice = "  - id: same\n    rule: R\n    reason: r\n";
    expect(problem(`suppressions:\n${twice}${twice}`)).toContain('suppressions[1].id: "same" is used twice');
  });

  it("rejects a threshold that is not a whole number, naming its key", () => {
    expect(problem("fail_on:\n  high: -1\n")).toBe(
      ".security-gate.yml: fail_on.high: must be a whole number ≥ 0",
    );
    expect(problem("fail_on:\n  high: lots\n")).toContain("fail_on.high: must be a whole number ≥ 0");
  });

  it("rejects unknown keys, so a typo cannot silently switch a policy off", () => {
    expect(problem("fail-on:\n  high: 0\n")).toBe('.security-gate.yml: unknown key "fail-on"');
  });

  it("rejects an unknown compliance framework", () => {
    expect(problem("compliance:\n  frameworks: [HIPAA]\n")).toContain(
      "compliance.frameworks[0]: must be one of SOC2, PCI-DSS, GDPR, ISO27001",
    );
  });

  it("rejects a file that is not YAML, naming it", () => {
    expect(problem("fail_on: [critical\n")).toMatch(/^\.security-gate\.yml is not valid YAML/);
  });
});

describe("loadConfig", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("gives the defaults when the repository has no policy file", async () => {
    dir = await mkdtemp(join(tmpdir(), "gate-config-"));
    expect(await loadConfig(join(dir, FILE))).toEqual(DEFAULT_CONFIG);
  });

  it("reads the policy file and names it in errors as the user knows it", async () => {
    dir = await mkdtemp(join(tmpdir(), "gate-config-"));
    await writeFile(join(dir, FILE), "fail_on:\n  high: -1\n");
    await expect(loadConfig(join(dir, FILE), FILE)).rejects.toThrow(".security-gate.yml: fail_on.high");
  });
});

describe("mergeConfig", () => {
  const file = parseConfig(EXAMPLE, FILE);

  it("MAX_HIGH overrides only fail_on.high", () => {
    expect(mergeConfig(file, { failOn: { HIGH: 5 } }).failOn).toEqual({ CRITICAL: 0, HIGH: 5 });
  });

  it("keeps the file's value where a variable is not set", () => {
    expect(mergeConfig(file, {})).toEqual(file);
    expect(mergeConfig(file, { failOn: { HIGH: undefined }, signedCommits: { mode: undefined } })).toEqual(
      file,
    );
  });

  it("lets EXCLUDE_PATHS and COMPLIANCE_FRAMEWORKS replace the file's lists", () => {
    const merged = mergeConfig(file, { excludePaths: ["vendor/**"], gatingFrameworks: ["GDPR"] });
    expect(merged.excludePaths).toEqual(["vendor/**"]);
    expect(merged.compliance).toEqual({ gating: ["GDPR"], mappings: file.compliance.mappings });
  });

  it("overrides booleans and settings field by field", () => {
    const merged = mergeConfig(file, {
      newOnly: false,
      failOnScannerError: true,
      baseline: "other-baseline.json",
      signedCommits: { mode: "warn" },
      oidc: { audience: "api://deploy" },
    });
    expect(merged).toMatchObject({
      newOnly: false,
      failOnScannerError: true,
      baseline: "other-baseline.json",
      signedCommits: { mode: "warn", allowedSigners: ".github/allowed_signers" },
      oidc: { enabled: true, branchPattern: "main", audience: "api://deploy" },
    });
  });

  it("merges scanner options per scanner and per option", () => {
    const merged = mergeConfig(file, { scanners: { checkov: { skip_checks: ["CKV_AWS_18"] } } });
    expect(merged.scanners).toEqual({
      checkov: { frameworks: ["terraform", "dockerfile"], skip_checks: ["CKV_AWS_18"] },
      semgrep: { configs: [".semgrep/"] },
    });
  });
});
