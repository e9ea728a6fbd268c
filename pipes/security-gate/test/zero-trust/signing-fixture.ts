/**
 * Real signing keys and real git repositories for the signed-commit tests: GPG keys made with
 * `gpg --quick-gen-key` in their own GNUPGHOME, SSH keys made with `ssh-keygen -t ed25519`, commits
 * signed by git itself. Everything lives under one temporary folder; the machine's keyrings and git
 * configuration are neither read nor written.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { Logger } from "@pipes/core";
import { afterAll, beforeAll } from "vitest";

export interface GpgSigner {
  name: string;
  email: string;
  fingerprint: string;
  /** `gpg --armor --export` of the public key. */
  armored: string;
}

export interface SshSigner {
  email: string;
  publicKeyFile: string;
  /** The `.pub` line: `ssh-ed25519 AAAA… email`. */
  publicKey: string;
}

export interface Keys {
  root: string;
  /** Where the signers' secret keys are; never the keyring under test. */
  signerHome: string;
  /** A gpg that believes it is 1 June 2020: how a key that has since expired gets to sign. */
  gpgIn2020: string;
  alice: GpgSigner;
  mallory: GpgSigner;
  /** Made in 2020 with a one-year expiry. */
  olga: GpgSigner;
  bob: SshSigner;
  eve: SshSigner;
  /** Allowed only before 2020 in the allowed signers below. */
  oldie: SshSigner;
}

/** An environment free of the machine's git and gpg configuration. */
export function isolatedEnv(root: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: root,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: path.join(root, "gitconfig"),
    GIT_AUTHOR_NAME: "Dana Developer",
    GIT_AUTHOR_EMAIL: "dana@example.com",
    GIT_COMMITTER_NAME: "Dana Developer",
    GIT_COMMITTER_EMAIL: "dana@example.com",
    ...extra,
  };
}

