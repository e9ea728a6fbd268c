import * as childProcess from "node:child_process";

export function convert(input: string): Buffer {
  // ruleid: js-child-process-command-injection
  return childProcess.execSync(`convert ${input} out.png`);
}

export function convertSafely(input: string): Buffer {
  // ok: js-child-process-command-injection
  return childProcess.execFileSync("convert", [input, "out.png"]);
}
