/**
 * The pipe's voice in the build log. Everything goes through the secret masker; colours follow
 * NO_COLOR/FORCE_COLOR; debug lines only with DEBUG=true. A pipe ends with one ✔ or ✖ line.
 */
import type { Writable } from "node:stream";
import { type Env, envFlag } from "./env.ts";
import { SecretMasker } from "./mask.ts";

const codes = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1 } as const;
type Colour = keyof typeof codes;

export interface LoggerOptions {
  env: Env;
  stdout?: Writable;
  stderr?: Writable;
  masker?: SecretMasker;
}

export class Logger {
  readonly masker: SecretMasker;
  readonly debugEnabled: boolean;
  readonly #colour: boolean;
  readonly #stdout: Writable;
  readonly #stderr: Writable;
  #depth = 0;

  constructor(options: LoggerOptions) {
    const { env } = options;
    this.masker = options.masker ?? new SecretMasker();
    this.debugEnabled = envFlag(env, "DEBUG");
    this.#colour =
      env.NO_COLOR === undefined &&
      (env.FORCE_COLOR !== undefined || env.CI !== undefined || Boolean(process.stdout.isTTY));
    this.#stdout = options.stdout ?? process.stdout;
    this.#stderr = options.stderr ?? process.stderr;
  }

  paint(colour: Colour, text: string): string {
    return this.#colour ? `\u001b[${codes[colour]}m${text}\u001b[0m` : text;
  }

  #write(stream: Writable, text: string): void {
    const indent = "  ".repeat(this.#depth);
    const masked = this.masker.mask(text);
    stream.write(
      `${masked
        .split("\n")
        .map((line) => indent + line)
        .join("\n")}\n`,
    );
  }

  info(message: string): void {
    this.#write(this.#stdout, message);
  }
  warn(message: string): void {
    this.#write(this.#stdout, this.paint("yellow", `⚠ ${message}`));
  }
  error(message: string): void {
    this.#write(this.#stderr, this.paint("red", `✖ ${message}`));
  }
  debug(message: string): void {
    if (this.debugEnabled) this.#write(this.#stdout, this.paint("gray", `[debug] ${message}`));
  }
  /** The final line of a successful run. */
  success(message: string): void {
    this.#write(this.#stdout, this.paint("green", `✔ ${message}`));
  }
  /** The final line of a failed run. */
  failure(message: string): void {
    this.#write(this.#stderr, this.paint("red", `✖ ${message}`));
  }

  /** Raw text from a child process, masked, indented within the current group. */
  output(text: string, stream: "stdout" | "stderr" = "stdout"): void {
    this.#write(stream === "stdout" ? this.#stdout : this.#stderr, text);
  }

  /** A section for long output: opened and always closed, even when `fn` throws. */
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const started = Date.now();
    this.#write(this.#stdout, this.paint("cyan", `▼ ${name}`));
    this.#depth++;
    try {
      return await fn();
    } finally {
      this.#depth--;
      this.#write(
        this.#stdout,
        this.paint("cyan", `▲ ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`),
      );
    }
  }

  /** A progress line for long work: `label [done/total] detail`. */
  progress(label: string, done: number, total: number, detail = ""): void {
    const pct = total === 0 ? 100 : Math.round((done / total) * 100);
    this.#write(
      this.#stdout,
      this.paint("gray", `… ${label} [${done}/${total}, ${pct}%]${detail ? ` ${detail}` : ""}`),
    );
  }
}
