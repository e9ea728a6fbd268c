/**
 * The SSH `allowed_signers` file git verifies SSH signatures with (ssh-keygen(1), ALLOWED SIGNERS):
 * `principals [options] keytype base64-key [comment]`. Git does the verifying; this reading only
 * lets a rejection say *why*: a key that is listed, but not for the commit's time, is an expired
 * key rather than an unknown one.
 */
import { createHash } from "node:crypto";

export interface AllowedSshKey {
  principals: string[];
  /** As git prints it in %GK: `SHA256:` and the unpadded base64 of the key blob's SHA-256. */
  fingerprint: string;
  /** `valid-after` / `valid-before` as written (YYYYMMDD[HHMM[SS]][Z]). */
  validAfter?: string;
  validBefore?: string;
}

const KEY_TYPE = /^(ssh-|ecdsa-sha2-|sk-ssh-|sk-ecdsa-)/;

/** Splits on spaces outside double quotes: options such as namespaces="git,file" hold commas. */
function fields(line: string): string[] {
  return line.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
}

function option(options: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|,)${name}="?([^",]+)"?`, "i").exec(options);
  return match?.[1];
}

export function sshFingerprint(base64Key: string): string {
  const digest = createHash("sha256").update(Buffer.from(base64Key, "base64")).digest("base64");
  return `SHA256:${digest.replace(/=+$/, "")}`;
}

export function parseAllowedSigners(content: string): AllowedSshKey[] {
  const keys: AllowedSshKey[] = [];
  for (const raw of content.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const [principals, ...rest] = fields(line);
    const typeAt = rest.findIndex((field) => KEY_TYPE.test(field));
    const blob = typeAt < 0 ? undefined : rest[typeAt + 1];
    if (principals === undefined || blob === undefined) continue;
    const options = rest.slice(0, typeAt).join(",");
    const validAfter = option(options, "valid-after");
    const validBefore = option(options, "valid-before");
    keys.push({
      principals: principals.replace(/"/g, "").split(","),
      fingerprint: sshFingerprint(blob),
      ...(validAfter === undefined ? {} : { validAfter }),
      ...(validBefore === undefined ? {} : { validBefore }),
    });
  }
  return keys;
}
