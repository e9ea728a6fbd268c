import { describe, expect, it } from "vitest";
import { humanDuration, printableText, truncateText } from "../src/text.ts";

describe("text", () => {
  it("cuts text to the limit with an ellipsis, never splitting an emoji", () => {
    expect(truncateText("Bucket should log access", 100)).toBe("Bucket should log access");
    expect(truncateText("Bucket should log access", 10)).toBe("Bucket sh…");
    expect(truncateText("ab😀cd", 4)).toBe("ab…");
    expect(truncateText("ab😀cd", 5)).toBe("ab😀…");
    expect(truncateText("abc", 0)).toBe("");
  });

  it("removes colour codes and control characters but keeps tabs and line breaks", () => {
    expect(printableText("\u001b[1;31mCRITICAL\u001b[0m\tline\r\nnext\u0000\u007f\u0085")).toBe(
      "CRITICAL\tline\r\nnext",
    );
  });

  it("formats durations for people", () => {
    expect([850, 12_340, 59_990, 125_000, 3_840_000, 7_200_000].map(humanDuration)).toEqual([
      "850 ms",
      "12.3 s",
      "1 min",
      "2 min 5 s",
      "1 h 4 min",
      "2 h",
    ]);
  });
});
