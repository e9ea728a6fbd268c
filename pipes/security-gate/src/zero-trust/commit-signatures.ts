/**
 * Each commit's signature as git itself judges it (`%G?`), so GPG and SSH signatures are verified
 * exactly the way `git verify-commit` does, against the temporary keyring only.
 * Placeholders: https://git-scm.com/docs/pretty-formats (%G? %GK %GS %GF).
 */
import type { ToolCommand } from "@pipes/core";
import type { SignerKeyring } from "./signer-keyring.ts";

/**
 * git's verdicts: G good; B bad; U good but unknown validity (for SSH: the key is not an allowed
 * signer); X good but the signature expired; Y good but made by an expired key; R made by a
 * revoked key; E cannot be checked (for GPG: the key is not in the keyring); N no signature.
 */
export const SIGNATURE_CODES = ["G", "B", "U", "X", "Y", "R", "E", "N"] as const;
export type SignatureCode = (typeof SIGNATURE_CODES)[number];

export interface CommitSignature {
  sha: string;
  shortSha: string;
  code: SignatureCode;
  /** GPG key id, or the SSH key's SHA256 fingerprint. */
  key: string;
  /** Who git says signed: the GPG user id, or the allowed_signers principal. */
  signer: string;
  fingerprint: string;
  author: string;
  subject: string;
  /** Committer date, ISO 8601. */
  committedAt: string;
}

// Unit and record separators cannot occur in names or subjects.
const FIELD = "\x1f";
const RECORD = "\x1e";
const FORMAT = ["%H", "%h", "%G?", "%GK", "%GS", "%GF", "%an <%ae>", "%cI", "%s"].join("%x1f");

export function signatureLogCommand(
  cwd: string,
  revisions: readonly string[],
  keyring: SignerKeyring,
): ToolCommand {
  return {
    tool: "git",
    args: [
      "-c",
      `gpg.ssh.allowedSignersFile=${keyring.allowedSignersFile}`,
      "-c",
      "gpg.program=gpg",
      "-c",
      "gpg.ssh.program=ssh-keygen",
      "-c",
      "log.showSignature=false",
      "log",
      `--format=${FORMAT}%x1e`,
      ...revisions,
    ],
    cwd,
    env: { GNUPGHOME: keyring.gnupgHome },
    timeoutMs: 300_000,
  };
}

function signatureCode(value: string): SignatureCode {
  const code = SIGNATURE_CODES.find((c) => c === value);
  return code ?? "E";
}

export function parseSignatureLog(stdout: string): CommitSignature[] {
  return stdout
    .split(RECORD)
    .map((record) => record.replace(/^\n/, ""))
    .filter((record) => record.trim() !== "")
    .map((record) => {
      const [
        sha = "",
        shortSha = "",
        code = "",
        key = "",
        signer = "",
        fingerprint = "",
        author = "",
        committedAt = "",
        ...subject
      ] = record.split(FIELD);
      return {
        sha,
        shortSha,
        code: signatureCode(code),
        key,
        signer,
        fingerprint,
        author,
        committedAt,
        subject: subject.join(FIELD),
      };
    });
}
