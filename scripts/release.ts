/**
 * Releases every pipe whose version has no release yet (docs/releasing.md):
 *
 *   npm run release                    build, test, push X.Y.Z / X.Y / X, publish the distribution repository
 *   npm run release -- --dry-run       say what would be released
 *   npm run release -- --root DIR      release the pipes of another checkout (the release's own test)
 *
 * Configuration: release.config.json, overridden by RELEASE_REGISTRY, RELEASE_ORG,
 * RELEASE_DIST_REMOTE_TEMPLATE, RELEASE_DIST_BRANCH, RELEASE_REGISTRY_INSECURE,
 * RELEASE_REGISTRY_USERNAME / RELEASE_REGISTRY_PASSWORD, RELEASE_SKIP_CONTRACT_TEST=1.
 * Needs a Docker Engine API at DOCKER_HOST (eval "$(bash docker/engine.sh env)").
 * Running it again changes nothing: a released version says "already released".
 * Exit codes: 0 done (or nothing to do), 1 a release failed, 2 invalid configuration.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { ExitCode, Logger, PipeError, processEnv } from "@pipes/core";
import { release } from "./release/release.ts";

const { values } = parseArgs({
  options: {
    "dry-run": { type: "boolean", default: false },
    root: { type: "string", default: path.resolve(import.meta.dirname, "..") },
  },
});
const env = processEnv();
const log = new Logger({ env });

try {
  const outcomes = await release({
    root: path.resolve(values.root),
    env,
    log,
    dryRun: values["dry-run"],
    now: () => new Date(),
  });
  const released = outcomes.filter((o) => o.status === "released");
  for (const outcome of released)
    log.info(`${outcome.pipe} ${outcome.version}: released ${Object.values(outcome.digests ?? {})[0] ?? ""}`);
  const planned = outcomes.filter((o) => o.status === "would release").length;
  if (values["dry-run"]) log.success(`dry run: ${planned} pipe(s) would be released`);
  else log.success(released.length > 0 ? `released ${released.length} pipe(s)` : "nothing to release");
} catch (error) {
  if (error instanceof PipeError) {
    log.error(error.message);
    if (error.suggestion) log.info(`→ ${error.suggestion}`);
    if (log.debugEnabled && error.stack) log.debug(error.stack);
    process.exitCode = error.exitCode === ExitCode.invalidInput ? ExitCode.invalidInput : ExitCode.failed;
  } else {
    log.error(`release failed: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof Error && error.stack) log.debug(error.stack);
    process.exitCode = ExitCode.failed;
  }
  log.failure("release failed (running it again is safe: released versions are skipped)");
}
