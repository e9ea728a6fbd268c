/**
 * Files that hold a token or point at one: readable by the owner only, in a folder the caller owns
 * (and removes when the step is done).
 */
import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

export const PRIVATE_FILE_MODE = 0o600;

export async function writePrivateFile(dir: string, name: string, content: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, name);
  await writeFile(file, content, { mode: PRIVATE_FILE_MODE });
  // `mode` applies only when the file is created: an earlier file keeps its own.
  await chmod(file, PRIVATE_FILE_MODE);
  return file;
}

/** The token file every exchange points its tools at, so a refreshed token is written once. */
export const TOKEN_FILE_NAME = "bitbucket-step-oidc-token";
