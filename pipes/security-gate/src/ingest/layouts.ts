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
  type Posted = Exclude<LayoutMessage, { codeFlowsJson: boolean }>;
  const arrived = new Map<number, Posted>();
  const waiting = new Map<number, (message: Posted | undefined) => void>();
  /** Per file, whether its code flows are JSON: as the thread posts it, or undefined if it stopped. */
  const checks = new Map<number, Promise<boolean | undefined>>();
  const checked = new Map<number, (json: boolean | undefined) => void>();
  const checkOf = (index: number) => {
    let check = checks.get(index);
    if (check === undefined) {
      check = new Promise((resolve) => checked.set(index, resolve));
      checks.set(index, check);
    }
    return check;
  };
  let stopped = false;
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
    stopped = true;
    for (const resolve of waiting.values()) resolve(undefined);
    waiting.clear();
    for (const resolve of checked.values()) resolve(undefined);
  };
  let posted = 0;
  worker.on("message", (message: LayoutMessage) => {
    if ("codeFlowsJson" in message) {
      checkOf(message.index);
      checked.get(message.index)?.(message.codeFlowsJson);
      return;
    }
    posted += 1;
    const resolve = waiting.get(message.index);
    if (resolve) {
      waiting.delete(message.index);
      resolve(message);
    } else arrived.set(message.index, message);
  });
  worker.once("error", stop);
  worker.once("exit", stop);
  return {
    async layoutOf(index) {
      const file = files[index] as string;
      // Not started by the thread yet (the first file, while the thread starts): scanned here.
      if (Atomics.compareExchange(claimed, index, 0, 2) === 0) return scanLayoutFile(file);
      let message = arrived.get(index);
      arrived.delete(index);
      if (message === undefined && !stopped)
        message = await new Promise<Posted | undefined>((resolve) => waiting.set(index, resolve));
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
      if (message.checking) {
        const check = stopped && !checks.has(index) ? Promise.resolve(undefined) : checkOf(index);
        // Should the thread stop before it checks them, they are checked here, when asked.
        layout.codeFlowsJson = async () => (await check) ?? codeFlowsAreJson(file, results);
      }
      return layout;
    },
    fromThread: () => posted,
    close() {
      void worker.terminate();
    },
  };
}
