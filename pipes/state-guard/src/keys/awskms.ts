/** AWS KMS wraps the data key (Encrypt/Decrypt of 32 bytes); the key never leaves KMS. */
import type { Env } from "@pipes/core";
import { awsClientConfigFromEnv } from "@pipes/storage";
import type { KeyService } from "../crypto.ts";

export async function awsKmsService(keyId: string, env: Env): Promise<KeyService> {
  const { KMSClient, EncryptCommand, DecryptCommand } = await import("@aws-sdk/client-kms");
  const client = new KMSClient(awsClientConfigFromEnv(env, "KMS"));
  return {
    service: "awskms",
    keyId,
    async wrap(dataKey) {
      const out = await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: dataKey }));
      if (!out.CiphertextBlob) throw new Error("KMS Encrypt returned no ciphertext");
      // The key's ARN, not an alias: an alias may later point at another key.
      return { keyId: out.KeyId ?? keyId, data: Buffer.from(out.CiphertextBlob) };
    },
    async unwrap(wrapped, recordedKeyId) {
      const out = await client.send(new DecryptCommand({ KeyId: recordedKeyId, CiphertextBlob: wrapped }));
      if (!out.Plaintext) throw new Error("KMS Decrypt returned no plaintext");
      return Buffer.from(out.Plaintext);
    },
  };
}
