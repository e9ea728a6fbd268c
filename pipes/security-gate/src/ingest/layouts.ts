/**
 * Report files' layouts (sarif-layout.ts), scanned ahead on a second thread while the main thread
 * parses the file before (the main thread scans those the thread has not started on, such as the
 * first while the thread starts): the scan is a byte loop that allocates next to nothing, so it runs beside
 * the parsing without taking from it (100,000 results in 5 files: 240 ms of the main thread's time).
 * Whatever the thread cannot give (it did not start, failed, or stopped) the main thread scans
 * itself, with the errors it always gave: the layouts are the same either way.
 * The thread also checks that the code flows of each file it scanned are JSON (code-flows.ts), so
 * that the main thread need not parse them; should it stop first, the main thread checks them.
 */
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { codeFlowsAreJson } from "./code-flows.ts";
import { type LayoutMessage, type SarifLayout, scanLayoutFile } from "./sarif-layout.ts";

/** The worker's script beside this module: layout-worker.js beside the bundle, .ts in the sources. */
const WORKER_SCRIPT = new URL(
  `./layout-worker${path.extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);

export interface LayoutScans {
  /** The layout of `files[index]`: from the thread when it has it, else scanned here. */
  layoutOf(index: number): Promise<SarifLayout>;
  /** How many layouts the thread has posted so far. */
  fromThread(): number;
  /** Stops the thread (nothing more is needed from it). */
  close(): void;
}

/** Layouts of the files (absolute paths) as the main thread asks for them, in order. */
export function layoutScans(
  files: readonly string[],
  options: { script?: URL; cores?: number } = {},
): LayoutScans {
  const onMainThread: LayoutScans = {
    layoutOf: async (index) => scanLayoutFile(files[index] as string),
    fromThread: () => 0,
    close() {},
  };
  // One file has nothing to overlap with; one core has no second thread to give.
  if (files.length < 2 || (options.cores ?? availableParallelism()) < 2) return onMainThread;
  type Layout = Exclude<LayoutMessage, { codeFlowsJson: boolean }>;
  const layouts = new Mailbox<Layout>();
  /** Per file the thread scanned with code flows: whether they are JSON. */
  const checks = new Mailbox<boolean>();
  // Per file, who scans it: 0 nobody yet, 1 the thread, 2 the main thread (whoever claims it first).
  const claims = new SharedArrayBuffer(4 * files.length);
  const claimed = new Int32Array(claims);
  let worker: Worker;
  try {
    worker = new Worker(options.script ?? WORKER_SCRIPT, { workerData: { files: [...files], claims } });
  } catch {
    return onMainThread;
  }
  const stop = () => {
    layouts.stop();
    checks.stop();
  };
  let posted = 0;
  worker.on("message", (message: LayoutMessage) => {
    if ("codeFlowsJson" in message) {
      checks.put(message.index, message.codeFlowsJson);
      return;
    }
    posted += 1;
    layouts.put(message.index, message);
  });
  worker.once("error", stop);
  worker.once("exit", stop);
  return {
    async layoutOf(index) {
      const file = files[index] as string;
      // Not started by the thread yet (the first file, while the thread starts): scanned here.
      if (Atomics.compareExchange(claimed, index, 0, 2) === 0) return scanLayoutFile(file);
      const message = await layouts.take(index);
      if (message === undefined || "failed" in message) return scanLayoutFile(file);
      const { results } = message;
      const layout: SarifLayout = {
        skeleton: Buffer.from(
          message.skeleton.buffer,
          message.skeleton.byteOffset,
          message.skeleton.byteLength,
        ),
        results,
        unsure: message.unsure,
      };
      // Should the thread stop before it checks them, they are checked here, when asked.
      if (message.checking)
        layout.codeFlowsJson = async () => (await checks.take(index)) ?? codeFlowsAreJson(file, results);
      return layout;
    },
    fromThread: () => posted,
    close() {
      void worker.terminate();
    },
  };
}

/**
 * What the thread posts per file, kept until the main thread takes it (once); undefined for what it
 * has not posted when it stops.
 */
class Mailbox<T> {
  readonly #posted = new Map<number, T>();
  readonly #waiting = new Map<number, (value: T | undefined) => void>();
  #stopped = false;

  put(index: number, value: T): void {
    const resolve = this.#waiting.get(index);
    this.#waiting.delete(index);
    if (resolve) resolve(value);
    else this.#posted.set(index, value);
  }

  take(index: number): Promise<T | undefined> {
    const value = this.#posted.get(index);
    this.#posted.delete(index);
    if (value !== undefined || this.#stopped) return Promise.resolve(value);
    return new Promise((resolve) => this.#waiting.set(index, resolve));
  }

  stop(): void {
    this.#stopped = true;
    for (const resolve of this.#waiting.values()) resolve(undefined);
    this.#waiting.clear();
  }
}
