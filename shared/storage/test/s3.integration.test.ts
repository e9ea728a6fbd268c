import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { type Moto, startMoto } from "@pipes/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, s3ClientFromEnv } from "../src/index.ts";

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
  await s3ClientFromEnv(moto.env).send(new CreateBucketCommand({ Bucket: "backups" }));
});
afterAll(async () => moto?.stop());

describe("S3 store on moto", () => {
  it("puts, lists under its prefix only, gets with metadata, deletes", async () => {
    const store = await openStore("s3://backups/team/prod", { env: moto.env, cwd: "/", variable: "STORE" });
    const other = await openStore("s3://backups/team/dev", { env: moto.env, cwd: "/", variable: "STORE" });
    await other.put("x", new Uint8Array([9]));
    await store.put("states/2.json", new Uint8Array([1, 2, 3]), { serial: "2", commit: "abc", note: "ünï" });
    await store.put("states/1.json", new Uint8Array([4]), { serial: "1" });
    expect((await store.list()).map((o) => o.key)).toEqual(["states/1.json", "states/2.json"]);
    const got = await store.get("states/2.json");
    expect(Array.from(got?.body ?? [])).toEqual([1, 2, 3]);
    expect(got?.metadata).toMatchObject({ serial: "2", commit: "abc", note: "ünï" });
    expect((await store.head("states/2.json"))?.size).toBe(3);
    await store.delete("states/2.json");
    expect(await store.get("states/2.json")).toBeUndefined();
    expect(await store.head("states/2.json")).toBeUndefined();
    expect(store.location).toBe("s3://backups/team/prod");
  });
});
