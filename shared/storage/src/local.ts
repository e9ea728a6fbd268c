/**
 * A local directory as an object store. One object is one file holding its metadata and its body
 * together (a header line of JSON, then the bytes), so object and metadata appear in one rename:
 * a reader sees the whole object or none of it. A write goes to a temp file under `.pipes-tmp/`
 * (never listed), is fsynced, renamed over the key, and the directory is fsynced.
 */
import { randomUUID } from "node:crypto";
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { checkKey, type ObjectInfo, type ObjectStore, type StoredObject } from "./types.ts";

const MAGIC = "PIPES-OBJECT-1 ";
const TMP_DIR = ".pipes-tmp";

/** The steps of a put, in order: a test hook can fail any of them (crash injection). */
export type PutStep = "open" | "write" | "fsync" | "rename" | "fsync-dir";

export interface LocalStoreOptions {
  /** Called before each step of a put; throwing there simulates a crash at that step. */
  beforeStep?: (step: PutStep, key: string) => void | Promise<void>;
}

function encodeHeader(metadata: Record<string, string>): Uint8Array {
  return Buffer.from(`${MAGIC}${JSON.stringify(metadata)}\n`, "utf8");
}

function decode(key: string, data: Buffer): { metadata: Record<string, string>; body: Uint8Array } {
  const end = data.indexOf(0x0a);
  const header = end < 0 ? "" : data.subarray(0, end).toString("utf8");
  if (!header.startsWith(MAGIC)) throw new Error(`object ${key} is not a @pipes/storage object (bad header)`);
  const metadata = JSON.parse(header.slice(MAGIC.length)) as Record<string, string>;
  return { metadata, body: new Uint8Array(data.subarray(end + 1)) };
}

async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  } finally {
    await handle?.close();
  }
}

export class LocalStore implements ObjectStore {
  readonly location: string;
  readonly root: string;
  readonly #options: LocalStoreOptions;

  constructor(root: string, options: LocalStoreOptions = {}) {
    this.root = path.resolve(root);
    this.location = pathToFileURL(this.root).href;
    this.#options = options;
  }

  #file(key: string): string {
    checkKey(key);
    return path.join(this.root, ...key.split("/"));
  }

  async put(key: string, body: Uint8Array, metadata: Record<string, string> = {}): Promise<void> {
    const file = this.#file(key);
    const step = async (name: PutStep) => this.#options.beforeStep?.(name, key);
    const tmpDir = path.join(this.root, TMP_DIR);
    await mkdir(tmpDir, { recursive: true });
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = path.join(tmpDir, `${randomUUID()}.tmp`);
    let renamed = false;
    try {
      await step("open");
      const handle = await open(tmp, "wx", 0o600);
      try {
        await step("write");
        await handle.writeFile(encodeHeader(metadata));
        await handle.writeFile(body);
        await step("fsync");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await step("rename");
      await rename(tmp, file);
      renamed = true;
      await step("fsync-dir");
      await syncDir(path.dirname(file));
    } finally {
      if (!renamed) await rm(tmp, { force: true });
    }
  }

  async get(key: string): Promise<StoredObject | undefined> {
    let data: Buffer;
    try {
      data = await readFile(this.#file(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    return { key, ...decode(key, data) };
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const file = this.#file(key);
    let handle: FileHandle;
    try {
      handle = await open(file, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) return undefined;
      // The header is one line; read up to 1 MiB of it.
      const buffer = Buffer.alloc(Math.min(info.size, 1 << 20));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      const chunk = buffer.subarray(0, bytesRead);
      const end = chunk.indexOf(0x0a);
      const { metadata } = decode(key, end < 0 ? chunk : chunk.subarray(0, end + 1));
      return { key, size: info.size - (end + 1), modified: info.mtime, metadata };
    } finally {
      await handle.close();
    }
  }

  async list(prefix = ""): Promise<ObjectInfo[]> {
    const keys: string[] = [];
    const walk = async (dir: string, base: string) => {
      let entries: import("node:fs").Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
        throw error;
      }
      for (const entry of entries) {
        if (entry.name.startsWith(".pipes-")) continue;
        const key = base === "" ? entry.name : `${base}/${entry.name}`;
        if (entry.isDirectory()) await walk(path.join(dir, entry.name), key);
        else if (entry.isFile() && key.startsWith(prefix)) keys.push(key);
      }
    };
    await walk(this.root, "");
    keys.sort();
    const infos: ObjectInfo[] = [];
    for (const key of keys) {
      const info = await this.head(key).catch(() => undefined);
      if (info) infos.push(info);
    }
    return infos;
  }

  async delete(key: string): Promise<void> {
    const file = this.#file(key);
    await rm(file, { force: true });
    await syncDir(path.dirname(file));
  }

  /** Bytes of temp files left by interrupted puts (they are never listed). */
  async leftovers(): Promise<string[]> {
    try {
      return await readdir(path.join(this.root, TMP_DIR));
    } catch {
      return [];
    }
  }
}

export async function isDirectory(dir: string): Promise<boolean> {
  return (await stat(dir).catch(() => undefined))?.isDirectory() ?? false;
}
