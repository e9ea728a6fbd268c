/** AWS KMS wraps the data key (Encrypt/Decrypt of 32 bytes); the key never leaves KMS. */
import type { Env } from "@pipes/core";
import type { KeyService } from "../crypto.ts";

export async function awsKmsService(keyId: string, env: Env): Promise<KeyService> {
  const { KMSClient, EncryptCommand, DecryptCommand } = await import("@aws-sdk/client-kms");
  const endpoint = env.AWS_ENDPOINT_URL_KMS ?? env.AWS_ENDPOINT_URL;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  const client = new KMSClient({
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
    ...(endpoint ? { endpoint } : {}),
    ...(accessKeyId && secretAccessKey
      ? {
          credentials: {
            accessKeyId,
            secretAccessKey,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {}),
  });
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
