import { PassThrough } from "node:stream";
import { Logger, ToolError } from "@pipes/core";
import { describe, expect, it } from "vitest";
import type { Finding, Scanner } from "../../src/findings.ts";
import { runScanners, SCANNER_ADAPTERS, type ScannerAdapter } from "../../src/scanners/scan.ts";
import type { ScanOptions } from "../../src/scanners/scan-options.ts";
import { checkovSkipPathRegex, globRelativeToScanPath } from "../../src/scanners/skip-paths.ts";
import { versionFromOutput } from "../../src/scanners/tool-version.ts";
import { ingestLocal } from "../ingest/report-fixtures.ts";

function quietLogger(): { log: Logger; output: () => string } {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk) => (text += chunk));
  return { log: new Logger({ env: { NO_COLOR: "1" }, stdout: stream, stderr: stream }), output: () => text };
}

const options: ScanOptions = { repoRoot: "/tmp/clone", scanPath: ".", skipPaths: [], timeoutMs: 10_000 };

function adapterGiving(tool: Scanner, findings: Finding[]): ScannerAdapter {
  return async () => ({
    findings,
    warnings: [`${tool}: a warning`],
    run: { tool, version: "1.0.0", status: "ok", findings: findings.length, durationMs: 5 },
  });
}

const failing: ScannerAdapter = async () => {
  throw new ToolError("trivy timed out after 10s", {
    suggestion: "Raise SCANNER_TIMEOUT, or narrow SCAN_PATH.",
  });
};

describe("running the scanners", () => {
  const checkovFindings = ingestLocal("checkov-3.3.30-two-frameworks.json").findings;

  it("collects every scanner's findings, runs and warnings", async () => {
    const adapters = {
      ...SCANNER_ADAPTERS,
      checkov: adapterGiving("checkov", checkovFindings),
      semgrep: adapterGiving("semgrep", []),
    };
    const result = await runScanners(["checkov", "semgrep"], options, quietLogger().log, adapters);
    expect(result.findings).toHaveLength(12);
    expect(result.runs.map((run) => [run.tool, run.status, run.findings])).toEqual([
      ["checkov", "ok", 12],
      ["semgrep", "ok", 0],
    ]);
    expect(result.warnings).toEqual(["checkov: a warning", "semgrep: a warning"]);
  });

  it("records a scanner that fails as a failed run with the reason, and keeps the others' findings", async () => {
    const { log, output } = quietLogger();
    const adapters = {
      ...SCANNER_ADAPTERS,
      checkov: adapterGiving("checkov", checkovFindings),
      trivy: failing,
    };
    const result = await runScanners(["checkov", "trivy"], options, log, adapters);
    expect(result.findings).toHaveLength(12);
    expect(result.runs[1]).toEqual({
      tool: "trivy",
      status: "failed",
      findings: 0,
      durationMs: expect.any(Number),
      error: "trivy timed out after 10s (Raise SCANNER_TIMEOUT, or narrow SCAN_PATH.)",
    });
    expect(output()).toContain("⚠ trivy failed: trivy timed out after 10s");
  });

  it("records a scanner that is not installed as failed, naming the version the image should have", async () => {
    const result = await runScanners(
      ["gitleaks"],
      { ...options, repoRoot: process.cwd(), executables: { gitleaks: "gitleaks-not-installed" } },
      quietLogger().log,
    );
    expect(result.runs).toEqual([
      {
        tool: "gitleaks",
        status: "failed",
        findings: 0,
        durationMs: expect.any(Number),
        error:
          "gitleaks-not-installed was not found on PATH; this image should contain gitleaks-not-installed 8.30.1 (Run the pipe from its published image, or install the tool at that version.)",
      },
    ]);
  });

  it("drops findings under the skip paths, whatever the tool did with them", async () => {
    const adapters = { ...SCANNER_ADAPTERS, checkov: adapterGiving("checkov", checkovFindings) };
    const result = await runScanners(
      ["checkov"],
      { ...options, skipPaths: ["infra/**"] },
      quietLogger().log,
      adapters,
    );
    expect(result.findings.map((f) => f.location?.file)).toEqual(["Dockerfile", "Dockerfile"]);
    expect(result.runs[0]?.findings).toBe(2);
  });
});

describe("skip paths in each tool's terms", () => {
  it.each([
    [
      "examples/**",
      ["./examples", "./examples/a/main.tf", "examples/main.tf"],
      ["./other/examples/main.tf", "./examples2/main.tf"],
    ],
    ["**/.terraform/**", ["./infra/.terraform/modules/x.tf"], ["./infra/terraform/x.tf"]],
    ["infra/legacy.tf", ["infra/legacy.tf", "./infra/legacy.tf"], ["infra/legacy.tf.bak"]],
  ])("Checkov's regex for %s matches the paths it walks", (glob, matching, other) => {
    const regex = new RegExp(checkovSkipPathRegex(glob));
    for (const walked of matching) expect(regex.test(walked), walked).toBe(true);
    for (const walked of other) expect(regex.test(walked), walked).toBe(false);
  });

  it.each([
    ["infra/modules/**", ".", "infra/modules/**"],
    ["infra/modules/**", "infra", "modules/**"],
    ["**/test/**", "infra", "**/test/**"],
    ["app/**", "infra", undefined],
  ])("%s seen from %s is %s", (glob, scanPath, relative) => {
    expect(globRelativeToScanPath(glob, scanPath)).toBe(relative);
  });
});

describe("tool versions", () => {
  it.each([
    ["3.3.30\n", "3.3.30"],
    ["Version: 0.74.0\n", "0.74.0"],
    ["1.185.0\n", "1.185.0"],
    ["v8.30.1\n", "8.30.1"],
    ["no version here", undefined],
  ])("%j is %s", (output, version) => {
    expect(versionFromOutput(output)).toBe(version);
  });
});
