/**
 * The ObjectStore contract as one table of cases, run against every remote store on its real
 * service (moto, Azurite, fake-gcs-server): each test file only says how to open a store.
 */
import { describe, expect, it } from "vitest";
import type { ObjectStore } from "../src/index.ts";

export interface ContractTarget {
  /** Opens the store at `<base>/<prefix>` (through openStore, as a pipe does). */
  open(prefix: string): Promise<ObjectStore>;
  /** The location expected for a prefix, e.g. `s3://backups/${prefix}`. */
  location(prefix: string): string;
  /** Secret values of the environment that must never appear in a location. */
  secrets: string[];
  /** The metadata the service gives back when it is known to lose some (default: all of it). */
  served?: (written: Record<string, string>) => Record<string, string>;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (body: Uint8Array | undefined) => new TextDecoder().decode(body);

/** What a backup writes: lowercase names with `_`, a hex hash, an ISO time, a non-ASCII note. */
const metadata = {
  lineage: "3f2a7c1e-5b0d-4e8f-9a61-2c4d6e8f0a1b",
  serial: "12",
  sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  time: "2026-12-06T04:45:04.000Z",
  commit: "abc123",
  terraform_version: "1.13.3",
  note: "ünïcode / 100% = ok",
};

export function describeStoreContract(name: string, target: () => ContractTarget): void {
  let run = 0;
  // A fresh prefix per test: the tests share one bucket/container and never see each other's objects.
  const fresh = async (label: string) => target().open(`team/${label}-${++run}`);

  describe(`${name}: the ObjectStore contract`, () => {
    const served = (written: Record<string, string>) => target().served?.(written) ?? written;

    it("lists only the objects under its own prefix, sorted by key, with size and metadata", async () => {
      const store = await fresh("list");
      const neighbour = await target().open(`team/list-${run}-other`);
      await neighbour.put("states/x", bytes("not mine"));
      await store.put("states/b/2.sgb", bytes("two"), { serial: "2" });
      await store.put("states/a/1.sgb", bytes("one"), metadata);
      await store.put("other/z", bytes("zz"));
      const listed = await store.list();
      expect(listed.map((o) => o.key)).toEqual(["other/z", "states/a/1.sgb", "states/b/2.sgb"]);
      expect((await store.list("states/")).map((o) => o.key)).toEqual(["states/a/1.sgb", "states/b/2.sgb"]);
      const first = listed.find((o) => o.key === "states/a/1.sgb");
      expect(first?.size).toBe(3);
      expect(first?.metadata).toEqual(served(metadata));
      expect(Math.abs((first?.modified.getTime() ?? 0) - Date.now())).toBeLessThan(5 * 60_000);
      expect(await store.list("nothing/")).toEqual([]);
    });

    it("reads back the body and the metadata it wrote, and heads without the body", async () => {
      const store = await fresh("get");
      const body = new Uint8Array(70_000).map((_, i) => (i * 31) % 256);
      await store.put("k.bin", body, metadata);
      const got = await store.get("k.bin");
      expect(got?.key).toBe("k.bin");
      expect(Buffer.from(got?.body ?? []).equals(Buffer.from(body))).toBe(true);
      expect(got?.metadata).toEqual(served(metadata));
      const head = await store.head("k.bin");
      expect([head?.size, head?.metadata]).toEqual([body.byteLength, served(metadata)]);
    });

    it("replaces an object together with its metadata", async () => {
      const store = await fresh("replace");
      await store.put("k", bytes("old"), { v: "1", gone: "yes" });
      await store.put("k", bytes("new"), { v: "2", empty: "" });
      const got = await store.get("k");
      expect([text(got?.body), got?.metadata]).toEqual(["new", { v: "2", empty: "" }]);
      expect((await store.list()).map((o) => o.key)).toEqual(["k"]);
    });

    it("answers undefined for a missing object, and deleting one is no error", async () => {
      const store = await fresh("missing");
      expect(await store.get("no/such.sgb")).toBeUndefined();
      expect(await store.head("no/such.sgb")).toBeUndefined();
      await store.delete("no/such.sgb");
      await store.put("k", bytes("x"));
      await store.delete("k");
      expect(await store.get("k")).toBeUndefined();
      expect(await store.head("k")).toBeUndefined();
      expect(await store.list()).toEqual([]);
    });

    it("refuses keys that are not relative paths", async () => {
      const store = await fresh("keys");
      for (const key of ["../x", "/abs", "a//b", "", ".pipes-tmp/x"])
        await expect(store.put(key, bytes("x"))).rejects.toThrow(/invalid object key/);
    });

    it("names its location without credentials", async () => {
      const store = await target().open("states/prod/");
      expect(store.location).toBe(target().location("states/prod"));
      for (const secret of target().secrets) expect(store.location).not.toContain(secret);
    });
  });
}
