import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { InputError } from "@pipes/core";
import { describe, expect, it } from "vitest";
import { parseAllowedSigners, sshFingerprint } from "../../src/zero-trust/allowed-signers.ts";
import {
  prepareSignerKeyring,
  primaryFingerprints,
  signerSource,
} from "../../src/zero-trust/signer-keyring.ts";
import {
  allowedGpgKeys,
  allowedSigners,
  quietLogger,
  TestRepository,
  useSigningKeys,
} from "./signing-fixture.ts";

const keys = useSigningKeys();

describe("where allowed signers come from", () => {
  it.each([
    [".signers/allowed_signers", { kind: "file", path: ".signers/allowed_signers" }],
    ["keys/release team.asc", { kind: "file", path: "keys/release team.asc" }],
    ["-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ…", { kind: "content" }],
    ["alice@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx alice", { kind: "content" }],
  ])("reads %j as %o", (value, source) => {
    expect(signerSource(value)).toMatchObject(source);
  });
});

describe("the SSH allowed_signers file", () => {
  it("gives each key git's SHA256 fingerprint, its principals and validity", () => {
    const [bob, oldie] = parseAllowedSigners(
      `# release signers\n${allowedSigners(keys)}\nteam@example.com,ops@example.com namespaces="git,file" ${keys.eve.publicKey}\n`,
    );
    const blob = keys.bob.publicKey.split(" ")[1] ?? "";
    expect(bob).toEqual({ principals: ["bob@example.com"], fingerprint: sshFingerprint(blob) });
    expect(bob?.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(oldie).toMatchObject({ principals: ["oldie@example.com"], validBefore: "20200101" });
    expect(
      parseAllowedSigners(`team@example.com,ops@example.com namespaces="git,file" ${keys.eve.publicKey}`),
    ).toEqual([expect.objectContaining({ principals: ["team@example.com", "ops@example.com"] })]);
  });
});

describe("the temporary keyring of allowed signers", () => {
  it("holds only the allowed keys, in files only the pipe can read, and is gone once disposed", async () => {
    const repo = new TestRepository(keys);
    const keyring = await prepareSignerKeyring(
      { allowedSigners: allowedSigners(keys), gpgPublicKeys: allowedGpgKeys(keys), cloneDir: repo.dir },
      quietLogger(),
    );
    expect(keyring.gpgFingerprints).toEqual([keys.alice.fingerprint, keys.olga.fingerprint]);
    expect(keyring.sshKeys.map((key) => key.principals[0])).toEqual(["bob@example.com", "oldie@example.com"]);
    expect(readFileSync(keyring.allowedSignersFile, "utf8")).toContain(keys.bob.publicKey);
    expect(statSync(keyring.gnupgHome).mode & 0o777).toBe(0o700);
    expect(statSync(keyring.allowedSignersFile).mode & 0o777).toBe(0o600);
    await keyring.dispose();
    expect(existsSync(path.dirname(keyring.gnupgHome))).toBe(false);
  });

  it("refuses GPG_PUBLIC_KEYS without a public key", async () => {
    const repo = new TestRepository(keys);
    const error = await prepareSignerKeyring(
      {
        gpgPublicKeys:
          "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----",
        cloneDir: repo.dir,
      },
      quietLogger(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ message: "GPG_PUBLIC_KEYS holds no OpenPGP public key" });
  });

  it("names the missing file of ALLOWED_SIGNERS", async () => {
    const repo = new TestRepository(keys);
    await expect(
      prepareSignerKeyring({ allowedSigners: ".signers/allowed_signers", cloneDir: repo.dir }, quietLogger()),
    ).rejects.toThrow("ALLOWED_SIGNERS: .signers/allowed_signers does not exist in the repository");
    repo.publish("main");
    await expect(
      prepareSignerKeyring(
        {
          allowedSigners: ".signers/allowed_signers",
          cloneDir: repo.dir,
          trustedRef: "refs/remotes/origin/main",
        },
        quietLogger(),
      ),
    ).rejects.toThrow("ALLOWED_SIGNERS: .signers/allowed_signers is not in refs/remotes/origin/main");
  });

  it("lists the primary key fingerprints of gpg's colon output, not its subkeys'", () => {
    const colons = [
      "tru::1:1700000000:0:3:1:5",
      "pub:u:255:22:026065084930B682:1700000000:::u:::scESC:::::ed25519:::0:",
      "fpr:::::::::D7B0A1455423253A00C57A50026065084930B682:",
      "uid:u::::1700000000::A1B2::Alice Allowed <alice@example.com>::::::::::0:",
      "sub:u:255:18:1111222233334444:1700000000::::::e:::::cv25519::",
      "fpr:::::::::AAAABBBBCCCCDDDDEEEEFFFF1111222233334444:",
    ].join("\n");
    expect(primaryFingerprints(colons)).toEqual(["D7B0A1455423253A00C57A50026065084930B682"]);
  });
});
