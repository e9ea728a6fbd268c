/**
 * What a release of one pipe does, decided from data only: the pipe's version, the tags its
 * distribution repository already has, and the configuration. A version is released when the
 * distribution repository has its tag `X.Y.Z` (the last thing a release pushes). The moving tags
 * `X.Y` and `X` follow the newest release of their minor and major, and never go back: releasing
 * 1.2.4 after 1.3.0 moves `1.2`, not `1`.
 */
import { compareVersions, parseVersion, type Version } from "@pipes/core";
import type { ReleaseConfig } from "./config.ts";
import type { ReleasablePipe } from "./pipes.ts";

export interface AlreadyReleased {
  action: "none";
  pipe: ReleasablePipe;
  remote: string;
}

export interface PipeRelease {
  action: "release";
  pipe: ReleasablePipe;
  version: string;
  /** The distribution repository's git remote. */
  remote: string;
  /** `X.Y.Z` first, then the moving tags that move to this version. */
  tags: string[];
  /** `org/name`: the image without registry host and tag. */
  imagePath: string;
  /** The repository to push to, with the registry host: `127.0.0.1:5000/acme/security-gate`, `docker.io/org/name`. */
  imageRepository: string;
  /** The image as pipe.yml names it: Docker Hub's without its host. */
  pipeYmlImage: string;
  /** Whether the distribution branch moves to this version (it is the newest release of all). */
  updateBranch: boolean;
}

export type ReleasePlan = AlreadyReleased | PipeRelease;

/** The released versions among a repository's tag names (`1.2.3` or `v1.2.3`; moving tags are not versions). */
export function releasedVersions(tagNames: readonly string[]): Version[] {
  return tagNames.map(parseVersion).filter((v): v is Version => v !== undefined);
}

/** The moving tags (`X.Y`, `X`) that a release of `version` moves, given the versions already released. */
export function movingTags(version: Version, released: readonly Version[]): string[] {
  if (version.prerelease) return [];
  const stable = released.filter((v) => !v.prerelease);
  const newerIn = (same: (v: Version) => boolean) =>
    stable.some((v) => same(v) && compareVersions(v, version) > 0);
  const tags: string[] = [];
  if (!newerIn((v) => v.major === version.major && v.minor === version.minor))
    tags.push(`${version.major}.${version.minor}`);
  if (!newerIn((v) => v.major === version.major)) tags.push(`${version.major}`);
  return tags;
}

export function distributionRemote(config: ReleaseConfig, pipe: ReleasablePipe): string {
  return config.distributionRemote.replaceAll("{name}", pipe.name);
}

/** `org/name` of the pipe's image, with the configured organisation. */
export function imagePath(config: ReleaseConfig, pipe: ReleasablePipe): string {
  const [org, ...rest] = pipe.image.split("/");
  return `${config.org ?? org}/${rest.join("/")}`;
}

export function planRelease(
  pipe: ReleasablePipe,
  remoteTags: readonly string[],
  config: ReleaseConfig,
): ReleasePlan {
  const remote = distributionRemote(config, pipe);
  const version = parseVersion(pipe.version);
  if (!version)
    throw new Error(`${pipe.name}: version "${pipe.version}" of package.json is not a semantic version`);
  const released = releasedVersions(remoteTags);
  if (released.some((v) => compareVersions(v, version) === 0)) return { action: "none", pipe, remote };
  const repository = imagePath(config, pipe);
  const dockerHub = config.registry === "docker.io";
  return {
    action: "release",
    pipe,
    version: pipe.version,
    remote,
    tags: [pipe.version, ...movingTags(version, released)],
    imagePath: repository,
    imageRepository: `${config.registry}/${repository}`,
    pipeYmlImage: `${dockerHub ? "" : `${config.registry}/`}${repository}:${pipe.version}`,
    updateBranch:
      !version.prerelease && !released.some((v) => !v.prerelease && compareVersions(v, version) > 0),
  };
}
