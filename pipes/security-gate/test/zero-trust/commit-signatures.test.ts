import { describe, expect, it } from "vitest";
import { parseSignatureLog, signatureLogCommand } from "../../src/zero-trust/commit-signatures.ts";
import type { SignerKeyring } from "../../src/zero-trust/signer-keyring.ts";

const keyring: SignerKeyring = {
  gnupgHome: "/tmp/signed-commits-x/gnupg",
  allowedSignersFile: "/tmp/signed-commits-x/allowed_signers",
  sshKeys: [],
  gpgFingerprints: [],
  dispose: async () => {},
};

describe("asking git for each commit's signature", () => {
  it("points git at the temporary keyring only, through -c and GNUPGHOME, never the user's configuration", () => {
    const command = signatureLogCommand("/clone", ["abc1234..HEAD"], keyring);
    expect(command).toMatchObject({
      tool: "git",
      cwd: "/clone",
      env: { GNUPGHOME: "/tmp/signed-commits-x/gnupg" },
    });
    expect(command.args.slice(0, 9)).toEqual([
      "-c",
      "gpg.ssh.allowedSignersFile=/tmp/signed-commits-x/allowed_signers",
      "-c",
      "gpg.program=gpg",
      "-c",
      "gpg.ssh.program=ssh-keygen",
      "-c",
      "log.showSignature=false",
      "log",
    ]);
    expect(command.args.at(-1)).toBe("abc1234..HEAD");
  });

  it("reads git's verdict, key, signer, author and subject of each commit", () => {
    const field = "\x1f";
    const record = (...fields: string[]) => `${fields.join(field)}\x1e\n`;
    const stdout =
      record(
        "e479b89450a0322707798a4a75ddda16479d5fa4",
        "e479b89",
        "N",
        "",
        "",
        "",
        "Dana Developer <dana@example.com>",
        "2026-03-01T12:00:00+00:00",
        "Fix a typo",
      ) +
      record(
        "67c1e852f0ff96b75f314a47d4a1c08e8ec1293c",
        "67c1e85",
        "G",
        "SHA256:xLEFNBn43UpJaT8wpS9rSMaDjpa8OolQ10of81VsUns",
        "bob@example.com",
        "SHA256:xLEFNBn43UpJaT8wpS9rSMaDjpa8OolQ10of81VsUns",
        "bob <bob@example.com>",
        "2026-03-01T11:00:00+00:00",
        "Add subnets",
      );
    expect(parseSignatureLog(stdout)).toEqual([
      {
        sha: "e479b89450a0322707798a4a75ddda16479d5fa4",
        shortSha: "e479b89",
        code: "N",
        key: "",
        signer: "",
        fingerprint: "",
        author: "Dana Developer <dana@example.com>",
        committedAt: "2026-03-01T12:00:00+00:00",
        subject: "Fix a typo",
      },
      expect.objectContaining({
        shortSha: "67c1e85",
        code: "G",
        signer: "bob@example.com",
        subject: "Add subnets",
      }),
    ]);
    expect(parseSignatureLog("")).toEqual([]);
  });
});
