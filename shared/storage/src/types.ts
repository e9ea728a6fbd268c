/** The @pipes/storage contract (see /work/brief/STORAGE-CONTRACT.md): what every store offers. */
export interface StoredObject {
  key: string;
  body: Uint8Array;
  metadata: Record<string, string>;
}

export interface ObjectInfo {
  key: string;
  size: number;
  modified: Date;
  metadata: Record<string, string>;
}

export interface ObjectStore {
  /** For messages and reports: "file:///abs/dir", "s3://bucket/prefix". Never holds credentials. */
  readonly location: string;
  /** Atomic: a reader sees the whole new object or none of it (local: temp file + fsync + rename). */
  put(key: string, body: Uint8Array, metadata?: Record<string, string>): Promise<void>;
  get(key: string): Promise<StoredObject | undefined>;
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Keys under a prefix, sorted by key. */
  list(prefix?: string): Promise<ObjectInfo[]>;
  delete(key: string): Promise<void>;
}

/** Keys are relative, "/"-separated, without empty, "." or ".." segments (they become file paths locally). */
export function checkKey(key: string): void {
  const segments = key.split("/");
  if (key === "" || key.startsWith("/") || segments.some((s) => s === "" || s === "." || s === ".."))
    throw new Error(`invalid object key ${JSON.stringify(key)}: expected a relative path like "a/b.json"`);
  if (segments.some((s) => s.startsWith(".pipes-")))
    throw new Error(
      `invalid object key ${JSON.stringify(key)}: segments starting with ".pipes-" are reserved`,
    );
}
