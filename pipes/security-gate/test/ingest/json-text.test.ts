import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isJsonText } from "../../src/ingest/json-text.ts";
import { readSharedFixture } from "./report-fixtures.ts";

/** What JSON.parse says of the bytes, decoded as the reader decodes them. */
function parses(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString("utf8"));
    return true;
  } catch {
    return false;
  }
}

const check = (text: string | Buffer) => {
  const bytes = Buffer.from(text);
  return isJsonText(bytes, 0, bytes.length);
};

describe("a JSON text checked without parsing it", () => {
  it("accepts what JSON.parse accepts, and refuses what it refuses, in real code flows and broken ones", () => {
    const semgrep = JSON.parse(
      readSharedFixture("sarif/semgrep-test_sarif_output-True-rule_and_target3.sarif"),
    );
    const codeFlows = semgrep.runs[0].results.map((result: { codeFlows?: unknown }) => result.codeFlows);
    expect(codeFlows.filter(Boolean).length).toBeGreaterThan(0);
    for (const flows of codeFlows.filter(Boolean)) {
      const text = JSON.stringify(flows, null, 1);
      expect(check(text)).toBe(true);
      // Cut short anywhere, it is no longer JSON.
      for (let cut = 1; cut < text.length; cut += 37)
        expect(check(text.slice(0, cut)), text.slice(0, cut)).toBe(false);
    }
  });

  it("agrees with JSON.parse on every value, and on every value with a byte changed, added or taken away", () => {
    // Bytes that matter to the grammar, and some that do not belong anywhere outside a string.
    const byte = fc.constantFrom(
      ...'{}[]:,"\\/ \t\n\r0123456789.eE+-tfnrulasbx'.split("").map((c) => c.charCodeAt(0)),
      0x00,
      0x1f,
      0x7f,
      0xc3,
      0xff,
    );
    const mutated = fc
      .tuple(
        fc.json({ depthSize: "medium" }),
        fc.array(fc.tuple(fc.nat(), fc.nat(3), byte), { maxLength: 3 }),
      )
      .map(([text, edits]) => {
        let bytes = Buffer.from(text);
        for (const [at, how, value] of edits) {
          const i = bytes.length === 0 ? 0 : at % bytes.length;
          const one = Buffer.from([value]);
          if (how === 0) bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
          else if (how === 1) bytes = Buffer.concat([bytes.subarray(0, i), one, bytes.subarray(i)]);
          else if (bytes.length > 0)
            bytes = Buffer.concat([bytes.subarray(0, i), one, bytes.subarray(i + 1)]);
        }
        return bytes;
      });
    fc.assert(
      fc.property(mutated, (bytes) => {
        expect(isJsonText(bytes, 0, bytes.length), JSON.stringify(bytes.toString("latin1"))).toBe(
          parses(bytes),
        );
      }),
      { numRuns: 20_000 },
    );
  });

  it("refuses the near misses of each part of the grammar", () => {
    const cases: [string, boolean][] = [
      ['{"a":[1,2,{"b":null}],"c":true,"d":false}', true],
      [" \r\n\t[] \n", true],
      ['"\\u00e9\\ud83d\\ude00\\/\\b\\f\\n\\r\\t\\"\\\\"', true],
      ["-0.5e+10", true],
      ["0", true],
      ["", false],
      ["01", false],
      ["1.", false],
      [".5", false],
      ["1e", false],
      ["-", false],
      ["+1", false],
      ["[1,]", false],
      ['{"a":1,}', false],
      ['{"a" 1}', false],
      ["{1:2}", false],
      ["[1 2]", false],
      ["[1}", false],
      ["tru", false],
      ["nulls", false],
      ['"\\x"', false],
      ['"\\u12g4"', false],
      ['"a\tb"', false],
      ["[] []", false],
      ["\u00a0[]", false],
    ];
    for (const [text, json] of cases) {
      expect(parses(Buffer.from(text)), text).toBe(json);
      expect(check(text), text).toBe(json);
    }
  });

  it("checks only the range it is given", () => {
    const bytes = Buffer.from('xx{"a":[1]}yy');
    expect(isJsonText(bytes, 2, 11)).toBe(true);
    expect(isJsonText(bytes, 2, 10)).toBe(false);
    expect(isJsonText(bytes, 1, 11)).toBe(false);
  });
});
