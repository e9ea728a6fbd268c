/**
 * Locations as the rest of the gate expects them: repository-relative POSIX paths. Tools write paths
 * every which way: `file:///abs/x.tf`, `%SRCROOT%`-relative URIs, `./x.tf`, `/x.tf` relative to the
 * scanned folder (Checkov), Windows separators, absolute paths of the machine that ran them.
 */
import { posix } from "node:path";
import { fileURLToPath } from "node:url";

export interface PathContext {
  /** Absolute clone directory: absolute paths under it become repository-relative. */
  repoRoot: string;
  /** Repository-relative folder the tool's relative paths start from ("." for most reports). */
  baseDir: string;
}

function toPosix(text: string): string {
  return text.replace(/\\/g, "/");
}

/** A `file:` URI or a percent-encoded relative URI reference (SARIF artifact locations) as a path. */
export function pathFromUri(uri: string): string {
  // Most URIs are plain relative paths: nothing to decode, no separators to turn.
  if (!uri.includes("%") && !uri.includes("\\") && !/^file:/i.test(uri)) return uri;
  if (/^file:\/\//i.test(uri)) {
    try {
      return toPosix(fileURLToPath(uri));
    } catch {
      return toPosix(decodeURIComponent(uri.replace(/^file:\/\//i, "")));
    }
  }
  // "file:src/app.py": not a valid file URI, but some tools write relative paths this way.
  if (/^file:/i.test(uri)) return pathFromUri(uri.slice("file:".length));
  try {
    return toPosix(decodeURIComponent(uri));
  } catch {
    return toPosix(uri);
  }
}

function isAbsolute(file: string): boolean {
  return file.startsWith("/") || /^[A-Za-z]:\//.test(file);
}

/** Whether a normalized path points outside the clone (a report made on another machine). */
export function isOutsideRepository(file: string): boolean {
  return isAbsolute(file) || file === ".." || file.startsWith("../");
}

const NOT_NORMAL = /^$|^\/|^[A-Za-z]:|\\|\/\/|(^|\/)\.\.?(\/|$)|^\s|\s$/;

/**
 * The repository-relative POSIX path of a path a tool reported. Absolute paths outside the clone stay
 * absolute: they cannot be made relative, and `isOutsideRepository` lets the caller warn about them.
 */
export function repositoryPath(reported: string, context: PathContext): string {
  // A relative path that is already normal (no "." or ".." segment, no "//", no "\\", no
  // surrounding space) from the repository root is its own repository path.
  if ((context.baseDir === "." || context.baseDir === "") && !NOT_NORMAL.test(reported)) return reported;
  const file = toPosix(reported.trim());
  const root = posix.normalize(toPosix(context.repoRoot)).replace(/\/+$/, "");
  if (isAbsolute(file)) {
    const normalized = posix.normalize(file);
    if (normalized === root) return ".";
    if (root !== "" && normalized.startsWith(`${root}/`)) return normalized.slice(root.length + 1);
    return normalized;
  }
  const joined = posix.normalize(posix.join(toPosix(context.baseDir || "."), file));
  return joined.replace(/^(\.\/)+/, "");
}
