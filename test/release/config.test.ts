import { describe, expect, it } from "vitest";
import { releaseConfig } from "../../scripts/release/config.ts";

const file = {
  registry: "docker.io",
  org: "bitbucket-pipes",
  distributionRemote: "git@bitbucket.org:bitbucket-pipes/{name}.git",
  distributionBranch: "main",
};

describe("the release configuration", () => {
  it("comes from release.config.json, with the contract test on and TLS to Docker Hub", () => {
    expect(releaseConfig(file, {})).toEqual({
      registry: "docker.io",
      org: "bitbucket-pipes",
      distributionRemote: "git@bitbucket.org:bitbucket-pipes/{name}.git",
      distributionBranch: "main",
      insecureRegistry: false,
      contractTest: true,
      registryAuth: undefined,
    });
  });

  it("is overridden by RELEASE_* variables; a loopback registry is plain HTTP unless told otherwise", () => {
    const env = {
      RELEASE_REGISTRY: "127.0.0.1:5000",
      RELEASE_ORG: "acme",
      RELEASE_DIST_REMOTE_TEMPLATE: "file:///srv/git/{name}.git",
      RELEASE_SKIP_CONTRACT_TEST: "1",
      RELEASE_REGISTRY_USERNAME: "ci",
      RELEASE_REGISTRY_PASSWORD: "s3cret",
    };
    expect(releaseConfig(file, env)).toMatchObject({
      registry: "127.0.0.1:5000",
      org: "acme",
      distributionRemote: "file:///srv/git/{name}.git",
      insecureRegistry: true,
      contractTest: false,
      registryAuth: { username: "ci", password: "s3cret" },
    });
    expect(releaseConfig(file, { ...env, RELEASE_REGISTRY_INSECURE: "false" }).insecureRegistry).toBe(false);
  });

  it.each([
    [{ ...file, registy: "typo.example" }, /registy/],
    [
      { ...file, distributionRemote: "git@bitbucket.org:acme/pipe.git" },
      /distributionRemote: must contain \{name\}/,
    ],
  ])("names what is wrong in the file: %j", (content, message) => {
    expect(() => releaseConfig(content, {})).toThrow(message);
  });

  it("explains a flag that is not a boolean and a remote without {name}", () => {
    expect(() => releaseConfig(file, { RELEASE_SKIP_CONTRACT_TEST: "please" })).toThrow(
      'RELEASE_SKIP_CONTRACT_TEST="please" is not a boolean',
    );
    expect(() => releaseConfig(file, { RELEASE_DIST_REMOTE_TEMPLATE: "file:///srv/git/pipe.git" })).toThrow(
      "does not contain {name}",
    );
  });
});
