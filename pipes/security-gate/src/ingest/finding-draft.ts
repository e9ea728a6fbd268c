/**
 * The last step of every parser: a finding as read from the report becomes a `Finding`, with its
 * fingerprint computed one way for all tools and any secret value gone.
 */
import type { Finding, Location } from "../findings.ts";
import { fingerprint } from "./fingerprint.ts";
import type { ParseContext } from "./parsed-report.ts";
import { redactSecret } from "./redaction.ts";

export interface FindingDraft extends Omit<Finding, "tools" | "fingerprint" | "controls"> {
  /** The secret value, when the tool gives it: hashed into the fingerprint, then dropped. */
  secret?: string | undefined;
}

/** Completes a draft: `tools`, `fingerprint`, empty `controls` (compliance mapping adds them later). */
export function completeFinding(draft: FindingDraft, context: ParseContext): Finding {
  const { secret, location, resource, helpUri, alsoKnownAs } = draft;
  const message = redactSecret(draft.message, secret);
  // The flagged lines are read only when they are what identifies the finding (see fingerprint.ts).
  const sourceText =
    !secret && !resource && location?.startLine !== undefined
      ? context.source.read(location.file, location.startLine, location.endLine ?? location.startLine)
      : undefined;
  // Field by field, not a spread of the draft: 100,000 findings are built here, and optional fields
  // are left out rather than set to undefined, so findings compare and serialize cleanly.
  const finding: Finding = {
    tool: draft.tool,
    ruleId: draft.ruleId,
    title: redactSecret(draft.title, secret),
    severity: draft.severity,
    category: draft.category,
    message,
    tools: [draft.tool],
    fingerprint: fingerprint({
      ruleId: draft.ruleId,
      file: location?.file,
      resource,
      secret,
      sourceText,
      message,
    }),
    controls: [],
  };
  if (location !== undefined) finding.location = location;
  if (resource !== undefined) finding.resource = resource;
  if (helpUri !== undefined) finding.helpUri = helpUri;
  if (alsoKnownAs !== undefined) finding.alsoKnownAs = alsoKnownAs;
  return finding;
}

/** A location with only the line numbers the tool gave (0 and negative numbers mean "none" in some tools). */
export function locationOf(file: string, startLine?: number | null, endLine?: number | null): Location {
  const start = startLine !== undefined && startLine !== null && startLine > 0 ? startLine : undefined;
  if (start === undefined) return { file };
  const end = endLine !== undefined && endLine !== null && endLine >= start ? endLine : start;
  return { file, startLine: start, endLine: end };
}
