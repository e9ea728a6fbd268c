/**
 * Fingerprints: a finding's identity across runs, for dedupe and baselines. Stable when lines move
 * (no line numbers go in) and independent of which tool, report format or machine produced it.
 *
 * What goes in, after the rule id and the file, is the first of:
 *  1. for a secret, a SHA-256 of the secret value: the same leaked key is the same finding wherever
 *     it moves in the file, and a rotated key is a new one. The value itself is never kept;
 *  2. the resource address (aws_s3_bucket.logs) or package (urllib3@1.26.3), when the tool gives one;
 *  3. the flagged source lines, whitespace-normalized, when the file exists under the scan root;
 *  4. the message, whitespace-normalized.
 */
import { hash } from "node:crypto";

export interface FingerprintInput {
  ruleId: string;
  file?: string | undefined;
  resource?: string | undefined;
  /** Only for secrets: the raw value. Only its digest enters the fingerprint. */
  secret?: string | undefined;
  /** The flagged lines as they are in the file, when it could be read. */
  sourceText?: string | undefined;
  message: string;
}

function sha256(text: string): string {
  // The one-shot form: no Hash object per finding (100,000 of them).
  return hash("sha256", text, "hex");
}

/** The digest that stands for a secret value wherever the value itself must not be kept. */
export function secretDigest(secret: string): string {
  return sha256(`secret\u0000${secret}`);
}

/** Any whitespace but a space, two spaces in a row, or a space at either end. */
const NEEDS_NORMALIZING = /[^\S ]| {2}|^ | $/;

/** Lines trimmed, runs of whitespace collapsed, blank lines dropped: re-indenting is not a new finding. */
export function normalizeSourceText(text: string): string {
  // Most texts are one line of single spaces: nothing to change (100,000 messages are normalized).
  if (!NEEDS_NORMALIZING.test(text)) return text;
  return text
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/\s+/g, " "))
    .filter((line) => line !== "")
    .join("\n");
}

function identityOf(input: FingerprintInput): [kind: string, value: string] {
  if (input.secret !== undefined && input.secret !== "") return ["secret", secretDigest(input.secret)];
  if (input.resource) return ["resource", input.resource];
  const source = input.sourceText === undefined ? "" : normalizeSourceText(input.sourceText);
  if (source !== "") return ["source", source];
  return ["message", normalizeSourceText(input.message)];
}

/** A 64-hex-digit SHA-256 over the tool-independent parts of a finding (see the module comment). */
export function fingerprint(input: FingerprintInput): string {
  const [kind, value] = identityOf(input);
  return sha256(JSON.stringify(["v1", input.ruleId, input.file ?? "", kind, value]));
}
