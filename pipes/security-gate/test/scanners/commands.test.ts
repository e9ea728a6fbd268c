import { describe, expect, it } from "vitest";
import { checkovCommand, checkovVersionCommand } from "../../src/scanners/checkov.ts";
import {
  gitleaksDirCommand,
  gitleaksGitCommand,
  gitleaksVersionCommand,
} from "../../src/scanners/gitleaks.ts";
import { remainingTime, type ScanOptions } from "../../src/scanners/scan-options.ts";
import { semgrepCommand, semgrepVersionCommand } from "../../src/scanners/semgrep.ts";
import { trivyCommand, trivyVersionCommand } from "../../src/scanners/trivy.ts";

const CLONE = "/opt/atlassian/pipelines/agent/build";
const defaults: ScanOptions = { repoRoot: CLONE, scanPath: ".", skipPaths: [], timeoutMs: 600_000 };

function options(overrides: Partial<ScanOptions>): ScanOptions {
  return { ...defaults, ...overrides };
}

describe("Checkov's command", () => {
  const offline = ["--skip-download", "--soft-fail", "--quiet", "--compact"];
  it.each([
    [
      "the whole repository",
      {},
      ["--directory", ".", "--output", "json", "--output-file-path", "/tmp/out", ...offline],
    ],
    [
      "a folder, some frameworks, skipped checks",
      {
        scanPath: "infra",
        checkov: { frameworks: ["terraform", "kubernetes"], skipChecks: ["CKV_AWS_18", "CKV2_AWS_62"] },
      },
      [
        "--directory",
        "infra",
        "--output",
        "json",
        "--output-file-path",
        "/tmp/out",
        ...offline,
        "--framework",
        "terraform",
        "kubernetes",
        "--skip-check",
        "CKV_AWS_18,CKV2_AWS_62",
      ],
    ],
    [
      "skip paths as anchored regexes",
      { skipPaths: ["examples/**"] },
      [
        "--directory",
        ".",
        "--output",
        "json",
        "--output-file-path",
        "/tmp/out",
        ...offline,
        "--skip-path",
        String.raw`^(?:\./)?(?:examples(?:\/(?!\.{1,2}(?:\/|$))(?:(?:(?!(?:^|\/)\.{1,2}(?:\/|$)).)*?)|$))$`,
      ],
    ],
  ] as const)("scans %s", (_case, overrides, args) => {
    expect(checkovCommand(options(overrides), "/tmp/out").args).toEqual(args);
  });

  it("runs offline from the clone, and treats failed checks as results", () => {
    const command = checkovCommand(defaults, "/tmp/out");
    expect(command).toMatchObject({
      tool: "checkov",
      cwd: CLONE,
      timeoutMs: 600_000,
      expectedVersion: "3.3.30",
      env: { BC_SKIP_MAPPING: "TRUE", CKV_SKIP_PACKAGE_UPDATE_CHECK: "true" },
    });
    expect(command.okExitCodes).toBeUndefined();
    expect(checkovVersionCommand(defaults).args).toEqual(["--version"]);
  });
});

