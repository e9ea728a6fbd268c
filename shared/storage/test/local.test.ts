import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { InputError } from "@pipes/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalStore, openStore, type PutStep } from "../src/index.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "storage-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bytes = (text: string) => new TextEncoder().encode(text);

describe("LocalStore", () => {
  it("puts, gets, heads, lists sorted by key and deletes", async () => {
    const store = new LocalStore(dir);
    await store.put("b/2.bin", bytes("two"), { serial: "2", note: "ünïcode" });
    await store.put("a/1.bin", bytes("one"));
    await store.put("b/1.bin", bytes("uno"), { serial: "1" });
    expect((await store.list()).map((o) => o.key)).toEqual(["a/1.bin", "b/1.bin", "b/2.bin"]);
    expect((await store.list("b/")).map((o) => o.key)).toEqual(["b/1.bin", "b/2.bin"]);
    const got = await store.get("b/2.bin");
    expect(new TextDecoder().decode(got?.body)).toBe("two");
    expect(got?.metadata).toEqual({ serial: "2", note: "ünïcode" });
    const head = await store.head("b/2.bin");
    expect(head?.size).toBe(3);
    expect(head?.metadata.serial).toBe("2");
    await store.delete("b/2.bin");
    expect(await store.get("b/2.bin")).toBeUndefined();
    expect(await store.head("b/2.bin")).toBeUndefined();
    expect(store.location).toBe(`file://${dir}`);
  });

  it("replaces an object with its new metadata in one step", async () => {
    const store = new LocalStore(dir);
    await store.put("k", bytes("old"), { v: "1" });
    await store.put("k", bytes("new"), { v: "2" });
    const got = await store.get("k");
    expect([new TextDecoder().decode(got?.body), got?.metadata.v]).toEqual(["new", "2"]);
  });

  it("refuses keys that would leave the directory", async () => {
    const store = new LocalStore(dir);
    for (const key of ["../x", "/abs", "a//b", "", ".pipes-tmp/x"])
      await expect(store.put(key, bytes("x"))).rejects.toThrow(/invalid object key/);
  });

  for (const step of ["open", "write", "fsync", "rename"] satisfies PutStep[]) {
    it(`a put failing at ${step} leaves the old object whole and nothing half-written listed`, async () => {
      await new LocalStore(dir).put("k", bytes("old"), { v: "1" });
      const failing = new LocalStore(dir, {
        beforeStep: (s) => {
          if (s === step) throw new Error(`crash at ${s}`);
        },
      });
      await expect(failing.put("k", bytes("new"), { v: "2" })).rejects.toThrow(`crash at ${step}`);
      await expect(failing.put("other", bytes("new"))).rejects.toThrow();
      const store = new LocalStore(dir);
      expect((await store.list()).map((o) => o.key)).toEqual(["k"]);
      expect(new TextDecoder().decode((await store.get("k"))?.body)).toBe("old");
      expect(await store.leftovers()).toEqual([]);
    });
  }

  it("never lists a temp file a killed writer left behind", async () => {
    const store = new LocalStore(dir);
    await store.put("k", bytes("x"));
    // A writer killed after writing its temp file: the file stays in .pipes-tmp.
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path.join(dir, ".pipes-tmp", "dead.tmp"), "half");
    expect((await store.list()).map((o) => o.key)).toEqual(["k"]);
    expect(await readdir(path.join(dir, ".pipes-tmp"))).toEqual(["dead.tmp"]);
  });
});

describe("openStore", () => {
  const options = { env: {}, cwd: "/clone", variable: "STORE" };

  it("opens relative paths against the clone and file:// URLs", async () => {
    expect((await openStore("backups", options)).location).toBe("file:///clone/backups");
    expect((await openStore(`file://${dir}`, options)).location).toBe(`file://${dir}`);
  });

  it("opens s3:// locations without credentials in the location", async () => {
    const store = await openStore("s3://my-bucket/states/prod/", {
      ...options,
      env: { AWS_ACCESS_KEY_ID: "AKIA", AWS_SECRET_ACCESS_KEY: "secret" },
    });
    expect(store.location).toBe("s3://my-bucket/states/prod");
  });

  it.each([
    ["ftp://host/x", /STORE=.*uses the scheme ftp:\/\/, which is not a store: expected .*s3:\/\/bucket/],
    ["s3://A_bad_bucket", /STORE=.*not a valid S3 location/],
    ["file://host/x", /STORE=.*not a valid file URL/],
    ["  ", /STORE is empty/],
    ["gs://B/x", /STORE=.*not a valid GCS location/],
    [
      "azblob://account/container/x?sig=secret",
      /STORE="azblob:\/\/account\/container\/x\?…" has a query string/,
    ],
  ])("%s is an InputError naming the variable", async (url, message) => {
    const error = await openStore(url, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
  });
});
