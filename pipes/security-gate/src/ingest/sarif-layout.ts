/**
 * Where a SARIF file's results are, found in one pass over its bytes, chunk by chunk, without
 * parsing it: the byte range of each element of each `runs[i].results` array, and the file without
 * those arrays' contents (the "skeleton": tool, rules, invocations, a few kilobytes). The reader
 * (sarif-file.ts) parses the skeleton, then each result alone, so a 55 MB Semgrep SARIF file is
 * never one string nor one JSON tree.
 *
 * The scanner only follows strings and brackets; JSON.parse checks the pieces. Anything it does not
 * follow with certainty (a file cut short, mismatched brackets, a result that is not an object, a
 * key with escapes where `runs` or `results` could be, a run with two `results`) makes the layout
 * `unsure`, and the caller reads the file whole instead, with the errors it always gave.
 */

import { closeSync, openSync, readSync } from "node:fs";
import {
  BACKSLASH,
  CLOSE_ARRAY,
  CLOSE_OBJECT,
  COLON,
  COMMA,
  isWhitespace,
  OPEN_ARRAY,
  OPEN_OBJECT,
  QUOTE,
} from "./json-text.ts";

/** What a container is in the SARIF structure; only these are followed key by key. */
const Role = {
  other: 0,
  /** The top-level object: its `runs` key is looked for. */
  log: 1,
  /** The `runs` array. */
  runs: 2,
  /** An object in `runs`: its `results` key is looked for. */
  run: 3,
  /** A run's `results` array: its elements are the results. */
  results: 4,
} as const;

/** Where the scan is among a result's own members. */
const Member = {
  other: 0,
  /** A key comes next (after `{` or `,`); then the key's text. */
  key: 1,
  keyText: 2,
  /** After the key `codeFlows`; then after its colon; then inside its array. */
  codeFlowsKey: 3,
  codeFlowsValue: 4,
  codeFlows: 5,
} as const;

/** `#keyMatchInResult` once the key is not `codeFlows`. */
const NO_MATCH = -1;

const RUNS_KEY = Buffer.from("runs");
const CODE_FLOWS_KEY = Buffer.from("codeFlows");
const RESULTS_KEY = Buffer.from("results");

export interface SarifLayout {
  /** The file's bytes without the contents of the results arrays (`"results":[]` is left). */
  skeleton: Buffer;
  /**
   * Per result, in file order, five numbers (RESULT_FIELDS): its run's index, its first byte, the
   * byte after its last, and the same two for its `codeFlows` array (-1, -1 when it has none).
   */
  results: ArrayLike<number>;
  /** The scanner could not follow the file: read it whole. */
  unsure: boolean;
  /**
   * Whether every `codeFlows` array is JSON, when another thread checks it (code-flows.ts): the
   * reader then parses the results without their code flows, and asks only once it needs to know.
   */
  codeFlowsJson?: () => Promise<boolean>;
}

/** Feed it the file's chunks in order (`push`), then `end()`. */
export class SarifLayoutScanner {
  #offset = 0;
  #skeleton: Buffer[] = [];
  /** Where the part of the current chunk that goes into the skeleton starts (absolute). */
  #copyFrom = 0;
  #results: number[] = [];
  #unsure = false;

  // Containers: their kind (object or array) and role; for objects, whether a key comes next.
  #kinds: number[] = [];
  #roles: number[] = [];
  #expectKey: boolean[] = [];
  #inString = false;
  #escaped = false;
  /** In a key of the log or of a run: how far it matches the key looked for, -1 once it does not. */
  #keyMatch = -1;
  #inKey = false;
  /** The last key of the log object (or run object) was `runs` (or `results`). */
  #keyHit = false;
  /** In a number, true, false or null. */
  #inPrimitive = false;
  /** The index in `runs` of the current run. */
  #runIndex = -1;
  #resultsInRun = 0;
  /** In a results array: 0 after `[`, 1 after an element, 2 after a comma. */
  #resultsState = 0;
  #resultStart = -1;
  /** Inside a result: how deep in it. Its brackets are only counted; JSON.parse of it checks them. */
  #resultDepth = 0;
  /** Among the result's own members: what the scan is in (Member). */
  #member: number = Member.other;
  /** In a key of the result: how many of its bytes match `codeFlows` (NO_MATCH once they do not). */
  #keyMatchInResult = 0;
  /** The current result's `codeFlows` array: its first byte (-1 while none), the byte after its last. */
  #codeFlowsFrom = -1;
  #codeFlowsTo = -1;
  #started = false;
  #first = true;

