import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { LocalStore } from "@pipes/storage";
import { beforeAll, describe, expect, it } from "vitest";
import { auditStore } from "../src/audit.ts";
import { backupState, type Keyring, listBackups } from "../src/backups.ts";
import { terraformWorkspace } from "./terraform-fixture.ts";

const keys: Keyring = { passphrase: "correct horse battery staple", scrypt: { N: 2 ** 12, r: 8, p: 1 } };
let dir: string;
let store: LocalStore;

beforeAll(async () => {
  const ws = await terraformWorkspace("terraform");
  dir = await mkdtemp(path.join(tmpdir(), "state-guard-audit-"));
  store = new LocalStore(dir);
  for (const value of ["one", "two", "three", "four"]) {
    await ws.apply(value);
    await backupState(store, await ws.pull(), { keys });
  }
}, 240_000);

const fileOf = (key: string) => path.join(dir, ...key.split("/"));

describe("integrity audit of a store of real backups", () => {
  it("reports every backup ok, the lineage and its newest serial, no problems", async () => {
    const report = await auditStore(store, keys);
    const backups = await listBackups(store);
    expect(report.checked).toBe(4);
    expect(report.ok).toHaveLength(4);
    expect(report.problems).toEqual([]);
    expect(report.lineages).toEqual([
      { lineage: backups[0]?.lineage, versions: 4, newestSerial: backups[3]?.serial },
    ]);
  });

  it("reports a wrong passphrase per object as BACKUP_WRONG_PASSPHRASE", async () => {
    const report = await auditStore(store, { ...keys, passphrase: "not the passphrase" });
    expect(report.ok).toEqual([]);
    expect(report.problems.map((p) => p.code)).toEqual(Array(4).fill("BACKUP_WRONG_PASSPHRASE"));
  });

  it("finds a tampered ciphertext byte, tampered metadata and a foreign file; the others stay ok; gaps are information", async () => {
    const [a, b, c, d] = await listBackups(store);
    if (!a || !b || !c || !d) throw new Error("expected four backups");
    // One ciphertext byte near the end of the object (in the body, after the metadata header line).
    const raw = await readFile(fileOf(b.key));
    raw[raw.length - 5] = (raw[raw.length - 5] ?? 0) ^ 0xff;
    await writeFile(fileOf(b.key), raw);
    // Metadata: LocalStore keeps it in the object's header line; record another sha256 there.
    const stored = await store.get(c.key);
    if (!stored) throw new Error("missing object");
    await store.put(c.key, stored.body, { ...stored.metadata, sha256: "f".repeat(64) });
    // A foreign object under states/ (no backup metadata).
    await store.put("states/README.txt", Buffer.from("not a backup\n"));
    // A removed oldest version: no longer checked.
    await store.delete(a.key);

    const report = await auditStore(store, keys);
    const codes = Object.fromEntries(report.problems.map((p) => [p.key, p.code]));
    expect(codes[b.key]).toBe("BACKUP_TAMPERED");
    expect(codes[c.key]).toBe("BACKUP_TAMPERED");
    expect(codes["states/README.txt"]).toBe("NOT_A_BACKUP");
    expect(report.problems).toHaveLength(3);
    expect(report.ok.map((o) => o.key)).toEqual([d.key]);
    for (const p of report.problems) expect(p.message.length).toBeGreaterThan(0);
    expect(report.checked).toBe(4);
  });
});
