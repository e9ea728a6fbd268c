/** A Logger whose output the test can read, as the build log would show it (masked, uncoloured). */
import { Writable } from "node:stream";
import { Logger } from "@pipes/core";

export interface CapturedLog {
  logger: Logger;
  text(): string;
  lines(): string[];
  warnings(): string[];
}

export function capturedLog(env: Record<string, string> = {}): CapturedLog {
  let text = "";
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString("utf8");
      done();
    },
  });
  const logger = new Logger({ env: { NO_COLOR: "1", ...env }, stdout: sink, stderr: sink });
  const lines = () => text.split("\n").filter((line) => line.trim() !== "");
  return { logger, text: () => text, lines, warnings: () => lines().filter((line) => line.includes("⚠")) };
}
