/**
 * The signed-commit check: every commit of the pull request (or push) must carry a valid GPG or SSH
 * signature from an allowed signer. Git verifies (see commit-signatures.ts); this file decides and
 * explains, one detail line per offending commit.
 */
import type { BitbucketContext, Logger } from "@pipes/core";
import { InputError, runTool } from "@pipes/core";
import type { SignedCommitsMode } from "../config.ts";
import type { ZeroTrustCheck } from "../gate.ts";
import type { AllowedSshKey } from "./allowed-signers.ts";
import { type CommitRange, commitRangeFor, resolveCommitRange, trustedRef } from "./commit-range.ts";
import { type CommitSignature, parseSignatureLog, signatureLogCommand } from "./commit-signatures.ts";
import { prepareSignerKeyring } from "./signer-keyring.ts";

export interface SignedCommitsSettings {
  mode: SignedCommitsMode;
  range: CommitRange;
  /** ALLOWED_SIGNERS: a repository path or the file's content. */
  allowedSigners: string | undefined;
  /** GPG_PUBLIC_KEYS: a repository path or the armoured keys. */
  gpgPublicKeys: string | undefined;
  cloneDir: string;
}

export interface SignedCommitsVariables {
  SIGNED_COMMITS?: SignedCommitsMode | undefined;
  ALLOWED_SIGNERS?: string | undefined;
  GPG_PUBLIC_KEYS?: string | undefined;
  COMMIT_RANGE?: string | undefined;
}

/**
 * Bitbucket tells a step neither the repository's main branch nor the commits a push brought, so
 * pushes are compared with this branch.
 */
export const DEFAULT_MAIN_BRANCH = "main";

export function signedCommitsSettings(
  variables: SignedCommitsVariables,
  context: Pick<BitbucketContext, "cloneDir" | "branch" | "prDestinationBranch">,
  mainBranch: string = DEFAULT_MAIN_BRANCH,
): SignedCommitsSettings {
  return {
    mode: variables.SIGNED_COMMITS ?? "off",
    range: commitRangeFor({
      commitRange: variables.COMMIT_RANGE,
      prDestinationBranch: context.prDestinationBranch,
      branch: context.branch,
      defaultBranch: mainBranch,
    }),
    allowedSigners: variables.ALLOWED_SIGNERS,
    gpgPublicKeys: variables.GPG_PUBLIC_KEYS,
    cloneDir: context.cloneDir,
  };
}

export interface AllowedSigners {
  sshKeys: readonly AllowedSshKey[];
  gpgFingerprints: readonly string[];
}

/** `20200101` → `2020-01-01`; a time, when given, follows. */
function sshDate(value: string): string {
  const digits = value.replace(/[^0-9]/g, "");
  const date = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
  const time = digits.length > 8 ? ` ${digits.slice(8, 10)}:${digits.slice(10, 12)}` : "";
  return `${date}${time}${value.endsWith("Z") ? " UTC" : ""}`;
}

/** YYYYMMDDHHMMSS, comparable as text with an allowed_signers time padded the same way. */
function sshTime(value: string): string {
  return value
    .replace(/[^0-9]/g, "")
    .padEnd(14, "0")
    .slice(0, 14);
}

/**
 * Git says "U" for an SSH key it found no allowed principal for at the commit's time: either the
 * key is not listed, or its valid-after/valid-before window (compared with the committer date, as
 * git does) excludes the commit, or its namespaces exclude git.
 */
function sshKeyReason(signature: CommitSignature, allowed: AllowedSigners): string {
  const listed = allowed.sshKeys.find((key) => key.fingerprint === signature.key);
  if (listed === undefined) return `unknown signer: SSH key ${signature.key} is not in the allowed signers`;
  const who = `SSH key ${signature.key} (${listed.principals.join(", ")})`;
  const committed = sshTime(new Date(signature.committedAt).toISOString());
  if (listed.validBefore !== undefined && committed >= sshTime(listed.validBefore))
    return `expired key: ${who} is allowed only before ${sshDate(listed.validBefore)}`;
  if (listed.validAfter !== undefined && committed < sshTime(listed.validAfter))
    return `key not valid yet: ${who} is allowed only from ${sshDate(listed.validAfter)}`;
  return `unknown signer: ${who} is not allowed to sign commits (check its namespaces in the allowed signers)`;
}

