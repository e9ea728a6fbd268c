/**
 * The notice a pipe prints when a newer release of its major version exists, as Atlassian's pipes
 * toolkit does: the released versions are the tags of the pipe's distribution repository (the
 * repository a consumer names in `pipe: workspace/name:1.2.3`), read from the Bitbucket API
 *
 *   GET https://api.bitbucket.org/2.0/repositories/{workspace}/{name}/refs/tags?q=name ~ "1."&sort=-name
 *
 * (`sort=name` is Bitbucket's natural sort: 1.10.0 after 1.9.0). `PIPE_VERSIONS_URL` replaces that URL
 * (a mirror, or a test server: same JSON shape), `PIPE_VERSION_CHECK=false` turns the check off.
 * The check never fails a pipe: it gives up after a short timeout, and any error is one debug line.
 */
import { z } from "zod";
import { type Env, parseBooleanWord } from "./env.ts";
import { errorMessage } from "./errors.ts";
import type { Logger } from "./log.ts";

/** The Bitbucket workspace of the distribution repositories, when the caller names none. */
export const DEFAULT_PIPES_WORKSPACE = "bitbucket-pipes";
const DEFAULT_TIMEOUT_MS = 2000;

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** `beta.1` of 1.2.0-beta.1; empty for a release. */
  prerelease: string;
}

const VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?$/;

/** `1.2.3`, `1.2.3-rc.1` (a leading `v` is accepted); anything else, such as the moving tag `1.2`, is undefined. */
export function parseVersion(text: string): Version | undefined {
  const match = VERSION.exec(text.trim());
  if (!match) return undefined;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    prerelease: match[4] ?? "",
  };
}

function comparePrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (a === "") return 1; // a release is newer than its pre-releases
  if (b === "") return -1;
  const left = a.split(".");
  const right = b.split(".");
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = left[i];
    const y = right[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const numeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    if (numeric) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Semantic-version order (https://semver.org/#spec-item-11): negative when `a` is older than `b`. */
export function compareVersions(a: Version, b: Version): number {
  return (
    a.major - b.major ||
    a.minor - b.minor ||
    a.patch - b.patch ||
    comparePrerelease(a.prerelease, b.prerelease)
  );
}

export function formatVersion(version: Version): string {
  const core = `${version.major}.${version.minor}.${version.patch}`;
  return version.prerelease ? `${core}-${version.prerelease}` : core;
}

/**
 * The newest release in `available` of the same major version as `current`, when it is newer than
 * `current`; pre-releases and names that are not versions are ignored.
 */
export function newerInMajor(current: string, available: readonly string[]): string | undefined {
  const running = parseVersion(current);
  if (!running) return undefined;
  let newest: Version | undefined;
  for (const name of available) {
    const candidate = parseVersion(name);
    if (!candidate || candidate.prerelease || candidate.major !== running.major) continue;
    if (compareVersions(candidate, running) <= 0) continue;
    if (!newest || compareVersions(candidate, newest) > 0) newest = candidate;
  }
  return newest ? formatVersion(newest) : undefined;
}

/** The part of Bitbucket's paginated refs/tags answer the check reads. */
const TagPage = z.object({ values: z.array(z.object({ name: z.string() })) });

export interface VersionCheckOptions {
  /** The pipe's name, e.g. security-gate. */
  name: string;
  /** The running version. */
  version: string;
  env: Env;
  log: Logger;
  /** The distribution repository, `workspace/name`; default `bitbucket-pipes/<name>`. */
  repository?: string;
  timeoutMs?: number;
}

function tagsUrl(options: VersionCheckOptions, major: number): string {
  const override = options.env.PIPE_VERSIONS_URL;
  if (override) return override;
  const repository = options.repository ?? `${DEFAULT_PIPES_WORKSPACE}/${options.name}`;
  const query = new URLSearchParams({ q: `name ~ "${major}."`, sort: "-name", pagelen: "100" });
  return `https://api.bitbucket.org/2.0/repositories/${repository}/refs/tags?${query}`;
}

/**
 * The JSON a GET of `url` answers with (a 2xx status), within the timeout. node:http(s), not fetch:
 * fetch loads undici, 30 ms of every pipe's start for a request that runs beside the work.
 */
function getJson(url: string, timeoutMs: number): Promise<unknown> {
  const target = new URL(url);
  const client = process.getBuiltinModule(target.protocol === "http:" ? "node:http" : "node:https");
  return new Promise((resolve, reject) => {
    const request = client.get(
      target,
      { headers: { accept: "application/json" }, signal: AbortSignal.timeout(timeoutMs) },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          response.resume();
          reject(new Error(`HTTP ${status}`));
          return;
        }
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    request.on("error", reject);
  });
}

/**
 * Prints a notice when a newer release of the running major exists, and returns that version.
 * Never throws and never takes longer than the timeout (default 2 s): offline, a slow or broken
 * answer, or `PIPE_VERSION_CHECK=false` only leave a debug line.
 */
export async function checkForNewerVersion(options: VersionCheckOptions): Promise<string | undefined> {
  const { env, log } = options;
  try {
    const setting = env.PIPE_VERSION_CHECK;
    if (setting !== undefined && parseBooleanWord(setting) === false) {
      log.debug("version check: off (PIPE_VERSION_CHECK=false)");
      return undefined;
    }
    const running = parseVersion(options.version);
    if (!running) {
      log.debug(`version check: skipped, ${options.version} is not a released version`);
      return undefined;
    }
    const page = TagPage.parse(
      await getJson(tagsUrl(options, running.major), options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    );
    const newer = newerInMajor(
      options.version,
      page.values.map((tag) => tag.name),
    );
    if (newer) {
      const reference = options.repository ?? `${DEFAULT_PIPES_WORKSPACE}/${options.name}`;
      log.warn(
        `${options.name} ${newer} is available (this is ${options.version}): update the step to \`pipe: ${reference}:${newer}\`, or pin \`:${running.major}\` to follow every ${running.major}.x release.`,
      );
    } else log.debug(`version check: ${options.version} is the newest ${running.major}.x release`);
    return newer;
  } catch (error) {
    try {
      log.debug(`version check: skipped (${errorMessage(error)})`);
    } catch {
      // Even a broken logger must not fail the pipe over a notice.
    }
    return undefined;
  }
}
