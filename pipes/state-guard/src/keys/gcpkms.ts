/**
 * Google Cloud KMS wraps the data key (encrypt/decrypt) with the key
 * projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>. Credentials: Application Default
 * Credentials (GOOGLE_APPLICATION_CREDENTIALS, workload identity federation).
 * Not tested against a service: there is no Cloud KMS emulator on this project's machines.
 */
import type { KeyService } from "../crypto.ts";

type Bytes = Uint8Array | string | null | undefined;

/** The two calls of @google-cloud/kms' KeyManagementServiceClient this adapter uses. */
export interface CloudKmsClient {
  encrypt(request: { name: string; plaintext: Uint8Array }): Promise<{ ciphertext?: Bytes }>;
  decrypt(request: { name: string; ciphertext: Uint8Array }): Promise<{ plaintext?: Bytes }>;
}

async function sdkClient(): Promise<CloudKmsClient> {
  const { KeyManagementServiceClient } = await import("@google-cloud/kms");
  const client = new KeyManagementServiceClient();
  return {
    encrypt: async (request) => (await client.encrypt(request))[0],
    decrypt: async (request) => (await client.decrypt(request))[0],
  };
}

// The SDK types these bytes as Uint8Array or (base64) string.
const bytes = (value: Bytes): Buffer | undefined =>
  value == null || value.length === 0
    ? undefined
    : typeof value === "string"
      ? Buffer.from(value, "base64")
      : Buffer.from(value);

/** `client` is the SDK's KeyManagementServiceClient unless given (tests give a fake). */
export async function gcpKmsService(keyName: string, client?: CloudKmsClient): Promise<KeyService> {
  const kms = client ?? (await sdkClient());
  return {
    service: "gcpkms",
    keyId: keyName,
    async wrap(dataKey) {
      const data = bytes((await kms.encrypt({ name: keyName, plaintext: dataKey })).ciphertext);
      if (!data) throw new Error("Cloud KMS encrypt returned no ciphertext");
      return { keyId: keyName, data };
    },
    async unwrap(wrapped, recordedKeyId) {
      // Symmetric Cloud KMS keys decrypt with the key (any of its versions) named in the request.
      const plaintext = bytes((await kms.decrypt({ name: recordedKeyId, ciphertext: wrapped })).plaintext);
      if (!plaintext) throw new Error("Cloud KMS decrypt returned no plaintext");
      return plaintext;
    },
  };
}
