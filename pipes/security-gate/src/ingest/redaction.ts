/**
 * Secret values never reach a finding: parsers do not copy them into titles or messages, and this is
 * the last guard for the ones a tool repeats somewhere unexpected (a file name, a commit message).
 */
export const REDACTED = "[REDACTED]";

/** Short values ("a", "x=") would redact half of an innocent message; they are not credentials anyway. */
const MIN_REDACTED_LENGTH = 4;

export function redactSecret(text: string, secret: string | undefined): string {
  if (secret === undefined || secret.length < MIN_REDACTED_LENGTH) return text;
  return text.split(secret).join(REDACTED);
}