function run(tool: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string, input?: string): string {
  return execFileSync(tool, args, { env, cwd, input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
}

function gpgSigner(
  keys: { root: string; signerHome: string },
  name: string,
  email: string,
  gpg = "gpg",
  expiry = "never",
): GpgSigner {
  const env = isolatedEnv(keys.root, { GNUPGHOME: keys.signerHome });
  run(
    gpg,
    ["--batch", "--passphrase", "", "--quick-gen-key", `${name} <${email}>`, "ed25519", "sign", expiry],
    env,
  );
  const colons = run("gpg", ["--batch", "--with-colons", "--list-keys", email], env);
  const fingerprint =
    colons
      .split("\n")
      .find((line) => line.startsWith("fpr"))
      ?.split(":")[9] ?? "";
  const armored = run("gpg", ["--batch", "--armor", "--export", fingerprint], env);
  return { name, email, fingerprint, armored };
}

function sshSigner(root: string, name: string, email: string): SshSigner {
  const file = path.join(root, name);
  run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", email, "-f", file], isolatedEnv(root));
  return { email, publicKeyFile: `${file}.pub`, publicKey: readFileSync(`${file}.pub`, "utf8").trim() };
}

function makeKeys(): Keys {
  const root = mkdtempSync(path.join(tmpdir(), "signing-keys-"));
  const signerHome = path.join(root, "signer-gnupg");
  mkdirSync(signerHome, { mode: 0o700 });
  writeFileSync(path.join(root, "gitconfig"), "");
  const gpgIn2020 = path.join(root, "gpg-in-2020");
  writeFileSync(gpgIn2020, '#!/bin/sh\nexec gpg --faked-system-time 20200601T000000 "$@"\n');
  chmodSync(gpgIn2020, 0o755);
  const base = { root, signerHome };
  return {
    root,
    signerHome,
    gpgIn2020,
    alice: gpgSigner(base, "Alice Allowed", "alice@example.com"),
    mallory: gpgSigner(base, "Mallory Unknown", "mallory@example.com"),
    olga: gpgSigner(base, "Olga Expired", "olga@example.com", gpgIn2020, "1y"),
    bob: sshSigner(root, "bob", "bob@example.com"),
    eve: sshSigner(root, "eve", "eve@example.com"),
    oldie: sshSigner(root, "oldie", "oldie@example.com"),
  };
}

/** Stops the gpg-agent that signing started, then removes the keys and every repository. */
function removeKeys(keys: Keys): void {
  run("gpgconf", ["--homedir", keys.signerHome, "--kill", "all"], isolatedEnv(keys.root));
  rmSync(keys.root, { recursive: true, force: true });
}

/**
 * The keys for the tests of one file, made before its first test and removed after its last. Call it
 * at the top of the file; the object it returns is filled in once the tests start.
 */
export function useSigningKeys(): Keys {
  const keys = {} as Keys;
  beforeAll(() => {
    Object.assign(keys, makeKeys());
  });
  afterAll(() => removeKeys(keys));
  return keys;
}

/** A logger for the code under test that prints nothing. */
export function quietLogger(): Logger {
  const sink = new PassThrough();
  return new Logger({ env: { NO_COLOR: "1" }, stdout: sink, stderr: sink });
}

/** Bob may sign; Oldie could only before 2020. */
export function allowedSigners(keys: Keys): string {
  return [
    `${keys.bob.email} ${keys.bob.publicKey}`,
    `${keys.oldie.email} valid-before="20200101" ${keys.oldie.publicKey}`,
  ].join("\n");
}

/** Alice's key, and Olga's that has expired since. */
export function allowedGpgKeys(keys: Keys): string {
  return keys.alice.armored + keys.olga.armored;
}

export type Signature = { gpg: GpgSigner; program?: string } | { ssh: SshSigner } | "unsigned";

/** A git repository whose `origin/main` is set up as Bitbucket's clone would have it. */
export class TestRepository {
  readonly dir: string;
  readonly #keys: Keys;

  constructor(keys: Keys) {
    this.#keys = keys;
    // Inside the keys' folder, so removing it removes every repository too.
    this.dir = mkdtempSync(path.join(keys.root, "repo-"));
    this.git("init", "--quiet", "--initial-branch=main");
    this.commit("Initial commit", "unsigned");
  }

  git(...args: string[]): string {
    return run(
      "git",
      args,
      isolatedEnv(this.#keys.root, { GNUPGHOME: this.#keys.signerHome }),
      this.dir,
    ).trim();
  }

  /** Commits a change to `file` (default: a line appended to CHANGES), signed as asked. */
  commit(subject: string, signature: Signature, file = "CHANGES", content?: string): string {
    const author =
      signature === "unsigned"
        ? "Dana Developer <dana@example.com>"
        : "gpg" in signature
          ? `${signature.gpg.name} <${signature.gpg.email}>`
          : `${signature.ssh.email.split("@")[0]} <${signature.ssh.email}>`;
    const target = path.join(this.dir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content ?? `${subject}\n`, { flag: content === undefined ? "a" : "w" });
    this.git("add", "--all");
    const signing =
      signature === "unsigned"
        ? ["-c", "commit.gpgsign=false"]
        : "gpg" in signature
          ? [
              "-c",
              `gpg.program=${signature.program ?? "gpg"}`,
              "-c",
              `user.signingkey=${signature.gpg.fingerprint}`,
              "-c",
              "commit.gpgsign=true",
            ]
          : [
              "-c",
              "gpg.format=ssh",
              "-c",
              `user.signingkey=${signature.ssh.publicKeyFile}`,
              "-c",
              "commit.gpgsign=true",
            ];
    this.git(...signing, "commit", "--quiet", `--author=${author}`, "-m", subject);
    return this.git("rev-parse", "HEAD");
  }

  /**
   * A copy of the signed commit `sha` with a different subject but the original signature: what a
   * history rewrite that kept the signature header looks like. The branch moves onto it.
   */
  tamper(sha: string, subject: string): string {
    const original = this.git("cat-file", "commit", sha);
    const headers = original.slice(0, original.indexOf("\n\n"));
    const rewritten = `${headers}\n\n${subject}\n`;
    const forged = run(
      "git",
      ["hash-object", "-t", "commit", "-w", "--stdin"],
      isolatedEnv(this.#keys.root),
      this.dir,
      rewritten,
    ).trim();
    this.git("reset", "--quiet", "--hard", forged);
    return forged;
  }

  /** Points origin/<branch> at a commit, as a clone's remote-tracking branch. */
  publish(branch: string, sha = "HEAD"): void {
    this.git("update-ref", `refs/remotes/origin/${branch}`, this.git("rev-parse", sha));
  }
}
