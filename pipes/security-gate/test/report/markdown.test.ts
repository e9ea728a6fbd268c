import { BITBUCKET_COMMENT_LIMIT } from "@pipes/reports";
import { describe, expect, it } from "vitest";
import { renderPullRequestComment, renderSummary } from "../../src/report/markdown.ts";
import { activeCounts, failingResult, finding, manyFindings, passingResult } from "./gate-results.ts";

/** The rows of the "Top findings" table, without its header and separator. */
function findingRows(markdown: string): string[] {
  const section = markdown.split("### Top findings")[1]?.split("###")[0] ?? "";
  return section
    .split("\n")
    .filter((line) => line.startsWith("| "))
    .slice(2);
}

describe("security gate PR comment", () => {
  it("opens with the verdict and the reasons for it", () => {
    const comment = renderPullRequestComment(failingResult());
    expect(comment.startsWith("## Security gate: ❌ FAIL\n\n")).toBe(true);
    expect(comment).toContain("- ❌ 1 CRITICAL finding is active (MAX\\_CRITICAL is 0)");
    expect(comment).toContain("- ❌ SOC2 control CC6.1 failed (SOC2 is in COMPLIANCE\\_FRAMEWORKS)");
    expect(comment).toContain("- ⚠️ Suppression website-bucket expires on 2026-12-31");
  });

  it("shows each verdict with its emoji", () => {
    expect(renderPullRequestComment(passingResult())).toMatch(
      /^## Security gate: ✅ PASS\n\nNo findings or checks above the thresholds\./,
    );
    const warn = passingResult({
      verdict: "WARN",
      reasons: [{ verdict: "WARN", message: "semgrep failed to run" }],
    });
    expect(renderPullRequestComment(warn)).toMatch(/^## Security gate: ⚠️ WARN\n\n- ⚠️ semgrep failed to run/);
  });

  it("counts findings per severity and per status", () => {
    const comment = renderPullRequestComment(failingResult());
    expect(comment).toContain(
      [
        "| 🔴 CRITICAL | 🟠 HIGH | 🟡 MEDIUM | 🔵 LOW | ⚪ INFO |",
        "| ---: | ---: | ---: | ---: | ---: |",
        "| 1 | 6 | 2 | 0 | 0 |",
      ].join("\n"),
    );
    expect(comment).toContain("7 blocking · 2 non-blocking · 1 in the baseline · 2 suppressed");
  });

  it("lists the top findings blocking and most severe first, with file:line and the rule linked to its help", () => {
    const rows = findingRows(renderPullRequestComment(failingResult()));
    expect(rows).toHaveLength(12);
    expect(rows[0]).toBe(
      "| ❌ blocking | 🔴 CRITICAL | github-pat | `Dockerfile:24` | GitHub Personal Access Token | trivy |",
    );
    expect(rows[1]).toBe(
      "| ❌ blocking | 🟠 HIGH | [DS002](https://avd.aquasec.com/misconfig/ds002) | `Dockerfile` | Image user should not be 'root' | trivy |",
    );
    expect(rows).toContain(
      "| ❌ blocking | 🟠 HIGH | [AVD-AWS-0086](https://avd.aquasec.com/misconfig/avd-aws-0086) | `main.tf:8` | S3 Access block should block public ACL | trivy, checkov (CKV\\_AWS\\_53) |",
    );
    const statuses = rows.map((row) => row.split(" | ")[0]);
    expect(statuses.indexOf("| ⚠️ non-blocking")).toBeGreaterThan(statuses.lastIndexOf("| ❌ blocking"));
    expect(rows.at(-1)).toMatch(/^\| 🔕 suppressed \| /);
  });

  it("shows at most 20 findings and says how many more there are", () => {
    const findings = manyFindings(300);
    const comment = renderPullRequestComment(failingResult({ findings, counts: activeCounts(findings) }));
    expect(findingRows(comment)).toHaveLength(20);
    expect(comment).toContain("… and 280 more findings in the SARIF report.");
  });

  it("shows the zero-trust checks, compliance per framework and the scanners with versions and durations", () => {
    const comment = renderPullRequestComment(failingResult());
    expect(comment).toContain(
      "| signed-commits | ❌ fail | 1 of 3 commits is not signed by an allowed signer |",
    );
    expect(comment).toContain("| oidc | ✅ pass | OIDC token verified for branch main |");
    expect(comment).toContain("| SOC2 | gating | 12 | 10 | ❌ 2 |");
    expect(comment).toContain("| PCI-DSS | reported | 7 | 7 | 0 |");
    expect(comment).toContain(
      "**SOC2 CC6.1** Logical access security: 3 findings (CKV\\_GCP\\_28, AVD-AWS-0086, github-pat)",
    );
    expect(comment).toContain("| checkov | ✅ ran | 2.2.34 | 4 | 12.3 s |");
    expect(comment).toContain("| semgrep | ✅ ran | 1.99.0 | 2 | 30.5 s |");
  });

  it("uses no HTML, which Bitbucket would show as text", () => {
    const comment = renderPullRequestComment(failingResult());
    expect(comment).not.toMatch(/<\/?(details|summary)>/);
    expect(comment).toContain("**signed-commits: details**");
    expect(comment).toContain("**Scanners (4)**\n\n| Scanner | Status | Version | Findings | Duration |");
  });

  it("stays within Bitbucket's comment size with thousands of long findings", () => {
    const findings = manyFindings(5000).map((item) => ({
      ...item,
      title: `${item.title} ${"very long title ".repeat(50)}`,
    }));
    const result = failingResult({
      findings,
      counts: activeCounts(findings),
      reasons: Array.from({ length: 400 }, (_, index) => ({
        verdict: "FAIL" as const,
        message: `Reason ${index} ${"x".repeat(200)}`,
      })),
      warnings: Array.from({ length: 400 }, (_, index) => `Warning ${index} ${"y".repeat(300)}`),
    });
    const comment = renderPullRequestComment(result);
    expect(comment.length).toBeLessThanOrEqual(BITBUCKET_COMMENT_LIMIT);
    expect(comment).toContain("… and 390 more reasons");
    expect(findingRows(comment)).toHaveLength(20);
    const short = renderPullRequestComment(result, { limit: 3000 });
    expect(short.length).toBeLessThanOrEqual(3000);
    expect(short).toMatch(/^## Security gate: ❌ FAIL/);
    expect(short).toMatch(/_… and \d+ more sections in the full report in this step's artifacts\._$/);
  });

  it("escapes everything a tool wrote, so a finding cannot inject HTML, links or table cells", () => {
    const hostile = finding({
      tool: "semgrep",
      ruleId: "rules.<img src=x onerror=alert(1)>",
      title: "Use of `eval` | [click](javascript:alert(1)) <script>alert(1)</script> @channel",
      message: "eval",
      severity: "HIGH",
      category: "code",
      location: { file: "src/a|b`.js", startLine: 3 },
      helpUri: "javascript:alert(1)",
      status: "blocking",
    });
    const comment = renderPullRequestComment(
      passingResult({ findings: [hostile], counts: activeCounts([hostile]) }),
    );
    expect(comment).not.toContain("<script>");
    expect(comment).not.toContain("<img");
    expect(comment).not.toMatch(/(?<!\\)\]\(javascript:/);
    expect(comment).toContain("\\[click\\](javascript:alert(1))");
    expect(comment).not.toContain(" @channel");
    const [row] = findingRows(comment);
    expect(row?.split(/(?<!\\)\|/).length).toBe(8);
    expect(row).toContain("rules.&lt;img src=x onerror=alert(1)&gt;");
    expect(row).toContain("``src/a\\|b`.js:3``");
  });
});

describe("security gate summary", () => {
  it("has the same sections, with collapsible details for readers of the artifacts", () => {
    const summary = renderSummary(failingResult());
    expect(summary.startsWith("## Security gate: ❌ FAIL")).toBe(true);
    for (const heading of ["### Findings", "### Top findings", "### Zero-trust checks", "### Compliance"]) {
      expect(summary).toContain(heading);
    }
    expect(summary).toContain("<details>\n<summary>Failed controls (3)</summary>");
    expect(summary).toContain("<details>\n<summary>Scanners (4)</summary>");
    expect(summary).toContain("<details>\n<summary>Warnings (1)</summary>");
  });

  it("lists up to 500 findings", () => {
    const findings = manyFindings(800);
    const summary = renderSummary(failingResult({ findings, counts: activeCounts(findings) }));
    expect(findingRows(summary)).toHaveLength(500);
    expect(summary).toContain("… and 300 more findings in the SARIF report.");
  });
});
