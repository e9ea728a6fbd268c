/**
 * Atomic file writes: the content goes to a temporary file in the same directory, is flushed, then
 * renamed over the target. A reader (or a crash) never sees a half-written file.
 */
import { randomBytes } from "node:crypto";
import { type FileHandle, mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";

/**
 * A file's content: whole, or as string chunks produced while the file is written, so a report of
 * 100 MB never has to exist as one string (and again as one buffer).
 */
export type FileContent = string | Uint8Array | Iterable<string> | AsyncIterable<string>;

/** Chunks are gathered up to this many UTF-16 code units per write: few syscalls, little memory. */
const WRITE_BATCH = 1 << 20;

async function writeContent(handle: FileHandle, content: FileContent): Promise<void> {
  if (typeof content === "string" || content instanceof Uint8Array) {
    await handle.writeFile(content);
    return;
  }
  // FileHandle.writeFile writes from the current position and retries short writes.
  let batch: string[] = [];
  let batched = 0;
  if (Symbol.iterator in content) {
    // Read synchronously between writes: `for await` would wait a microtask turn per chunk, and a
    // result.json of 100,000 findings has one chunk per finding.
    const chunks = content[Symbol.iterator]();
    for (let next = chunks.next(); next.done !== true; next = chunks.next()) {
      batch.push(next.value);
      batched += next.value.length;
      if (batched >= WRITE_BATCH) {
        await handle.writeFile(batch.join(""));
        batch = [];
        batched = 0;
      }
    }
  } else {
    for await (const chunk of content) {
      batch.push(chunk);
      batched += chunk.length;
      if (batched >= WRITE_BATCH) {
        await handle.writeFile(batch.join(""));
        batch = [];
        batched = 0;
      }
    }
  }
  if (batched > 0) await handle.writeFile(batch.join(""));
}

export async function writeFileAtomic(file: string, content: FileContent): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`,
  );
  try {
    const handle = await open(temporary, "w", 0o644);
    try {
      await writeContent(handle, content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}
