/**
 * Google Cloud KMS wraps the data key (encrypt/decrypt) with the key
 * projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>. Credentials: Application Default
 * Credentials (GOOGLE_APPLICATION_CREDENTIALS, workload identity federation).
 * Not tested against a service: there is no Cloud KMS emulator on this project's machines.
 */
import type { KeyService } from "../crypto.ts";

export async function gcpKmsService(keyName: string): Promise<KeyService> {
  const { KeyManagementServiceClient } = await import("@google-cloud/kms");
  const client = new KeyManagementServiceClient();
  return {
    service: "gcpkms",
    keyId: keyName,
    async wrap(dataKey) {
      const [out] = await client.encrypt({ name: keyName, plaintext: dataKey });
      if (!out.ciphertext) throw new Error("Cloud KMS encrypt returned no ciphertext");
      return { keyId: keyName, data: Buffer.from(out.ciphertext as Uint8Array) };
    },
    async unwrap(wrapped, recordedKeyId) {
      // Symmetric Cloud KMS keys decrypt with the key (any of its versions) named in the request.
      const [out] = await client.decrypt({ name: recordedKeyId, ciphertext: wrapped });
      if (!out.plaintext) throw new Error("Cloud KMS decrypt returned no plaintext");
      return Buffer.from(out.plaintext as Uint8Array);
    },
  };
}
