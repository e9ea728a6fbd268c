/**
 * Plain-text hygiene shared by every report format: tool output reaches reports with colour codes,
 * control characters and unbounded lengths, and each destination (XML, Markdown, the Bitbucket API)
 * rejects or mangles some of them.
 */

// CSI sequences such as "\u001b[31m" that scanners print for colour.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the ESC control character is the point.
const ANSI_ESCAPE = /\u001b\[[0-?]*[ -/]*[@-~]/g;
// C0 controls except tab, line feed and carriage return; DEL and C1 controls; the two noncharacters
// U+FFFE and U+FFFF. What is left is valid XML 1.0 (https://www.w3.org/TR/xml/#charsets) and prints.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being removed.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g;

/** Removes colour codes, control characters and lone surrogates; keeps tabs and line breaks. */
export function printableText(text: string): string {
  return text.toWellFormed().replace(ANSI_ESCAPE, "").replace(CONTROL_CHARACTERS, "");
}

/**
 * Cuts `text` to at most `max` characters, ending with "…" when it had to cut. Counts UTF-16 code
 * units, as JavaScript does: never fewer than the characters a server counts, so the result fits any
 * character limit. Never splits a surrogate pair.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return "";
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}

/** A duration for people: "850 ms", "12.3 s", "2 min 5 s", "1 h 4 min". */
export function humanDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 59_950) return `${(Math.round(ms / 100) / 10).toString()} s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`;
}
