/**
 * Byte ranges of a file read in increasing order through one buffer that the file is read into a
 * chunk at a time: a result's bytes are a view into it, so 100,000 results cost no 100,000 reads
 * nor 100,000 buffers. Reads are synchronous: from the page cache they take less than the round
 * trip to the thread pool.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { CHUNK_BYTES } from "./sarif-layout.ts";

export class FileRanges {
  readonly #fd: number;
  #buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  /** The file offset of the buffer's first byte, and how many of its bytes hold the file. */
  #start = 0;
  #length = 0;

  constructor(file: string) {
    this.#fd = openSync(file, "r");
  }

  /** The buffer that the last `read` put its range in. */
  get buffer(): Buffer {
    return this.#buffer;
  }

  /**
   * Reads the file's bytes `from` to `to` (at or after the last range's start) into the buffer;
   * where they start in it, or -1 when the file ends before `to`.
   */
  read(from: number, to: number): number {
    if (to > this.#start + this.#length) {
      // Keep what is left from this range on, then fill the buffer from the file.
      const kept = Math.max(0, this.#start + this.#length - from);
      const size = Math.max(CHUNK_BYTES, to - from);
      const next = size > this.#buffer.length ? Buffer.allocUnsafe(size) : this.#buffer;
      if (kept > 0) this.#buffer.copy(next, 0, from - this.#start, this.#length);
      this.#buffer = next;
      this.#start = from;
      this.#length = kept;
      while (this.#start + this.#length < to) {
        const bytesRead = readSync(
          this.#fd,
          next,
          this.#length,
          next.length - this.#length,
          this.#start + this.#length,
        );
        if (bytesRead === 0) return -1;
        this.#length += bytesRead;
      }
    }
    return from - this.#start;
  }

  close(): void {
    closeSync(this.#fd);
  }
}
