import { parseVersion } from "@pipes/core";
import { describe, expect, it } from "vitest";
import { releaseConfig } from "../../scripts/release/config.ts";
import type { ReleasablePipe } from "../../scripts/release/pipes.ts";
import { movingTags, planRelease, releasedVersions } from "../../scripts/release/plan.ts";

const pipe = (version: string): ReleasablePipe => ({
  name: "security-gate",
  dir: "/repo/pipes/security-gate",
  packageName: "@pipes/security-gate",
  version,
  image: "bitbucket-pipes/security-gate",
  repositoryUrl: "https://bitbucket.org/bitbucket-pipes/security-gate",
  reference: "bitbucket-pipes/security-gate",
});

const hub = releaseConfig(
  {
    registry: "docker.io",
    org: "bitbucket-pipes",
    distributionRemote: "git@bitbucket.org:bitbucket-pipes/{name}.git",
  },
  {},
);

function moving(version: string, released: string[]): string[] {
  const parsed = parseVersion(version);
  if (!parsed) throw new Error(version);
  return movingTags(parsed, releasedVersions(released));
}

describe("which moving tags a release moves", () => {
  it.each([
    ["0.1.0", [], ["0.1", "0"]],
    ["1.2.4", ["1.2.3", "1.3.0", "1.2", "1.3", "1"], ["1.2"]],
    ["1.3.1", ["1.2.3", "1.3.0"], ["1.3", "1"]],
    ["2.0.0", ["1.9.0"], ["2.0", "2"]],
    ["1.10.0", ["1.9.0", "1.9"], ["1.10", "1"]],
    ["1.4.0-rc.1", ["1.3.0"], []],
    ["1.4.0", ["1.4.0-rc.1", "v1.3.0"], ["1.4", "1"]],
  ])("%s after %j: %j", (version, released, expected) => {
    expect(moving(version, released)).toEqual(expected);
  });
});

describe("the release plan of a pipe", () => {
  it("says a version is released when its X.Y.Z tag is in the distribution repository", () => {
    const plan = planRelease(pipe("0.1.0"), ["0.1.0", "0.1", "0"], hub);
    expect(plan).toMatchObject({
      action: "none",
      remote: "git@bitbucket.org:bitbucket-pipes/security-gate.git",
    });
  });

  it("releases a new version to Docker Hub, whose host pipe.yml leaves out", () => {
    const plan = planRelease(pipe("0.2.0"), ["0.1.0", "0.1", "0"], hub);
    expect(plan).toEqual({
      action: "release",
      pipe: pipe("0.2.0"),
      version: "0.2.0",
      remote: "git@bitbucket.org:bitbucket-pipes/security-gate.git",
      tags: ["0.2.0", "0.2", "0"],
      imagePath: "bitbucket-pipes/security-gate",
      imageRepository: "docker.io/bitbucket-pipes/security-gate",
      pipeYmlImage: "bitbucket-pipes/security-gate:0.2.0",
      updateBranch: true,
    });
  });

  it("names another registry and organisation in pipe.yml", () => {
    const local = releaseConfig(undefined, {
      RELEASE_REGISTRY: "127.0.0.1:5000",
      RELEASE_ORG: "acme",
      RELEASE_DIST_REMOTE_TEMPLATE: "file:///srv/git/{name}.git",
    });
    const plan = planRelease(pipe("1.0.0"), [], local);
    expect(plan).toMatchObject({
      imageRepository: "127.0.0.1:5000/acme/security-gate",
      pipeYmlImage: "127.0.0.1:5000/acme/security-gate:1.0.0",
      remote: "file:///srv/git/security-gate.git",
    });
  });

  it("leaves the distribution branch on the newest release when an older line gets a fix", () => {
    const plan = planRelease(pipe("1.2.4"), ["1.2.3", "1.3.0"], hub);
    expect(plan).toMatchObject({ action: "release", tags: ["1.2.4", "1.2"], updateBranch: false });
  });
});
