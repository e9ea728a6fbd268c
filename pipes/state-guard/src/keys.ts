/**
 * KEY_SOURCE → the Keyring that encrypts new backups and opens old ones:
 * `passphrase` (scrypt or PBKDF2 over STATE_PASSPHRASE), `awskms:<key id, ARN or alias>`,
 * `azurekv:https://<vault>.vault.azure.net/keys/<name>[/<version>]`,
 * `gcpkms:projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>`.
 * With a key service, STATE_PASSPHRASE (and STATE_PASSPHRASE_PREVIOUS) still open the backups
 * made before the switch: rotation from a passphrase to KMS keeps the history readable.
 */
import { type Env, InputError } from "@pipes/core";
import type { Keyring } from "./backups.ts";
import type { KeyService } from "./crypto.ts";
import { awsKmsService } from "./keys/awskms.ts";
import { azureKeyVaultService } from "./keys/azurekv.ts";
import { gcpKmsService } from "./keys/gcpkms.ts";

export interface KeyringOptions {
  keySource: string;
  passphrase?: string | undefined;
  previousPassphrases?: readonly string[];
  kdf?: "scrypt" | "pbkdf2";
  env: Env;
}

const EXPECTED =
  "passphrase, awskms:<key id, ARN or alias>, azurekv:https://<vault>.vault.azure.net/keys/<name> or gcpkms:projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>";

async function keyService(source: string, env: Env): Promise<KeyService> {
  const colon = source.indexOf(":");
  const scheme = source.slice(0, colon).toLowerCase();
  const key = source.slice(colon + 1).trim();
  const bad = (what: string) =>
    new InputError(
      `KEY_SOURCE=${JSON.stringify(source)} is not a key source: ${what}; expected ${EXPECTED}`,
      {
        code: "KEY_SOURCE",
      },
    );
  if (colon < 0 || key === "") throw bad("no key after the scheme");
  if (scheme === "awskms") {
    if (
      !/^(arn:aws[\w-]*:kms:[\w-]+:\d{12}:(key|alias)\/[\w/+=,.@-]+|alias\/[\w/+=,.@-]+|[0-9a-f-]{36}|mrk-[0-9a-f]{32})$/.test(
        key,
      )
    )
      throw bad("not a KMS key id, key ARN, alias or alias ARN");
    return awsKmsService(key, env);
  }
  if (scheme === "azurekv") {
    if (
      !/^https:\/\/[\w-]+\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net)\/keys\/[\w-]+(\/[\w]+)?$/.test(
        key,
      )
    )
      throw bad("not a Key Vault key URL");
    return azureKeyVaultService(key);
  }
  if (scheme === "gcpkms") {
    if (!/^projects\/[\w-]+\/locations\/[\w-]+\/keyRings\/[\w-]+\/cryptoKeys\/[\w-]+$/.test(key))
      throw bad("not a Cloud KMS crypto key name");
    return gcpKmsService(key);
  }
  throw bad(`unknown scheme ${scheme}:`);
}

export async function makeKeyring(options: KeyringOptions): Promise<Keyring> {
  const source = options.keySource.trim();
  const passphrase = options.passphrase || undefined;
  const base: Keyring = {
    ...(passphrase ? { passphrase } : {}),
    previous: options.previousPassphrases ?? [],
    kdf: options.kdf ?? "scrypt",
  };
  if (source.toLowerCase() === "passphrase") {
    if (!passphrase)
      throw new InputError(
        "STATE_PASSPHRASE is not set: KEY_SOURCE=passphrase needs it to encrypt and read backups",
        {
          code: "STATE_PASSPHRASE",
          suggestion:
            "Add STATE_PASSPHRASE as a secured repository or deployment variable (a long random secret).",
        },
      );
    return base;
  }
  return { ...base, service: await keyService(source, options.env) };
}
