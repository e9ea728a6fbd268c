/**
 * Azure Key Vault wraps the data key (wrapKey/unwrapKey, RSA-OAEP-256) with the key at
 * https://<vault>.vault.azure.net/keys/<name>[/<version>]. Credentials: DefaultAzureCredential
 * (AZURE_CLIENT_ID + AZURE_TENANT_ID with a secret or a federated token file).
 * Not tested against a service: there is no Key Vault emulator on this project's machines.
 */
import type { KeyService } from "../crypto.ts";

const ALGORITHM = "RSA-OAEP-256";

/** The part of @azure/keyvault-keys' CryptographyClient this adapter uses. */
export interface KeyVaultWrapClient {
  wrapKey(
    algorithm: typeof ALGORITHM,
    key: Uint8Array,
  ): Promise<{ result: Uint8Array; keyID?: string | undefined }>;
  unwrapKey(algorithm: typeof ALGORITHM, encryptedKey: Uint8Array): Promise<{ result: Uint8Array }>;
}

async function sdkClients(): Promise<(keyUrl: string) => KeyVaultWrapClient> {
  const [{ CryptographyClient }, { DefaultAzureCredential }] = await Promise.all([
    import("@azure/keyvault-keys"),
    import("@azure/identity"),
  ]);
  const credential = new DefaultAzureCredential();
  return (keyUrl) => new CryptographyClient(keyUrl, credential);
}

/** `clientFor` is the SDK's CryptographyClient for a key URL unless given (tests give a fake). */
export async function azureKeyVaultService(
  keyUrl: string,
  clientFor?: (keyUrl: string) => KeyVaultWrapClient,
): Promise<KeyService> {
  const client = clientFor ?? (await sdkClients());
  return {
    service: "azurekv",
    keyId: keyUrl,
    async wrap(dataKey) {
      const out = await client(keyUrl).wrapKey(ALGORITHM, dataKey);
      // The versioned key id: a new key version must not orphan this backup.
      return { keyId: out.keyID || keyUrl, data: Buffer.from(out.result) };
    },
    async unwrap(wrapped, recordedKeyId) {
      const out = await client(recordedKeyId).unwrapKey(ALGORITHM, wrapped);
      return Buffer.from(out.result);
    },
  };
}