const isSshKey = (key: string) => key.startsWith("SHA256:");

/** Why a commit fails the check; undefined when it is signed by an allowed signer. */
export function signatureProblem(signature: CommitSignature, allowed: AllowedSigners): string | undefined {
  const key = signature.key;
  const signer = signature.signer ? ` (${signature.signer})` : "";
  switch (signature.code) {
    case "G":
      return undefined;
    case "N":
      return "unsigned";
    case "B":
      return `bad signature: the commit does not match what key ${key}${signer} signed`;
    case "U":
      return isSshKey(key)
        ? sshKeyReason(signature, allowed)
        : `unknown signer: key ${key}${signer} is not trusted`;
    case "X":
      return `expired signature of key ${key}${signer}`;
    case "Y":
      return `expired key: GPG key ${key}${signer} has expired`;
    case "R":
      return `revoked key: GPG key ${key}${signer} is revoked`;
    case "E":
      if (isSshKey(key)) return `signature cannot be checked (SSH key ${key})`;
      if (allowed.gpgFingerprints.length === 0)
        return `unknown signer: signed with GPG key ${key || "unknown"}, but no GPG_PUBLIC_KEYS are allowed`;
      return `unknown signer: GPG key ${key || "unknown"} is not an allowed key`;
  }
}

function detailLine(signature: CommitSignature, problem: string): string {
  return `${signature.shortSha} "${signature.subject}" by ${signature.author}: ${problem}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The check's verdict from git's view of each commit. Pure. */
export function signedCommitsVerdict(
  mode: Exclude<SignedCommitsMode, "off">,
  signatures: readonly CommitSignature[],
  allowed: AllowedSigners,
  rangeDescription: string,
): ZeroTrustCheck {
  const details = signatures.flatMap((signature) => {
    const problem = signatureProblem(signature, allowed);
    return problem === undefined ? [] : [detailLine(signature, problem)];
  });
  if (signatures.length === 0)
    return {
      name: "signed-commits",
      status: "pass",
      message: `No commits to check in ${rangeDescription}`,
      details,
    };
  if (details.length === 0)
    return {
      name: "signed-commits",
      status: "pass",
      message: `Checked ${plural(signatures.length, "commit")} of ${rangeDescription}: ${signatures.length === 1 ? "signed" : "all signed"} by an allowed signer`,
      details,
    };
  return {
    name: "signed-commits",
    status: mode === "enforce" ? "fail" : "warn",
    message: `${details.length} of ${plural(signatures.length, "commit")} of ${rangeDescription} ${details.length === 1 ? "is" : "are"} not signed by an allowed signer`,
    details,
  };
}

/** Runs the check: resolves the range, sets up the allowed signers, asks git, decides. */
export async function checkSignedCommits(
  settings: SignedCommitsSettings,
  log: Logger,
): Promise<ZeroTrustCheck> {
  if (settings.mode === "off")
    return {
      name: "signed-commits",
      status: "skipped",
      message: "Commit signatures are not checked (SIGNED_COMMITS is off)",
      details: [],
    };
  if (settings.allowedSigners === undefined && settings.gpgPublicKeys === undefined)
    throw new InputError(`SIGNED_COMMITS is ${settings.mode}, but no signer is allowed`, {
      code: "NO_ALLOWED_SIGNERS",
      suggestion: "Set ALLOWED_SIGNERS (SSH) and/or GPG_PUBLIC_KEYS to the keys allowed to sign commits.",
    });
  const range = await resolveCommitRange(settings.range, settings.cloneDir, log);
  const keyring = await prepareSignerKeyring(
    {
      allowedSigners: settings.allowedSigners,
      gpgPublicKeys: settings.gpgPublicKeys,
      cloneDir: settings.cloneDir,
      trustedRef: trustedRef(settings.range),
    },
    log,
  );
  try {
    const result = await runTool(signatureLogCommand(settings.cloneDir, range.revisions, keyring), log);
    return signedCommitsVerdict(settings.mode, parseSignatureLog(result.stdout), keyring, range.description);
  } finally {
    await keyring.dispose();
  }
}
