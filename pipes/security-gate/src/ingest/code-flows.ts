/**
 * A result's `codeFlows`: half the bytes of a Semgrep SARIF file (every step of each taint trace,
 * with its snippet), and never read by the gate. The layout thread checks that each is JSON, while
 * the main thread parses its results without them: a file whose code flows are broken is then read
 * whole, and its error named as always.
 */
import { FileRanges } from "./file-ranges.ts";
import { CLOSE_ARRAY, isJsonText } from "./json-text.ts";
import { RESULT_FIELDS } from "./sarif-layout.ts";

/** True when every `codeFlows` array of the layout's results (sarif-layout.ts) is JSON. */
export function codeFlowsAreJson(file: string, results: ArrayLike<number>): boolean {
  let ranges: FileRanges | undefined;
  try {
    ranges = new FileRanges(file);
    for (let i = 0; i < results.length; i += RESULT_FIELDS) {
      const from = results[i + 3] as number;
      if (from < 0) continue;
      const to = results[i + 4] as number;
      const at = ranges.read(from, to);
      if (at < 0) return false;
      if (!isJsonText(ranges.buffer, at, at + to - from)) return false;
    }
    return true;
  } catch {
    return false;
  } finally {
    ranges?.close();
  }
}

/** Whether any of the layout's results has a `codeFlows` array. */
export function hasCodeFlows(results: ArrayLike<number>): boolean {
  for (let i = 3; i < results.length; i += RESULT_FIELDS) if ((results[i] as number) >= 0) return true;
  return false;
}

/**
 * Turns a result's `"codeFlows":[…]` into `"codeFlows":[]` in `buffer` by moving the rest of the
 * result up over it: its code flows are from `from` to `to`, and it ends at `end` (offsets in the
 * buffer); where the result now ends.
 */
export function cutCodeFlows(buffer: Buffer, from: number, to: number, end: number): number {
  buffer[from + 1] = CLOSE_ARRAY;
  buffer.copyWithin(from + 2, to, end);
  return end - (to - from - 2);
}