  push(chunk: Buffer): void {
    if (this.#unsure) {
      this.#offset += chunk.length;
      return;
    }
    let i = 0;
    // A UTF-8 byte order mark (PowerShell's Out-File writes one) is not part of the JSON.
    if (this.#first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
      i = 3;
      this.#copyFrom = this.#offset + 3;
    }
    this.#first = false;
    const n = chunk.length;
    const base = this.#offset;
    const kinds = this.#kinds;
    const roles = this.#roles;
    const expectKey = this.#expectKey;
    while (i < n) {
      if (this.#resultDepth > 0) {
        // The hot loop: almost all of a large SARIF file is its results.
        let depth = this.#resultDepth;
        let inString = this.#inString;
        let escaped = this.#escaped;
        let member = this.#member;
        let keyMatch = this.#keyMatchInResult;
        scan: while (i < n) {
          if (inString) {
            if (escaped) {
              escaped = false;
              i += 1;
              continue;
            }
            // To the string's end: only a quote or a backslash (and the byte it escapes) matter.
            for (;;) {
              if (i >= n) break scan;
              const byte = chunk[i] as number;
              i += 1;
              if (byte === QUOTE) break;
              if (byte === BACKSLASH) {
                if (i >= n) {
                  escaped = true;
                  break scan;
                }
                i += 1;
              }
            }
            inString = false;
            continue;
          }
          const byte = chunk[i] as number;
          i += 1;
          if (depth > 1) {
            if (byte === QUOTE) inString = true;
            else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) depth += 1;
            else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
              depth -= 1;
              if (depth === 1 && member === Member.codeFlows) {
                this.#codeFlowsTo = base + i;
                member = Member.other;
              }
            }
            continue;
          }
          // The result's own members: where its `codeFlows` array is.
          if (member === Member.keyText) {
            if (byte === QUOTE) {
              member =
                keyMatch === CODE_FLOWS_KEY.length && this.#codeFlowsFrom < 0
                  ? Member.codeFlowsKey
                  : Member.other;
            } else if (byte === BACKSLASH) {
              // An escape in the key: not looked at (the string goes on past the byte it escapes).
              member = Member.other;
              inString = true;
              escaped = true;
            } else if (keyMatch !== NO_MATCH)
              keyMatch = CODE_FLOWS_KEY[keyMatch] === byte ? keyMatch + 1 : NO_MATCH;
            continue;
          }
          if (isWhitespace(byte)) continue;
          if (byte === QUOTE) {
            if (member === Member.key) {
              member = Member.keyText;
              keyMatch = 0;
            } else {
              member = Member.other;
              inString = true;
            }
            continue;
          }
          if (byte === COMMA) member = Member.key;
          else if (byte === COLON)
            member = member === Member.codeFlowsKey ? Member.codeFlowsValue : Member.other;
          else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
            depth += 1;
            if (member === Member.codeFlowsValue && byte === OPEN_ARRAY) {
              this.#codeFlowsFrom = base + i - 1;
              member = Member.codeFlows;
            } else member = Member.other;
          } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
            depth = 0;
            break;
          } else member = Member.other;
        }
        this.#resultDepth = depth;
        this.#inString = inString;
        this.#escaped = escaped;
        this.#member = member;
        this.#keyMatchInResult = keyMatch;
        if (depth === 0) {
          this.#results.push(
            this.#runIndex,
            this.#resultStart,
            base + i,
            this.#codeFlowsFrom,
            this.#codeFlowsFrom < 0 ? -1 : this.#codeFlowsTo,
          );
          this.#resultsState = 1;
        }
        continue;
      }
      if (this.#inString) {
        if (!this.#inKey) {
          // The hot loop: most of a SARIF file is strings (messages, snippets, code flows).
          let escaped = this.#escaped;
          while (i < n) {
            const byte = chunk[i] as number;
            i += 1;
            if (escaped) escaped = false;
            else if (byte === BACKSLASH) escaped = true;
            else if (byte === QUOTE) {
              this.#inString = false;
              break;
            }
          }
          this.#escaped = escaped;
          continue;
        }
        const byte = chunk[i] as number;
        i += 1;
        if (byte === QUOTE) {
          this.#inString = false;
          this.#inKey = false;
          const role = roles[roles.length - 1];
          const wanted = role === Role.log ? RUNS_KEY : RESULTS_KEY;
          this.#keyHit = this.#keyMatch === wanted.length;
        } else if (byte === BACKSLASH) {
          // An escaped key could spell `runs` or `results`: not followed.
          this.#unsure = true;
          return;
        } else if (this.#keyMatch >= 0) {
          const role = roles[roles.length - 1];
          const wanted = role === Role.log ? RUNS_KEY : RESULTS_KEY;
          this.#keyMatch = wanted[this.#keyMatch] === byte ? this.#keyMatch + 1 : -1;
        }
        continue;
      }
      const byte = chunk[i] as number;
      const at = base + i;
      i += 1;
      if (this.#inPrimitive) {
        if (byte !== COMMA && byte !== CLOSE_ARRAY && byte !== CLOSE_OBJECT && !isWhitespace(byte)) continue;
        this.#inPrimitive = false;
      }
      if (isWhitespace(byte)) continue;
      const depth = kinds.length;
      const role = depth === 0 ? -1 : (roles[depth - 1] as number);
      if (role === Role.results) {
        if (!this.#resultSeparator(byte)) return;
        if (byte === OPEN_OBJECT) {
          this.#resultStart = at;
          this.#resultDepth = 1;
          this.#member = Member.key;
          this.#codeFlowsFrom = -1;
          continue;
        }
      }
      if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
        const kind = kinds.pop();
        roles.pop();
        expectKey.pop();
        if (kind !== (byte === CLOSE_OBJECT ? OPEN_OBJECT : OPEN_ARRAY)) {
          this.#unsure = true;
          return;
        }
        if (role === Role.results) this.#copyFrom = at;
        continue;
      }
      if (depth > 0 && kinds[depth - 1] === OPEN_OBJECT) {
        if (byte === COMMA) {
          expectKey[depth - 1] = true;
          continue;
        }
        if (byte === COLON) {
          expectKey[depth - 1] = false;
          continue;
        }
        if (expectKey[depth - 1]) {
          // A key (JSON.parse of the skeleton rejects anything else here).
          if (byte !== QUOTE) continue;
          this.#inString = true;
          if (role === Role.log || role === Role.run) {
            this.#inKey = true;
            this.#keyMatch = 0;
          }
          continue;
        }
      }
      if (depth > 0 && kinds[depth - 1] === OPEN_ARRAY && byte === COMMA) continue;
      // A value starts.
      if (depth === 0) {
        if (this.#started) continue; // trailing text: JSON.parse of the skeleton rejects it
        this.#started = true;
      }
      if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
        let childRole: number = Role.other;
        if (depth === 0 && byte === OPEN_OBJECT) childRole = Role.log;
        else if (role === Role.log && this.#keyHit && byte === OPEN_ARRAY) childRole = Role.runs;
        else if (role === Role.runs) {
          this.#runIndex += 1;
          this.#resultsInRun = 0;
          if (byte === OPEN_OBJECT) childRole = Role.run;
        } else if (role === Role.run && this.#keyHit) {
          this.#resultsInRun += 1;
          if (this.#resultsInRun > 1) {
            // JSON.parse keeps the last of two `results`; this scanner does not try to.
            this.#unsure = true;
            return;
          }
          if (byte === OPEN_ARRAY) {
            childRole = Role.results;
            this.#skeleton.push(Buffer.from(chunk.subarray(this.#copyFrom - base, i)));
            this.#copyFrom = -1;
            this.#resultsState = 0;
          }
        }
        this.#keyHit = false;
        kinds.push(byte);
        roles.push(childRole);
        expectKey.push(byte === OPEN_OBJECT);
        continue;
      }
      if (role === Role.runs) {
        this.#runIndex += 1;
        this.#resultsInRun = 0;
      }
      if (role === Role.run && this.#keyHit) this.#resultsInRun += 1;
      this.#keyHit = false;
      if (byte === QUOTE) this.#inString = true;
      // A number, true, false or null: its bytes follow until a delimiter; nothing to track.
      else this.#inPrimitive = true;
    }
    if (this.#copyFrom >= 0) {
      this.#skeleton.push(Buffer.from(chunk.subarray(this.#copyFrom - base)));
      this.#copyFrom = base + n;
    }
    this.#offset = base + n;
  }

  /** Between results: `,` and `]` in their places, and each result an object. */
  #resultSeparator(byte: number): boolean {
    const state = this.#resultsState;
    if (byte === CLOSE_ARRAY && state !== 2) return true;
    if (byte === COMMA && state === 1) {
      this.#resultsState = 2;
      return true;
    }
    if (byte === OPEN_OBJECT && state !== 1) return true;
    this.#unsure = true;
    return false;
  }

  end(): SarifLayout {
    const complete =
      this.#started &&
      this.#kinds.length === 0 &&
      this.#resultDepth === 0 &&
      !this.#inString &&
      !this.#escaped;
    return {
      skeleton: Buffer.concat(this.#skeleton),
      results: this.#results,
      unsure: this.#unsure || !complete,
    };
  }
}

/** How many numbers `SarifLayout.results` holds per result. */
export const RESULT_FIELDS = 5;

/** How much of a report file is read at a time (the layout scan, and the results after it). */
export const CHUNK_BYTES = 1 << 20;

/**
 * What the layout thread (layout-worker.ts) posts per file: a layout (and then, if `checking`,
 * whether its code flows are JSON), or that it could not scan it.
 */
export type LayoutMessage =
  | { index: number; skeleton: Uint8Array; results: Float64Array; unsure: boolean; checking: boolean }
  | { index: number; codeFlowsJson: boolean }
  | { index: number; failed: true };

/**
 * The layout of the file at `file`, through one buffer (a stream's fresh chunk per read would leave
 * 55 MB of buffers to collect). Reads are synchronous: from the page cache they take less than the
 * round trip to the thread pool, and the scan has nothing to wait for in between.
 */
export function scanLayoutFile(file: string): SarifLayout {
  const scanner = new SarifLayoutScanner();
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      scanner.push(buffer.subarray(0, bytesRead));
    }
  } finally {
    closeSync(fd);
  }
  return scanner.end();
}
