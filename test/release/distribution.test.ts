import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  distributionFiles,
  distributionPipeYml,
  withPipeVersion,
} from "../../scripts/release/distribution.ts";
import { labelDockerfile, pushedDigest, releaseLabels } from "../../scripts/release/image.ts";

const pipeDir = path.resolve(import.meta.dirname, "../../pipes/security-gate");
const generated = readFileSync(path.join(pipeDir, "pipe.yml"), "utf8");

describe("the distribution repository's files", () => {
  it("pipe.yml names the released image and says where it is made, the rest as generated", () => {
    const published = distributionPipeYml(
      generated,
      "127.0.0.1:5000/acme/security-gate:0.2.0",
      "security-gate",
    );
    expect(published.split("\n")[0]).toBe(
      "# Published by `npm run release` from pipes/security-gate of the pipes monorepo: change it there.",
    );
    const before = parse(generated);
    expect(parse(published)).toEqual({ ...before, image: "127.0.0.1:5000/acme/security-gate:0.2.0" });
  });

  it("the README's YAML definition names the released version, other pipes untouched", () => {
    const readme = [
      "## YAML Definition",
      "```yaml",
      "script:",
      "  - pipe: bitbucket-pipes/security-gate:0.1.0",
      "  - pipe:   bitbucket-pipes/security-gate:1",
      "  - pipe: bitbucket-pipes/security-gate-extra:0.1.0",
      "  - pipe: atlassian/aws-s3-deploy:1.1.0",
      "```",
    ].join("\n");
    expect(withPipeVersion(readme, "bitbucket-pipes/security-gate", "0.2.0").split("\n").slice(3, 7)).toEqual(
      [
        "  - pipe: bitbucket-pipes/security-gate:0.2.0",
        "  - pipe:   bitbucket-pipes/security-gate:0.2.0",
        "  - pipe: bitbucket-pipes/security-gate-extra:0.1.0",
        "  - pipe: atlassian/aws-s3-deploy:1.1.0",
      ],
    );
  });

  it("are pipe.yml, README.md, CHANGELOG.md and the SBOM", () => {
    const files = distributionFiles(
      { pipeYml: generated, readme: "# Security gate\n", changelog: "# @pipes/security-gate\n" },
      {
        pipeName: "security-gate",
        reference: "bitbucket-pipes/security-gate",
        version: "0.2.0",
        image: "x/y:0.2.0",
        sbom: "{}\n",
      },
    );
    expect(Object.keys(files).sort()).toEqual(["CHANGELOG.md", "README.md", "pipe.yml", "sbom.cdx.json"]);
  });
});

describe("the release labels of an image", () => {
  const labels = releaseLabels({
    version: "0.2.0",
    revision: "0123456789abcdef0123456789abcdef01234567",
    source: "https://bitbucket.org/acme/pipes",
    created: "2026-11-28T12:00:00Z",
    sbomSha256: "ab".repeat(32),
    sbomUrl: "https://bitbucket.org/bitbucket-pipes/security-gate/raw/0.2.0/sbom.cdx.json",
  });

  it("are the OCI annotations and the SBOM's digest and address", () => {
    expect(Object.keys(labels)).toEqual([
      "org.opencontainers.image.version",
      "org.opencontainers.image.revision",
      "org.opencontainers.image.source",
      "org.opencontainers.image.created",
      "bitbucket-pipes.sbom.sha256",
      "bitbucket-pipes.sbom.url",
      "bitbucket-pipes.sbom.format",
    ]);
  });

  it("go into a Dockerfile as quoted LABEL lines", () => {
    expect(labelDockerfile("acme/security-gate:0.2.0-unstamped", { "a.b": 'say "hi"' })).toBe(
      'FROM acme/security-gate:0.2.0-unstamped\nLABEL "a.b"="say \\"hi\\""\n',
    );
    expect(() => labelDockerfile("x", { a: "two\nlines" })).toThrow("one line");
  });
});

describe("the digest of a push", () => {
  const digest = `sha256:${"c3".repeat(32)}`;
  it.each([
    [
      "podman's status line",
      [{ status: "The push refers to repository [r/x:1]" }, { status: `1: digest: ${digest} size: 429` }],
    ],
    ["Docker's aux message", [{ status: "Pushed" }, { aux: { Tag: "1", Digest: digest } }]],
  ])("is read from %s", (_engine, events) => {
    expect(pushedDigest(events)).toBe(digest);
  });
});
