import { describe, expect, it } from "vitest";
import type { AllowedSshKey } from "../../src/zero-trust/allowed-signers.ts";
import type { CommitSignature } from "../../src/zero-trust/commit-signatures.ts";
import { signatureProblem, signedCommitsVerdict } from "../../src/zero-trust/signed-commits.ts";

const SSH_KEY = "SHA256:xLEFNBn43UpJaT8wpS9rSMaDjpa8OolQ10of81VsUns";

const signature = (overrides: Partial<CommitSignature>): CommitSignature => ({
  sha: "67c1e852f0ff96b75f314a47d4a1c08e8ec1293c",
  shortSha: "67c1e85",
  code: "G",
  key: "",
  signer: "",
  fingerprint: "",
  author: "Dana Developer <dana@example.com>",
  committedAt: "2026-03-01T12:00:00+00:00",
  subject: "Add subnets",
  ...overrides,
});

describe("why a commit is not signed by an allowed signer", () => {
  it.each<[Partial<CommitSignature>, AllowedSshKey[], string]>([
    [
      { code: "X", key: "026065084930B682", signer: "Alice" },
      [],
      "expired signature of key 026065084930B682 (Alice)",
    ],
    [
      { code: "R", key: "026065084930B682", signer: "Alice" },
      [],
      "revoked key: GPG key 026065084930B682 (Alice) is revoked",
    ],
    [
      { code: "E", key: "D25C14B09D1E70C5" },
      [],
      "unknown signer: signed with GPG key D25C14B09D1E70C5, but no GPG_PUBLIC_KEYS are allowed",
    ],
    [
      { code: "U", key: SSH_KEY },
      [{ principals: ["bob@example.com"], fingerprint: SSH_KEY, validAfter: "20300101" }],
      `key not valid yet: SSH key ${SSH_KEY} (bob@example.com) is allowed only from 2030-01-01`,
    ],
    [
      { code: "U", key: SSH_KEY },
      [{ principals: ["bob@example.com"], fingerprint: SSH_KEY }],
      `unknown signer: SSH key ${SSH_KEY} (bob@example.com) is not allowed to sign commits (check its namespaces in the allowed signers)`,
    ],
  ])("%o with SSH keys %o: %s", (overrides, sshKeys, reason) => {
    expect(signatureProblem(signature(overrides), { sshKeys, gpgFingerprints: [] })).toBe(reason);
  });
});

describe("the verdict of the signed-commit check", () => {
  it("passes an empty range, saying there was nothing to check", () => {
    expect(
      signedCommitsVerdict("enforce", [], { sshKeys: [], gpgFingerprints: [] }, "COMMIT_RANGE a..a"),
    ).toEqual({
      name: "signed-commits",
      status: "pass",
      message: "No commits to check in COMMIT_RANGE a..a",
      details: [],
    });
  });
});