describe("Trivy's command", () => {
  const always = ["--skip-check-update", "--skip-version-check", "--disable-telemetry"];
  const noDb = [...always, "--skip-db-update", "--skip-java-db-update", "--offline-scan"];
  const head = (scanners: string) => [
    "filesystem",
    "--scanners",
    scanners,
    "--format",
    "json",
    "--output",
    "/tmp/t.json",
    "--quiet",
    "--timeout",
    "600s",
  ];
  it.each([
    ["offline, without a vulnerability database", {}, "none", [...head("misconfig,secret"), ...noDb, "."]],
    [
      "with the database baked into the image",
      {},
      "cached",
      [...head("vuln,misconfig,secret"), ...noDb, "."],
    ],
    ["downloading the database", {}, "download", [...head("vuln,misconfig,secret"), ...always, "."]],
    [
      "a folder, with skip paths relative to it and a cache folder",
      {
        scanPath: "infra",
        skipPaths: ["infra/modules/**", "app/**", "**/.terraform/**"],
        trivy: { cacheDir: "/var/cache/trivy" },
      },
      "none",
      [
        ...head("misconfig,secret"),
        ...noDb,
        "--cache-dir",
        "/var/cache/trivy",
        "--skip-dirs",
        "modules/**",
        "--skip-files",
        "modules/**",
        "--skip-dirs",
        "**/.terraform/**",
        "--skip-files",
        "**/.terraform/**",
        "infra",
      ],
    ],
  ] as const)("scans %s", (_case, overrides, db, args) => {
    expect(trivyCommand(options(overrides), "/tmp/t.json", db).args).toEqual(args);
  });

  it("gives Trivy the time left of the scanner's limit", () => {
    const started = 1_000_000;
    const late = remainingTime(options({ timeoutMs: 60_000 }), started, started + 45_500);
    expect(trivyCommand(late, "/tmp/t.json", "none")).toMatchObject({
      timeoutMs: 14_500,
      args: expect.arrayContaining(["15s"]),
    });
    expect(trivyVersionCommand(defaults)).toMatchObject({ args: ["--version"], timeoutMs: 60_000 });
  });
});

describe("Semgrep's command", () => {
  const tail = [
    "--json",
    "--output",
    "/tmp/s.json",
    "--metrics=off",
    "--disable-version-check",
    "--no-rewrite-rule-ids",
    "--quiet",
  ];
  it.each([
    ["with the bundled rules", {}, ["scan", "--config", "/pipe/rules/semgrep", ...tail, "."]],
    [
      "with the repository's rules and a registry rule set",
      { semgrep: { configs: [".semgrep/", "p/python"] } },
      ["scan", "--config", ".semgrep/", "--config", "p/python", ...tail, "."],
    ],
    [
      "a folder, skipping paths",
      { scanPath: "services", skipPaths: ["**/test/**", "vendor/**"] },
      [
        "scan",
        "--config",
        "/pipe/rules/semgrep",
        ...tail,
        "--exclude",
        "**/test/**",
        "--exclude",
        "vendor/**",
        "services",
      ],
    ],
  ] as const)("scans %s", (_case, overrides, args) => {
    expect(semgrepCommand(options(overrides), "/tmp/s.json", "/pipe/rules/semgrep").args).toEqual(args);
  });

  it("keeps metrics and the version check off, and reads the report of a run with a broken rule", () => {
    expect(semgrepCommand(defaults, "/tmp/s.json", "/r")).toMatchObject({
      env: { SEMGREP_SEND_METRICS: "off", SEMGREP_ENABLE_VERSION_CHECK: "0" },
      okExitCodes: [0, 2],
      cwd: CLONE,
    });
    expect(semgrepVersionCommand(defaults).args).toEqual(["--version"]);
  });
});

describe("gitleaks' commands", () => {
  const report = [
    "--report-format",
    "json",
    "--report-path",
    "/tmp/g.json",
    "--exit-code",
    "0",
    "--no-banner",
    "--log-level",
    "warn",
  ];
  it.each([
    ["the working tree", () => gitleaksDirCommand(defaults, "/tmp/g.json"), ["dir", ...report, "."]],
    [
      "a folder of the working tree",
      () => gitleaksDirCommand(options({ scanPath: "app" }), "/tmp/g.json"),
      ["dir", ...report, "app"],
    ],
    [
      "the commits of a pull request",
      () => gitleaksGitCommand(defaults, "/tmp/g.json", "4f2a9c1..e81b0d7"),
      ["git", ...report, "--log-opts=4f2a9c1..e81b0d7", "."],
    ],
  ] as const)("scans %s", (_case, build, args) => {
    expect(build().args).toEqual(args);
  });

  it("asks gitleaks its version with its version subcommand", () => {
    expect(gitleaksVersionCommand(options({ executables: { gitleaks: "/opt/bin/gitleaks" } }))).toMatchObject(
      {
        tool: "/opt/bin/gitleaks",
        args: ["version"],
        expectedVersion: "8.30.1",
      },
    );
  });
});
