/**
 * Links that reports may show to people. Help URIs come from tool output: only absolute http(s)
 * URLs are kept, so a report never carries a `javascript:` or relative link, and SARIF and Code
 * Insights (whose link fields are `format: uri`) stay valid.
 */
export function webLink(url: string | undefined): string | undefined {
  const parsed = url ? URL.parse(url.trim()) : null;
  return parsed && (parsed.protocol === "https:" || parsed.protocol === "http:") ? parsed.href : undefined;
}
