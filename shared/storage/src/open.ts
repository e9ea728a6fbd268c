import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Env, InputError } from "@pipes/core";
import { LocalStore } from "./local.ts";
import type { ObjectStore } from "./types.ts";

export interface OpenStoreOptions {
  env: Env;
  /** Relative paths are resolved against it (the clone directory). */
  cwd: string;
  /** The variable the URL came from, named in errors. */
  variable: string;
}

const EXPECTED = `a directory path, file:///dir or s3://bucket/prefix`;

/** "./dir" | "file:///dir" | "s3://bucket/prefix". Unknown schemes and malformed URLs are an InputError naming the variable. */
export async function openStore(url: string, options: OpenStoreOptions): Promise<ObjectStore> {
  const { variable } = options;
  const value = url.trim();
  if (value === "") throw new InputError(`${variable} is empty: expected ${EXPECTED}`);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(value) && !/^[a-z]:[\\/]/i.test(value))
      throw new InputError(`${variable}=${JSON.stringify(value)} is not a valid store: expected ${EXPECTED}`);
    return new LocalStore(path.resolve(options.cwd, value));
  }
  if (scheme === "file") {
    let dir: string;
    try {
      dir = fileURLToPath(value);
    } catch (error) {
      throw new InputError(
        `${variable}=${JSON.stringify(value)} is not a valid file URL: expected file:///absolute/dir`,
        {
          cause: error,
        },
      );
    }
    return new LocalStore(dir);
  }
  if (scheme === "s3") {
    const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(value);
    if (!match)
      throw new InputError(
        `${variable}=${JSON.stringify(value)} is not a valid S3 location: expected s3://bucket/prefix with a bucket name of 3-63 lowercase letters, digits, dots or dashes`,
      );
    const { S3Store, s3ClientFromEnv } = await import("./s3.ts");
    return new S3Store(
      s3ClientFromEnv(options.env),
      match[1] as string,
      (match[2] ?? "").replace(/^\/+|\/+$/g, ""),
    );
  }
  throw new InputError(
    `${variable}=${JSON.stringify(value)} uses the scheme ${scheme}://, which this version does not support: expected ${EXPECTED}`,
    { suggestion: "azblob:// and gs:// stores are not implemented yet." },
  );
}
