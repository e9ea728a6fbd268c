import { describe, expect, it } from "vitest";
import { semgrepSeverity } from "../../src/ingest/semgrep.ts";
import { FINGERPRINT, ingestLocal, ingestShared } from "./report-fixtures.ts";

describe("Semgrep JSON", () => {
  it("reads registry findings: ERROR is HIGH, WARNING is MEDIUM", () => {
    const report = ingestShared("native/semgrep-many.json");
    expect(report).toMatchObject({ tool: "semgrep", warnings: [] });
    expect(report.version).toBeUndefined();
    expect(report.findings).toHaveLength(48);
    const severities: Record<string, number> = {};
    for (const f of report.findings) severities[f.severity] = (severities[f.severity] ?? 0) + 1;
    expect(severities).toEqual({ HIGH: 13, MEDIUM: 35 });
    expect(report.findings[0]).toEqual({
      tool: "semgrep",
      tools: ["semgrep"],
      ruleId: "python.lang.correctness.tempfile.flush.tempfile-without-flush",
      title: "tempfile-without-flush",
      severity: "HIGH",
      category: "code",
      location: { file: "tasks.py", startLine: 186, endLine: 186 },
      message:
        "Using 'temp.name' without '.flush()' or '.close()' may cause an error because the file may not exist when 'temp.name' is used. Use '.flush()' or close the file before using 'temp.name'.",
      fingerprint: expect.stringMatching(FINGERPRINT),
      controls: [],
    });
    expect(report.findings.filter((f) => f.ruleId.endsWith("insecure-hash-algorithm-md5"))).toHaveLength(33);
  });

  it("reads Semgrep 1.185's findings of the bundled rules, with the rule's reference as help link", () => {
    const report = ingestLocal("semgrep-1.185.0.json");
    expect(report).toMatchObject({ tool: "semgrep", version: "1.185.0", warnings: [] });
    expect(report.findings).toEqual([
      {
        tool: "semgrep",
        tools: ["semgrep"],
        ruleId: "python-subprocess-shell-true",
        title: "python-subprocess-shell-true",
        severity: "HIGH",
        category: "code",
        location: { file: "app/handler.py", startLine: 6, endLine: 6 },
        message:
          'subprocess runs this command through a shell (shell=True) and the command is built at run time: a value such as "x; rm -rf /" runs as a second command. Pass the command as a list, without shell=True.',
        helpUri: "https://docs.python.org/3/library/subprocess.html#security-considerations",
        fingerprint: expect.stringMatching(FINGERPRINT),
        controls: [],
      },
    ]);
  });

  it("turns the errors Semgrep met into warnings that say what is wrong", () => {
    const report = ingestLocal("semgrep-1.185.0-rule-error.json");
    expect(report.findings).toHaveLength(1);
    expect(report.warnings).toEqual([
      "semgrep-1.185.0-rule-error.json: Semgrep error: Rule parse error: Rule parse error in rule bad-pattern: Invalid pattern for Python: Stdlib.Parsing.Parse_error",
    ]);
  });

  it.each([
    ["ERROR", "HIGH"],
    ["WARNING", "MEDIUM"],
    ["INFO", "LOW"],
    ["CRITICAL", "CRITICAL"],
    ["LOW", "LOW"],
    ["INVENTORY", "INFO"],
  ] as const)("maps Semgrep's %s to %s", (level, severity) => {
    expect(semgrepSeverity(level)).toBe(severity);
  });
});
