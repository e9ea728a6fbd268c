import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import {
  cycloneDxSbom,
  npmClosure,
  type PackageLock,
  parseVersionsEnv,
  toolPinMismatches,
  toolsFromLabels,
} from "../../scripts/release/sbom.ts";

const root = path.resolve(import.meta.dirname, "../..");
const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as PackageLock;
const pins = parseVersionsEnv(readFileSync(path.join(root, "docker/versions.env"), "utf8"));
const labels = JSON.parse(
  readFileSync(path.join(import.meta.dirname, "fixtures/security-gate-image-labels.json"), "utf8"),
) as Record<string, string>;

/** The official CycloneDX 1.6 JSON schema, shipped by @cyclonedx/cyclonedx-library. */
function cycloneDxValidator() {
  const dir = path.join(root, "node_modules/@cyclonedx/cyclonedx-library/res/schema");
  const read = (name: string) => JSON.parse(readFileSync(path.join(dir, name), "utf8"));
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  ajv.addFormat("idn-email", true).addFormat("iri-reference", true);
  // bom-1.6 refers to the SNAPSHOT file names; the files' own $id lack the suffix.
  ajv.addSchema({
    ...read("spdx.SNAPSHOT.schema.json"),
    $id: "http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json",
  });
  ajv.addSchema({
    ...read("jsf-0.82.SNAPSHOT.schema.json"),
    $id: "http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json",
  });
  return ajv.compile(read("bom-1.6.SNAPSHOT.schema.json"));
}

describe("the npm packages of a pipe's bundle", () => {
  const closure = npmClosure(lock, "pipes/security-gate");
  const names = closure.map((p) => p.name);

  it("follows the workspace links to the shared packages and their dependencies", () => {
    expect(closure.filter((p) => p.workspace).map((p) => p.name)).toEqual([
      "@pipes/bitbucket",
      "@pipes/core",
      "@pipes/oidc",
      "@pipes/reports",
    ]);
    expect(names).toEqual(
      expect.arrayContaining(["zod", "yaml", "execa", "jose", "picomatch", "@aws-sdk/client-sts"]),
    );
  });

  it("leaves out what only the tests and tools of the repository use", () => {
    for (const name of [
      "dockerode",
      "vitest",
      "openapi-backend",
      "@pipes/testkit",
      "@pipes/cli",
      "typescript",
      "tsup",
    ])
      expect(names).not.toContain(name);
  });

  it("carries each registry package's version, integrity and licence from the lockfile", () => {
    expect(closure.find((p) => p.name === "zod")).toEqual({
      name: "zod",
      version: lock.packages["node_modules/zod"]?.version,
      workspace: false,
      integrity: lock.packages["node_modules/zod"]?.integrity,
      license: "MIT",
    });
  });
});

describe("the tools of a pipe image", () => {
  it("are read from the image's own labels, with the SHA-256 the tools image recorded", () => {
    expect(toolsFromLabels(labels)).toEqual([
      { name: "checkov", version: "3.3.30", sha256: labels["bitbucket-pipes.tools.checkov.sha256"] },
      { name: "gitleaks", version: "8.30.1", sha256: labels["bitbucket-pipes.tools.gitleaks.sha256"] },
      { name: "semgrep", version: "1.185.0", sha256: labels["bitbucket-pipes.tools.semgrep.sha256"] },
      { name: "trivy", version: "0.74.0", sha256: labels["bitbucket-pipes.tools.trivy.sha256"] },
    ]);
  });

  it("must be the pins of docker/versions.env", () => {
    const tools = toolsFromLabels(labels);
    expect(toolPinMismatches(tools, pins)).toEqual([]);
    expect(toolPinMismatches(tools, { ...pins, TRIVY_VERSION: "0.75.0" })).toEqual([
      "trivy 0.74.0 in the image, 0.75.0 in docker/versions.env",
    ]);
  });
});

describe("the SBOM of a release", () => {
  const sbom = cycloneDxSbom({
    subject: {
      image: "bitbucket-pipes/security-gate",
      version: "0.2.0",
      repositoryUrl: "https://bitbucket.org/bitbucket-pipes/security-gate",
      revision: "0123456789abcdef0123456789abcdef01234567",
    },
    npm: npmClosure(lock, "pipes/security-gate"),
    tools: toolsFromLabels(labels),
    pins,
    labels,
    created: "2026-11-28T12:00:00Z",
    serialNumber: "3e671687-395b-41f5-a30f-a58921a69b79",
  });
  const components = sbom.components as {
    name: string;
    version: string;
    purl?: string;
    description?: string;
  }[];

  it("is valid CycloneDX 1.6", () => {
    const validate = cycloneDxValidator();
    expect(validate(sbom), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it("lists the scanners by package URL, Node.js, and says the base image was built locally", () => {
    expect(components.find((c) => c.name === "trivy")?.purl).toBe(
      "pkg:golang/github.com/aquasecurity/trivy@v0.74.0",
    );
    expect(components.find((c) => c.name === "checkov")?.purl).toBe("pkg:pypi/checkov@3.3.30");
    expect(components.find((c) => c.name === "node")?.version).toBe(pins.NODE_VERSION);
    const base = components.find((c) => c.name === "docker.io/library/node");
    expect(base?.description).toContain("built locally");
    expect(base?.purl).toBeUndefined();
    expect(components.find((c) => c.name === "bitbucket-pipes/security-tools")?.version).toBe(
      pins.SECURITY_TOOLS_VERSION,
    );
  });

  it("names the official base image by digest when the image was built on it", () => {
    const { "bitbucket-pipes.base.local-build": _local, ...official } = labels;
    const onOfficial = cycloneDxSbom({
      subject: { image: "x/y", version: "1.0.0", repositoryUrl: "https://bitbucket.org/x/y", revision: "r" },
      npm: [],
      tools: [],
      pins,
      labels: official,
      created: "2026-11-28T12:00:00Z",
      serialNumber: "3e671687-395b-41f5-a30f-a58921a69b79",
    });
    const base = (onOfficial.components as { name: string; purl?: string }[]).find(
      (c) => c.name === "docker.io/library/node",
    );
    expect(base?.purl).toBe(
      `pkg:oci/node@${encodeURIComponent(pins.NODE_IMAGE_DIGEST ?? "")}?repository_url=docker.io/library/node&tag=24.21.0-bookworm-slim`,
    );
  });
});
