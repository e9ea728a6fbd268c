/**
 * Azure Key Vault wraps the data key (wrapKey/unwrapKey, RSA-OAEP-256) with the key at
 * https://<vault>.vault.azure.net/keys/<name>[/<version>]. Credentials: DefaultAzureCredential
 * (AZURE_CLIENT_ID + AZURE_TENANT_ID with a secret or a federated token file).
 * Not tested against a service: there is no Key Vault emulator on this project's machines.
 */
import type { KeyService } from "../crypto.ts";

export async function azureKeyVaultService(keyUrl: string): Promise<KeyService> {
  const [{ CryptographyClient }, { DefaultAzureCredential }] = await Promise.all([
    import("@azure/keyvault-keys"),
    import("@azure/identity"),
  ]);
  const credential = new DefaultAzureCredential();
  const client = (url: string) => new CryptographyClient(url, credential);
  return {
    service: "azurekv",
    keyId: keyUrl,
    async wrap(dataKey) {
      const out = await client(keyUrl).wrapKey("RSA-OAEP-256", dataKey);
      // The versioned key id: a new key version must not orphan this backup.
      return { keyId: out.keyID ?? keyUrl, data: Buffer.from(out.result) };
    },
    async unwrap(wrapped, recordedKeyId) {
      const out = await client(recordedKeyId).unwrapKey("RSA-OAEP-256", wrapped);
      return Buffer.from(out.result);
    },
  };
}
