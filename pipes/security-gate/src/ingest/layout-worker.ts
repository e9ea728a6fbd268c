/**
 * The thread that scans report files' layouts ahead of the main thread (layouts.ts): the files in
 * order, but for those the main thread claimed first, each layout posted as soon as it is known, its
 * result offsets as a transferred array; then, for each file with code flows, whether they are JSON
 * (code-flows.ts), which the main thread needs only once it has read every file.
 * Its own bundle (dist/layout-worker.js): it loads the scanner and the JSON check, nothing else.
 */
import { parentPort, workerData } from "node:worker_threads";
import { codeFlowsAreJson, hasCodeFlows } from "./code-flows.ts";
import { type LayoutMessage, scanLayoutFile } from "./sarif-layout.ts";

const { files, claims } = workerData as { files: string[]; claims: SharedArrayBuffer };
const claimed = new Int32Array(claims);
/** Files whose code flows are checked once every file is scanned: the main thread needs them last. */
const toCheck: { index: number; file: string; results: ArrayLike<number> }[] = [];
for (const [index, file] of files.entries()) {
  // A file the main thread has claimed, it scans itself.
  if (Atomics.compareExchange(claimed, index, 0, 1) !== 0) continue;
  let message: LayoutMessage;
  try {
    const layout = scanLayoutFile(file);
    const checking = !layout.unsure && hasCodeFlows(layout.results);
    if (checking) toCheck.push({ index, file, results: layout.results });
    message = {
      index,
      skeleton: layout.skeleton,
      results: Float64Array.from(layout.results),
      unsure: layout.unsure,
      checking,
    };
  } catch {
    // The main thread scans it again and raises the error itself (a file that went missing, ...).
    message = { index, failed: true };
  }
  parentPort?.postMessage(message, "results" in message ? [message.results.buffer as ArrayBuffer] : []);
}
for (const { index, file, results } of toCheck)
  parentPort?.postMessage({ index, codeFlowsJson: codeFlowsAreJson(file, results) });
