import { type FakeGcs, startFakeGcs } from "@pipes/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../src/index.ts";
import { describeStoreContract } from "./store-contract.ts";

let gcs: FakeGcs;
beforeAll(async () => {
  gcs = await startFakeGcs();
  await gcs.createBucket("backups");
});
afterAll(async () => gcs?.stop());

const open = (url: string) => openStore(url, { env: gcs.env, cwd: "/", variable: "STORE" });

describeStoreContract("GCS on fake-gcs-server", () => ({
  open: (prefix) => open(`gs://backups/${prefix}`),
  location: (prefix) => `gs://backups/${prefix}`,
  secrets: [],
}));

describe("GCS specifics", () => {
  it("round-trips any metadata name, capitals and dashes included", async () => {
    const store = await open("gs://backups/names");
    const metadata = { "Content-Kind": "state", terraform_version: "1.13.3", "ü-name": "ü" };
    await store.put("k", new Uint8Array([1]), metadata);
    expect((await store.get("k"))?.metadata).toEqual(metadata);
  });

  it("says which bucket is missing instead of answering a bare 404", async () => {
    const store = await open("gs://no-such-bucket/x");
    await expect(store.list()).rejects.toMatchObject({
      code: "STORE_NOT_FOUND",
      message: expect.stringMatching(/bucket of gs:\/\/no-such-bucket\/x does not exist/),
    });
  });
});
