import { describe, expect, it } from "vitest";
import { commitRangeFor, trustedRef } from "../../src/zero-trust/commit-range.ts";

describe("the commits to check", () => {
  it.each([
    [
      { commitRange: "a..b", prDestinationBranch: "main" },
      { kind: "explicit", range: "a..b" },
    ],
    [
      { prDestinationBranch: "develop", branch: "feature/x" },
      { kind: "pull-request", destinationBranch: "develop" },
    ],
    [{ branch: "feature/x" }, { kind: "push", branch: "feature/x", defaultBranch: "main" }],
  ])("are chosen from %o as %o", (inputs, range) => {
    expect(commitRangeFor({ defaultBranch: "main", ...inputs })).toEqual(range);
  });

  it("trusts the destination branch of a pull request and the main branch of a push, to read allowed signers from", () => {
    expect(trustedRef(commitRangeFor({ prDestinationBranch: "develop", defaultBranch: "main" }))).toBe(
      "refs/remotes/origin/develop",
    );
    expect(trustedRef(commitRangeFor({ branch: "feature/x", defaultBranch: "main" }))).toBe(
      "refs/remotes/origin/main",
    );
    expect(trustedRef(commitRangeFor({ branch: "main", defaultBranch: "main" }))).toBeUndefined();
    expect(trustedRef(commitRangeFor({ commitRange: "a..b", defaultBranch: "main" }))).toBeUndefined();
  });
});
