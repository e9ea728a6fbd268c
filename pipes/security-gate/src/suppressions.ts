/**
 * Suppressions from `.security-gate.yml`: accepted risks, each with a reason and, ideally, an end
 * date. A suppression matches a finding when every criterion it sets matches (rule glob, path glob,
 * fingerprint). After its `expires` date it no longer hides anything: the finding counts again and
 * the gate warns, naming the suppression, so accepted risks are revisited rather than forgotten.
 *
 * Inline suppressions (`# checkov:skip=`, `#tfsec:ignore:`, `// nosemgrep`) are the scanners' own
 * business and never reach this module.
 */
import picomatch from "picomatch";
import type { Finding } from "./findings.ts";
import type { Suppression } from "./gate.ts";

export interface SuppressionOutcome {
  /** The active suppression that hides each finding, by the finding's index in the input. */
  suppressedBy: (Suppression | undefined)[];
  /** Suppressions past their expiry date, in config order: they hid nothing. */
  expired: Suppression[];
  /** Active suppressions that matched no finding: candidates for removal. */
  unused: Suppression[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The instant a suppression stops applying. A bare date (`2025-06-30`) is valid through that
 * whole day in UTC; a full timestamp is exact.
 */
export function expiryInstant(expires: string): number {
  const start = Date.parse(expires);
  return /^\d{4}-\d{2}-\d{2}$/.test(expires) ? start + DAY_MS : start;
}

export function isExpired(suppression: Suppression, now: Date): boolean {
  return suppression.expires !== undefined && now.getTime() >= expiryInstant(suppression.expires);
}

/** "suppression "legacy-logs" expired on 2025-06-30: its findings count again" */
export function describeExpiry(suppression: Suppression): string {
  return `suppression "${suppression.id}" expired on ${suppression.expires ?? "?"}: its findings count again`;
}

type FindingMatcher = (finding: Finding) => boolean;

/** Rule globs match any of the finding's rule ids, so a Checkov id also hides the merged Trivy twin. */
function matcherFor(suppression: Suppression): FindingMatcher {
  const rule =
    suppression.rule === undefined ? undefined : picomatch(suppression.rule, { nocase: true, dot: true });
  const path = suppression.path === undefined ? undefined : picomatch(suppression.path, { dot: true });
  return (finding) => {
    if (suppression.fingerprint !== undefined && finding.fingerprint !== suppression.fingerprint)
      return false;
    if (rule !== undefined && !ruleIds(finding).some((id) => rule(id))) return false;
    if (path !== undefined) {
      const file = finding.location?.file;
      if (file === undefined || !path(normalizePath(file))) return false;
    }
    return true;
  };
}

function ruleIds(finding: Finding): string[] {
  return [finding.ruleId, ...Object.values(finding.alsoKnownAs ?? {})];
}

/** Repository-relative, without a leading `./` or `/` (Checkov prints `/main.tf`). */
export function normalizePath(file: string): string {
  return file.replace(/^(\.\/|\/)+/, "");
}

/** Which finding each suppression hides at `now`; the first matching suppression in config order wins. */
export function applySuppressions(
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
  now: Date,
): SuppressionOutcome {
  const expired = suppressions.filter((suppression) => isExpired(suppression, now));
  const active = suppressions
    .filter((suppression) => !isExpired(suppression, now))
    .map((suppression) => ({ suppression, matches: matcherFor(suppression), used: false }));
  const suppressedBy = findings.map((finding) => {
    const hit = active.find((candidate) => candidate.matches(finding));
    if (hit === undefined) return undefined;
    hit.used = true;
    return hit.suppression;
  });
  const unused = active.filter((candidate) => !candidate.used).map((candidate) => candidate.suppression);
  return { suppressedBy, expired, unused };
}
