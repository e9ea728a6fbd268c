/**
 * Whether bytes are a JSON text (RFC 8259), as JSON.parse of their UTF-8 decoding would tell, without
 * building its strings or objects (only a stack of the containers open): for text the gate never
 * reads (code flows, code-flows.ts) but must still refuse when it is broken. JSON.parse of the same 44 MB allocates every string and object in it, and
 * takes twice as long.
 */

/** The bytes of JSON's structure (RFC 8259 §2), for the scanners that follow it byte by byte. */
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COLON = 0x3a;
export const COMMA = 0x2c;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
export const OPEN_ARRAY = 0x5b;
export const CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const TRUE = Buffer.from("true");
const FALSE = Buffer.from("false");
const NULL = Buffer.from("null");

/** What comes next. */
const Next = {
  value: 0,
  /** A value, or `]` (just after `[`). */
  valueOrClose: 1,
  key: 2,
  /** A key, or `}` (just after `{`). */
  keyOrClose: 3,
  colon: 4,
  /** `,`, the container's close, or (outside any) the end. */
  after: 5,
} as const;

/** JSON's four whitespace bytes: space, line feed, carriage return, tab. */
export function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function isDigit(byte: number): boolean {
  return byte >= ZERO && byte <= NINE;
}

function isHex(byte: number): boolean {
  return isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
}

/** After the string whose content starts at `i`, or -1 when it is not a JSON string. */
function stringEnd(bytes: Uint8Array, i: number, to: number): number {
  while (i < to) {
    const byte = bytes[i] as number;
    if (byte === QUOTE) return i + 1;
    if (byte < 0x20) return -1;
    if (byte !== BACKSLASH) {
      i += 1;
      continue;
    }
    const escaped = bytes[i + 1];
    if (
      escaped === QUOTE ||
      escaped === BACKSLASH ||
      escaped === 0x2f || // /
      escaped === 0x62 || // b
      escaped === 0x66 || // f
      escaped === 0x6e || // n
      escaped === 0x72 || // r
      escaped === 0x74 // t
    )
      i += 2;
    else if (escaped === 0x75) {
      // u, then four hex digits
      if (i + 6 > to) return -1;
      for (let k = i + 2; k < i + 6; k += 1) if (!isHex(bytes[k] as number)) return -1;
      i += 6;
    } else return -1;
  }
  return -1;
}

/** After the number that starts at `i`, or -1 when it is not a JSON number. */
function numberEnd(bytes: Uint8Array, i: number, to: number): number {
  if (bytes[i] === MINUS) i += 1;
  if (i >= to) return -1;
  if (bytes[i] === ZERO) i += 1;
  else if (isDigit(bytes[i] as number)) while (i < to && isDigit(bytes[i] as number)) i += 1;
  else return -1;
  if (i < to && bytes[i] === DOT) {
    i += 1;
    if (i >= to || !isDigit(bytes[i] as number)) return -1;
    while (i < to && isDigit(bytes[i] as number)) i += 1;
  }
  if (i < to && (bytes[i] === 0x65 || bytes[i] === 0x45)) {
    // e or E
    i += 1;
    if (i < to && (bytes[i] === PLUS || bytes[i] === MINUS)) i += 1;
    if (i >= to || !isDigit(bytes[i] as number)) return -1;
    while (i < to && isDigit(bytes[i] as number)) i += 1;
  }
  return i;
}

/** After the literal `word` at `i`, or -1 when it is not there. */
function literalEnd(bytes: Uint8Array, i: number, to: number, word: Uint8Array): number {
  if (i + word.length > to) return -1;
  for (let k = 0; k < word.length; k += 1) if (bytes[i + k] !== word[k]) return -1;
  return i + word.length;
}

/** True when `bytes[from..to)` is one JSON value, with whitespace around it at most. */
export function isJsonText(bytes: Uint8Array, from: number, to: number): boolean {
  /** The open containers: OPEN_OBJECT or OPEN_ARRAY each. */
  const open: number[] = [];
  let next: number = Next.value;
  let i = from;
  for (;;) {
    while (i < to && isWhitespace(bytes[i] as number)) i += 1;
    if (i >= to) return next === Next.after && open.length === 0;
    const byte = bytes[i] as number;
    if (next === Next.after) {
      const container = open[open.length - 1];
      if (container === undefined) return false; // text after the value
      if (byte === COMMA) next = container === OPEN_OBJECT ? Next.key : Next.value;
      else if (byte === (container === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) open.pop();
      else return false;
      i += 1;
    } else if (next === Next.key || next === Next.keyOrClose) {
      if (byte === CLOSE_OBJECT && next === Next.keyOrClose) {
        open.pop();
        next = Next.after;
        i += 1;
        continue;
      }
      if (byte !== QUOTE) return false;
      i = stringEnd(bytes, i + 1, to);
      if (i < 0) return false;
      next = Next.colon;
    } else if (next === Next.colon) {
      if (byte !== COLON) return false;
      next = Next.value;
      i += 1;
    } else {
      const closes = byte === CLOSE_ARRAY && next === Next.valueOrClose;
      next = Next.after;
      if (byte === QUOTE) i = stringEnd(bytes, i + 1, to);
      else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
        open.push(byte);
        next = byte === OPEN_OBJECT ? Next.keyOrClose : Next.valueOrClose;
        i += 1;
      } else if (closes) {
        open.pop();
        i += 1;
      } else if (byte === 0x74) i = literalEnd(bytes, i, to, TRUE);
      else if (byte === 0x66) i = literalEnd(bytes, i, to, FALSE);
      else if (byte === 0x6e) i = literalEnd(bytes, i, to, NULL);
      else i = numberEnd(bytes, i, to);
      if (i < 0) return false;
    }
  }
}
