/**
 * Whether the container tests can run: a Docker Engine API at DOCKER_HOST (podman's service in CI,
 * see docker/engine.sh). CI sets REQUIRE_CONTAINER_ENGINE so a missing engine fails instead of skipping.
 */
import { existsSync } from "node:fs";
import path from "node:path";

export const repositoryRoot = path.resolve(import.meta.dirname, "../..");

/** The material handed to the project (`../shared` beside the clone): real tool outputs. */
export const sharedFixtures = path.resolve(repositoryRoot, "../shared/fixtures");

export function containerEngine(): { available: boolean; reason: string } {
  const host = process.env.DOCKER_HOST;
  if (!host)
    return { available: false, reason: 'DOCKER_HOST is not set (run: eval "$(bash docker/engine.sh env)")' };
  if (host.startsWith("unix://") && !existsSync(host.slice("unix://".length)))
    return { available: false, reason: `no engine socket at ${host}` };
  return { available: true, reason: "" };
}
