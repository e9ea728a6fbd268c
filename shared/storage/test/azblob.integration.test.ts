import { type Azurite, startAzurite } from "@pipes/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { azureContainerClientFromEnv, openStore } from "../src/index.ts";
import { describeStoreContract } from "./store-contract.ts";

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
  const env = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString };
  await (
    await azureContainerClientFromEnv(env, { account: azurite.accountName, container: "backups" })
  ).create();
});
afterAll(async () => azurite?.stop());

const open = (url: string, env: Record<string, string>) =>
  openStore(url, { env, cwd: "/", variable: "STORE" });

describeStoreContract("Azure Blob on Azurite", () => ({
  open: (prefix) =>
    open(`azblob://${azurite.accountName}/backups/${prefix}`, {
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    }),
  location: (prefix) => `azblob://${azurite.accountName}/backups/${prefix}`,
  secrets: [azurite.accountKey],
}));

describe("Azure Blob credentials and metadata names", () => {
  it("works with the account key and a blob endpoint instead of a connection string", async () => {
    const env = { AZURE_STORAGE_KEY: azurite.accountKey, AZURE_STORAGE_BLOB_ENDPOINT: azurite.blobEndpoint };
    const store = await open(`azblob://${azurite.accountName}/backups/keyed`, env);
    await store.put("k", new Uint8Array([1]), { serial: "1" });
    const viaConnectionString = await open(`azblob://${azurite.accountName}/backups/keyed`, {
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    });
    expect((await viaConnectionString.get("k"))?.metadata).toEqual({ serial: "1" });
    expect(store.location).toBe(`azblob://${azurite.accountName}/backups/keyed`);
  });

  it("round-trips metadata names Azure would refuse (dashes, capitals, a leading digit)", async () => {
    const store = await open(`azblob://${azurite.accountName}/backups/names`, {
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    });
    const metadata = { "Content-Kind": "state", "2fa": "on", terraform_version: "1.13.3", "ü-name": "ü" };
    await store.put("k", new Uint8Array([1]), metadata);
    expect((await store.get("k"))?.metadata).toEqual(metadata);
    expect((await store.list())[0]?.metadata).toEqual(metadata);
  });

  it("says which container is missing instead of answering a bare 404", async () => {
    const store = await open(`azblob://${azurite.accountName}/no-such-container/x`, {
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    });
    await expect(store.list()).rejects.toMatchObject({
      code: "STORE_NOT_FOUND",
      message: expect.stringMatching(
        /container of azblob:\/\/devstoreaccount1\/no-such-container\/x does not exist/,
      ),
    });
    await expect(store.put("k", new Uint8Array([1]))).rejects.toMatchObject({ code: "STORE_NOT_FOUND" });
  });
});
