/**
 * The allowed signers, set up where only this check sees them: a temporary GNUPGHOME holding just
 * the allowed GPG public keys, and a temporary SSH allowed_signers file. The user's keyring and
 * git configuration are never read or written.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { InputError, type Logger, runTool, type ToolCommand } from "@pipes/core";
import { type AllowedSshKey, parseAllowedSigners } from "./allowed-signers.ts";

/** A variable that holds either a path in the repository or the file's content itself. */
export type SignerSource = { kind: "content"; text: string } | { kind: "file"; path: string };

/** Content when it looks like keys (a PEM armour, a key type, several lines); a path otherwise. */
export function signerSource(value: string): SignerSource {
  const text = value.trim();
  const looksLikeKeys =
    text.includes("\n") ||
    text.startsWith("-----BEGIN") ||
    /\s(ssh-|ecdsa-sha2-|sk-ssh-|sk-ecdsa-)\S+\s/.test(text);
  return looksLikeKeys ? { kind: "content", text: `${text}\n` } : { kind: "file", path: text };
}

export interface SignerSources {
  /** ALLOWED_SIGNERS */
  allowedSigners?: string | undefined;
  /** GPG_PUBLIC_KEYS */
  gpgPublicKeys?: string | undefined;
  cloneDir: string;
  /**
   * Read repository files as of this ref (`git show ref:path`) rather than the working tree, so a
   * pull request cannot allow its own keys. Undefined: the working tree.
   */
  trustedRef?: string | undefined;
}

export interface SignerKeyring {
  gnupgHome: string;
  allowedSignersFile: string;
  sshKeys: AllowedSshKey[];
  /** Fingerprints of the imported GPG primary keys. */
  gpgFingerprints: string[];
  dispose(): Promise<void>;
}

export function showFileCommand(cwd: string, ref: string, file: string): ToolCommand {
  return { tool: "git", args: ["show", `${ref}:${file.replace(/^\.\//, "")}`], cwd, okExitCodes: [0, 128] };
}

export function gpgImportCommand(gnupgHome: string, armoredKeys: string): ToolCommand {
  return {
    tool: "gpg",
    args: ["--homedir", gnupgHome, "--batch", "--no-tty", "--import"],
    input: armoredKeys,
    // 2: some of the input was not key material; what was imported is listed next.
    okExitCodes: [0, 2],
  };
}

export function gpgListKeysCommand(gnupgHome: string): ToolCommand {
  return {
    tool: "gpg",
    args: ["--homedir", gnupgHome, "--batch", "--with-colons", "--list-keys"],
    okExitCodes: [0, 2],
  };
}

export function gpgAgentStopCommand(gnupgHome: string): ToolCommand {
  return { tool: "gpgconf", args: ["--homedir", gnupgHome, "--kill", "all"], okExitCodes: [0, 1, 2] };
}

/** The primary key fingerprints of `gpg --with-colons --list-keys`: the `fpr` line after each `pub`. */
export function primaryFingerprints(colons: string): string[] {
  const fingerprints: string[] = [];
  let afterPrimary = false;
  for (const line of colons.split("\n")) {
    const fields = line.split(":");
    if (fields[0] === "pub") afterPrimary = true;
    else if (fields[0] === "fpr" && afterPrimary) {
      fingerprints.push(fields[9] ?? "");
      afterPrimary = false;
    }
  }
  return fingerprints.filter(Boolean);
}

async function readSource(
  variable: string,
  source: SignerSource,
  sources: SignerSources,
  log: Logger,
): Promise<string> {
  if (source.kind === "content") return source.text;
  if (sources.trustedRef !== undefined) {
    const shown = await runTool(showFileCommand(sources.cloneDir, sources.trustedRef, source.path), log);
    if (shown.exitCode === 0) return shown.stdout;
    throw new InputError(`${variable}: ${source.path} is not in ${sources.trustedRef}`, {
      code: "SIGNERS_NOT_FOUND",
      suggestion: `Commit ${source.path} to the destination branch first: allowed signers are read from there, so a change cannot allow its own keys.`,
    });
  }
  try {
    return await readFile(path.resolve(sources.cloneDir, source.path), "utf8");
  } catch {
    throw new InputError(`${variable}: ${source.path} does not exist in the repository`, {
      code: "SIGNERS_NOT_FOUND",
      suggestion: `Give ${variable} a path relative to the clone directory, or the content itself.`,
    });
  }
}

async function importGpgKeys(gnupgHome: string, armored: string, log: Logger): Promise<string[]> {
  // Only allowed keys are in this keyring, so each is trusted: without it gpg reports good signatures
  // of untrusted keys as "U", which git also uses for SSH keys that are not allowed.
  await writeFile(path.join(gnupgHome, "gpg.conf"), "trust-model always\n", { mode: 0o600 });
  await runTool(gpgImportCommand(gnupgHome, armored), log);
  const fingerprints = primaryFingerprints((await runTool(gpgListKeysCommand(gnupgHome), log)).stdout);
  if (fingerprints.length === 0)
    throw new InputError("GPG_PUBLIC_KEYS holds no OpenPGP public key", {
      code: "INVALID_SIGNERS",
      suggestion: "Give the armoured output of `gpg --armor --export <key id>` of each allowed signer.",
    });
  return fingerprints;
}

export async function prepareSignerKeyring(sources: SignerSources, log: Logger): Promise<SignerKeyring> {
  const dir = await mkdtemp(path.join(tmpdir(), "signed-commits-"));
  const gnupgHome = path.join(dir, "gnupg");
  const allowedSignersFile = path.join(dir, "allowed_signers");
  const dispose = async () => {
    await runTool(gpgAgentStopCommand(gnupgHome), log).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await mkdir(gnupgHome, { mode: 0o700 });
    const sshText =
      sources.allowedSigners === undefined
        ? ""
        : await readSource("ALLOWED_SIGNERS", signerSource(sources.allowedSigners), sources, log);
    const sshKeys = parseAllowedSigners(sshText);
    if (sources.allowedSigners !== undefined && sshKeys.length === 0)
      throw new InputError("ALLOWED_SIGNERS holds no SSH key", {
        code: "INVALID_SIGNERS",
        suggestion:
          "Write one `<email> <key type> <public key>` line per allowed signer (see ssh-keygen(1), ALLOWED SIGNERS).",
      });
    // Always written, even empty: git then reports an SSH signature as "not allowed" rather than failing.
    await writeFile(allowedSignersFile, sshText, { mode: 0o600 });
    const gpgFingerprints =
      sources.gpgPublicKeys === undefined
        ? []
        : await importGpgKeys(
            gnupgHome,
            await readSource("GPG_PUBLIC_KEYS", signerSource(sources.gpgPublicKeys), sources, log),
            log,
          );
    return { gnupgHome, allowedSignersFile, sshKeys, gpgFingerprints, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
