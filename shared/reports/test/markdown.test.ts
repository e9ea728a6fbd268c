import { describe, expect, it } from "vitest";
import {
  andMore,
  BITBUCKET_COMMENT_LIMIT,
  collapsible,
  escapeMarkdown,
  fitWithinLimit,
  inlineCode,
  limitItems,
  link,
  table,
  verdictBadge,
} from "../src/markdown.ts";

describe("Markdown", () => {
  it("escapes text so a finding cannot format the comment, inject HTML or mention anyone", () => {
    expect(escapeMarkdown("Detected *MD5* in `hashlib.md5(x)` [see](http://evil) a|b")).toBe(
      "Detected \\*MD5\\* in \\`hashlib.md5(x)\\` \\[see\\](http://evil) a\\|b",
    );
    expect(escapeMarkdown(`<img src=x onerror="alert(1)"> & 'quotes' &lt;`)).toBe(
      `&lt;img src=x onerror="alert(1)"&gt; & 'quotes' &amp;lt;`,
    );
    expect(escapeMarkdown("ping @security-team, openssl@1.1.1")).toBe(
      "ping &#64;security-team, openssl@1.1.1",
    );
    expect(escapeMarkdown("line one\r\nline two\u0007\u001b[31m")).toBe("line one line two");
  });

  it("fences code with more backticks than it contains", () => {
    expect(inlineCode("gcs.tf:17")).toBe("`gcs.tf:17`");
    expect(inlineCode("a `b` c")).toBe("``a `b` c``");
    expect(inlineCode("`start")).toBe("`` `start ``");
  });

  it("links only to http(s) URLs, with the link text escaped", () => {
    expect(link("CKV_GCP_28", "https://docs.bridgecrew.io/docs/bc_gcp_public_1")).toBe(
      "[CKV\\_GCP\\_28](https://docs.bridgecrew.io/docs/bc_gcp_public_1)",
    );
    expect(link("rule", "javascript:alert(1)")).toBe("rule");
    expect(link("rule", "https://example.com/a (b)")).toBe("[rule](https://example.com/a%20%28b%29)");
    expect(link("rule", undefined)).toBe("rule");
  });

  it("renders a table whose cells cannot break out of their row or column", () => {
    expect(
      table(
        ["Rule", "Count"],
        [
          ["a|b", "1"],
          ["line\nbreak", ""],
          [escapeMarkdown("c|d"), "2"],
        ],
        ["left", "right"],
      ),
    ).toBe(
      ["| Rule | Count |", "| --- | ---: |", "| a\\|b | 1 |", "| line break |   |", "| c\\|d | 2 |"].join(
        "\n",
      ),
    );
  });

  it("makes collapsible sections with <details> for GitHub and plain sections for Bitbucket, which shows HTML as text", () => {
    expect(collapsible("Failed controls <2>", "- CC6.1", "github")).toBe(
      "<details>\n<summary>Failed controls &lt;2></summary>\n\n- CC6.1\n\n</details>",
    );
    expect(collapsible("Failed controls <2>", "- CC6.1", "bitbucket")).toBe(
      "**Failed controls &lt;2&gt;**\n\n- CC6.1",
    );
  });

  it("shows the verdict as a text badge", () => {
    expect([verdictBadge("PASS"), verdictBadge("WARN"), verdictBadge("FAIL")]).toEqual([
      "✅ PASS",
      "⚠️ WARN",
      "❌ FAIL",
    ]);
  });

  it("keeps the first items of a list and says how many more there are", () => {
    const { shown, hidden } = limitItems(["a", "b", "c", "d", "e"], 3);
    expect(shown).toEqual(["a", "b", "c"]);
    expect(andMore(hidden, "findings")).toBe("… and 2 more findings");
    expect(limitItems(["a"], 20)).toEqual({ shown: ["a"], hidden: 0 });
  });

  it("keeps whole sections within the comment limit and says how many were left out", () => {
    const header = "## ❌ Security gate: FAIL";
    const big = `| Rule |\n| --- |\n${"| CKV_AWS_20 |\n".repeat(3000)}`;
    const blocks = [header, big, "### Scanners", "### Compliance"];
    const body = fitWithinLimit(blocks, BITBUCKET_COMMENT_LIMIT);
    expect(body.length).toBeLessThanOrEqual(BITBUCKET_COMMENT_LIMIT);
    expect(body.startsWith(header)).toBe(true);
    expect(body).not.toContain("CKV_AWS_20 |\n| CKV_AWS_20 |\n".repeat(3000));
    expect(body.endsWith("_… and 3 more sections, left out to fit the size limit._")).toBe(true);
    expect(fitWithinLimit(["a", "b"], 100)).toBe("a\n\nb");
  });

  it("cuts a first section that alone exceeds the limit at a line break", () => {
    const rows = Array.from({ length: 100 }, (_, index) => `- finding ${index}`).join("\n");
    const body = fitWithinLimit([rows, "tail"], 300);
    expect(body.length).toBeLessThanOrEqual(300);
    expect(body).toMatch(/^- finding 0\n/);
    expect(
      body
        .split("\n")
        .filter((line) => line.startsWith("- finding"))
        .every((line) => /^- finding \d+$/.test(line)),
    ).toBe(true);
    expect(body).toMatch(/_… and 1 more section, left out to fit the size limit._$/);
  });
});
