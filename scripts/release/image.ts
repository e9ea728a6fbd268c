/**
 * The release image through the Docker Engine API (Docker, or podman's compatible service at
 * DOCKER_HOST): built from the pipe's own Dockerfile, stamped with the release labels, tagged and
 * pushed to the registry.
 *
 * Plain-HTTP registries: podman's compat push takes `tlsVerify=false` per request (Docker ignores
 * the parameter and treats 127.0.0.0/8 as insecure itself; any other host needs daemon.json
 * `insecure-registries`).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PipeError } from "@pipes/core";
import { buildImage, docker } from "@pipes/testkit";
import type { RegistryAuth } from "./config.ts";

export async function imageLabels(reference: string): Promise<Record<string, string>> {
  const info = await docker().getImage(reference).inspect();
  return info.Config.Labels ?? {};
}

export interface ReleaseFacts {
  version: string;
  revision: string;
  /** Where the image's source is: this repository's web address. */
  source: string;
  /** ISO 8601, seconds. */
  created: string;
  /** SHA-256 (hex) of the SBOM file. */
  sbomSha256: string;
  /** Where the SBOM file is: the distribution repository at the version's tag. */
  sbomUrl: string;
}

/**
 * The labels a release adds: the OCI annotations (https://specs.opencontainers.org/image-spec/annotations/)
 * and the SBOM's digest and address. A label, not an OCI referrer: distribution 2.8 has no referrers
 * API, and a digest in the image's own configuration is checkable with nothing but `docker inspect`.
 */
export function releaseLabels(facts: ReleaseFacts): Record<string, string> {
  return {
    "org.opencontainers.image.version": facts.version,
    "org.opencontainers.image.revision": facts.revision,
    "org.opencontainers.image.source": facts.source,
    "org.opencontainers.image.created": facts.created,
    "bitbucket-pipes.sbom.sha256": facts.sbomSha256,
    "bitbucket-pipes.sbom.url": facts.sbomUrl,
    "bitbucket-pipes.sbom.format": "CycloneDX 1.6 JSON",
  };
}

/** The Dockerfile that adds labels to a built image (a label's value cannot hold a newline). */
export function labelDockerfile(from: string, labels: Readonly<Record<string, string>>): string {
  const lines = Object.entries(labels).map(([key, value]) => {
    if (/[\r\n]/.test(value)) throw new Error(`label ${key}: a value on one line only`);
    return `LABEL ${JSON.stringify(key)}=${JSON.stringify(value)}`;
  });
  return `FROM ${from}\n${lines.join("\n")}\n`;
}

/**
 * Adds labels to an image by building `FROM image` + `LABEL`s: the labels that need the built image
 * (its creation time, the digest of the SBOM made from its own tool labels) come after its build.
 */
export async function stampImage(
  from: string,
  tag: string,
  labels: Readonly<Record<string, string>>,
): Promise<void> {
  const context = await mkdtemp(path.join(tmpdir(), "release-stamp-"));
  try {
    await writeFile(path.join(context, "Dockerfile"), labelDockerfile(from, labels));
    await buildImage({ contextDir: context, tag, entries: ["Dockerfile"], onOutput: () => undefined });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

export async function removeTag(reference: string): Promise<void> {
  await docker()
    .getImage(reference)
    .remove({ noprune: true })
    .catch(() => undefined);
}

interface PushEvent {
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { Tag?: string; Digest?: string };
}

/** The manifest digest the registry answered, from the push's progress (Docker's `aux`, podman's status line). */
export function pushedDigest(events: readonly PushEvent[]): string | undefined {
  for (const event of events) {
    if (event.aux?.Digest) return event.aux.Digest;
    const match = /digest: (sha256:[0-9a-f]{64})/.exec(event.status ?? "");
    if (match?.[1]) return match[1];
  }
  return undefined;
}

export interface PushOptions {
  /** The local image to push, e.g. `127.0.0.1:5000/acme/security-gate:0.2.0`. */
  image: string;
  /** The registry repository, with its host. */
  repository: string;
  tags: readonly string[];
  insecure: boolean;
  auth: RegistryAuth | undefined;
  registry: string;
}

/** Tags the image as `repository:tag` for each tag and pushes it; returns each tag's manifest digest. */
export async function pushTags(options: PushOptions): Promise<Record<string, string>> {
  const client = docker();
  const digests: Record<string, string> = {};
  for (const tag of options.tags) {
    await client.getImage(options.image).tag({ repo: options.repository, tag });
    const stream = await client.getImage(options.repository).push({
      tag,
      // podman's compat API: plain HTTP (or unverified TLS) for this push; Docker ignores it.
      ...(options.insecure ? { tlsVerify: false } : {}),
      authconfig: options.auth
        ? { ...options.auth, serveraddress: options.registry }
        : { serveraddress: options.registry },
    });
    const events: PushEvent[] = [];
    await new Promise<void>((resolve, reject) => {
      client.modem.followProgress(
        stream,
        (error: Error | null) => (error ? reject(error) : resolve()),
        (event: PushEvent) => events.push(event),
      );
    });
    const failure = events.find((event) => event.error);
    if (failure)
      throw new PipeError(
        `pushing ${options.repository}:${tag} failed: ${failure.errorDetail?.message ?? failure.error}`,
        {
          code: "PUSH_FAILED",
          suggestion: options.insecure
            ? "Is the registry up? For Docker with a registry not on 127.0.0.0/8, add it to daemon.json insecure-registries."
            : "Check RELEASE_REGISTRY_USERNAME/PASSWORD; a plain-HTTP registry needs RELEASE_REGISTRY_INSECURE=true.",
        },
      );
    const digest = pushedDigest(events);
    if (!digest)
      throw new PipeError(`pushing ${options.repository}:${tag}: the engine reported no digest`, {
        code: "PUSH_FAILED",
      });
    digests[tag] = digest;
  }
  return digests;
}
