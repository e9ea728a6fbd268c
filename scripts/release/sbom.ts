/**
 * The software bill of materials of a pipe image, as CycloneDX 1.6 JSON
 * (https://cyclonedx.org/docs/1.6/json/): what the release knows for certain.
 *
 * - npm packages: the production dependency closure of the pipe's workspace in package-lock.json,
 *   following workspace links (@pipes/core → its own dependencies). The bundle is built from these;
 *   esbuild may leave parts of them out, never add others.
 * - the scanners: each tool's version and SHA-256 from the built image's own labels
 *   (`bitbucket-pipes.tools.<tool>.version|sha256`, set by docker/security-tools), checked against
 *   docker/versions.env;
 * - Node.js, the base image and the security-tools image from docker/versions.env.
 *
 * Not listed: the Debian packages of the base image and of the apt layer (`trivy image` or syft
 * make a whole-image SBOM).
 */

export interface PackageLock {
  packages: Record<
    string,
    {
      name?: string;
      version?: string;
      resolved?: string;
      integrity?: string;
      license?: string;
      link?: boolean;
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
    }
  >;
}

export interface NpmPackage {
  name: string;
  version: string;
  /** A package of this repository (a workspace), not from the registry. */
  workspace: boolean;
  integrity?: string;
  license?: string;
}

function nameFromLocation(location: string): string {
  const at = location.lastIndexOf("node_modules/");
  return location.slice(at + "node_modules/".length);
}

/** Where Node's resolution finds `name` required from the package at `from` (a lockfile location). */
function resolveLocation(lock: PackageLock, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!base) return undefined;
    const parent = base.lastIndexOf("/node_modules/");
    base = parent >= 0 ? base.slice(0, parent) : "";
  }
}

/** The npm packages a workspace (e.g. `pipes/security-gate`) needs at run time, itself excluded. */
export function npmClosure(lock: PackageLock, workspace: string): NpmPackage[] {
  if (!lock.packages[workspace]) throw new Error(`package-lock.json has no workspace "${workspace}"`);
  const seen = new Set<string>([workspace]);
  const queue = [workspace];
  const found = new Map<string, NpmPackage>();
  while (queue.length > 0) {
    const location = queue.shift() as string;
    const entry = lock.packages[location];
    if (!entry) continue;
    const needs = { ...entry.peerDependencies, ...entry.optionalDependencies, ...entry.dependencies };
    for (const name of Object.keys(needs)) {
      let target = resolveLocation(lock, location, name);
      if (!target) continue; // an optional dependency for another platform, or an unmet peer
      const linked = lock.packages[target];
      if (linked?.link && linked.resolved) target = linked.resolved;
      if (seen.has(target)) continue;
      seen.add(target);
      queue.push(target);
      const pkg = lock.packages[target];
      if (!pkg?.version) continue;
      const workspacePackage = !target.includes("node_modules/");
      const packageName = pkg.name ?? nameFromLocation(target);
      found.set(`${packageName}@${pkg.version}`, {
        name: packageName,
        version: pkg.version,
        workspace: workspacePackage,
        ...(pkg.integrity ? { integrity: pkg.integrity } : {}),
        ...(pkg.license ? { license: pkg.license } : {}),
      });
    }
  }
  return [...found.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version),
  );
}

/** `KEY=value` lines of docker/versions.env; comments and blank lines skipped. */
export function parseVersionsEnv(text: string): Record<string, string> {
  const pins: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^\s*([A-Z][A-Z0-9_]*)=(.*?)\s*$/.exec(line);
    if (match?.[1]) pins[match[1]] = (match[2] ?? "").replace(/^["']|["']$/g, "");
  }
  return pins;
}

/** Package URLs (https://github.com/package-url/purl-spec) of the tools the images carry. */
const TOOL_PURLS: Record<string, (version: string) => string> = {
  checkov: (v) => `pkg:pypi/checkov@${v}`,
  semgrep: (v) => `pkg:pypi/semgrep@${v}`,
  trivy: (v) => `pkg:golang/github.com/aquasecurity/trivy@v${v}`,
  gitleaks: (v) => `pkg:golang/github.com/zricethezav/gitleaks/v8@v${v}`,
};

export interface Tool {
  name: string;
  version: string;
  /** SHA-256 from the image label: of the installed wheel (Python tools) or of the binary (Go tools). */
  sha256?: string;
}

/** The tools an image's labels name (`bitbucket-pipes.tools.<tool>.version`). */
export function toolsFromLabels(labels: Readonly<Record<string, string>>): Tool[] {
  const tools: Tool[] = [];
  for (const [key, version] of Object.entries(labels)) {
    const match = /^bitbucket-pipes\.tools\.([a-z0-9-]+)\.version$/.exec(key);
    if (!match?.[1]) continue;
    const sha256 = labels[`bitbucket-pipes.tools.${match[1]}.sha256`];
    tools.push({ name: match[1], version, ...(sha256 ? { sha256 } : {}) });
  }
  return tools.sort((a, b) => a.name.localeCompare(b.name));
}

/** Each tool whose labelled version is not the pin of docker/versions.env (`<TOOL>_VERSION`). */
export function toolPinMismatches(tools: readonly Tool[], pins: Readonly<Record<string, string>>): string[] {
  return tools.flatMap((tool) => {
    const pinned = pins[`${tool.name.toUpperCase().replaceAll("-", "_")}_VERSION`];
    return pinned === undefined || pinned === tool.version
      ? []
      : [`${tool.name} ${tool.version} in the image, ${pinned} in docker/versions.env`];
  });
}

export interface SbomSubject {
  /** `org/name`. */
  image: string;
  version: string;
  /** Web address of the pipe's distribution repository. */
  repositoryUrl: string;
  /** The git revision of this repository the image was built from. */
  revision: string;
}

export interface SbomInputs {
  subject: SbomSubject;
  npm: readonly NpmPackage[];
  tools: readonly Tool[];
  pins: Readonly<Record<string, string>>;
  /** The image labels: the base image and whether it was built locally. */
  labels: Readonly<Record<string, string>>;
  /** ISO 8601, the image's `org.opencontainers.image.created`. */
  created: string;
  /** A random UUID (the caller's: this module has no randomness). */
  serialNumber: string;
}

type Component = Record<string, unknown>;

function npmPurl(pkg: NpmPackage): string {
  return `pkg:npm/${pkg.name.replace(/^@/, "%40")}@${pkg.version}`;
}

function integrityHash(integrity: string | undefined): Component[] {
  const match = /^sha512-(.+)$/.exec(integrity ?? "");
  if (!match?.[1]) return [];
  return [{ alg: "SHA-512", content: Buffer.from(match[1], "base64").toString("hex") }];
}

function npmComponent(pkg: NpmPackage): Component {
  return {
    type: "library",
    "bom-ref": npmPurl(pkg),
    name: pkg.name,
    version: pkg.version,
    ...(pkg.workspace
      ? { description: "a package of the pipes monorepo, bundled into the pipe" }
      : { purl: npmPurl(pkg) }),
    ...(integrityHash(pkg.integrity).length > 0 ? { hashes: integrityHash(pkg.integrity) } : {}),
    ...(pkg.license ? { licenses: [{ expression: pkg.license }] } : {}),
  };
}

function toolComponent(tool: Tool): Component {
  const purl = TOOL_PURLS[tool.name]?.(tool.version);
  return {
    type: "application",
    "bom-ref": purl ?? `tool:${tool.name}@${tool.version}`,
    name: tool.name,
    version: tool.version,
    ...(purl ? { purl } : {}),
    ...(tool.sha256 ? { hashes: [{ alg: "SHA-256", content: tool.sha256 }] } : {}),
  };
}

function platformComponents(
  pins: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
) {
  const components: Component[] = [];
  if (pins.NODE_VERSION)
    components.push({
      type: "platform",
      "bom-ref": `pkg:generic/node@${pins.NODE_VERSION}`,
      name: "node",
      version: pins.NODE_VERSION,
      purl: `pkg:generic/node@${pins.NODE_VERSION}`,
    });
  if (pins.NODE_IMAGE_TAG) {
    const [repository, tag] = pins.NODE_IMAGE_TAG.split(":");
    const localBuild = labels["bitbucket-pipes.base.local-build"];
    components.push({
      type: "container",
      "bom-ref": `base:${pins.NODE_IMAGE_TAG}`,
      name: `docker.io/library/${repository}`,
      version: tag,
      ...(pins.NODE_IMAGE_DIGEST && !localBuild
        ? {
            purl: `pkg:oci/${repository}@${encodeURIComponent(pins.NODE_IMAGE_DIGEST)}?repository_url=docker.io/library/${repository}&tag=${tag}`,
          }
        : {}),
      ...(localBuild
        ? { description: `built locally in place of the official image: ${localBuild}` }
        : { description: "the official Node.js image, pinned by digest" }),
    });
  }
  const base = labels["org.opencontainers.image.base.name"];
  if (base && pins.SECURITY_TOOLS_VERSION && base.includes("security-tools"))
    components.push({
      type: "container",
      "bom-ref": `base:${base}`,
      name: base.replace(/:[^:/]+$/, ""),
      version: pins.SECURITY_TOOLS_VERSION,
      description: "the scanners' image the pipe is built FROM (docker/security-tools)",
    });
  if (base && pins.IAC_TOOLS_VERSION && base.includes("iac-tools"))
    components.push({
      type: "container",
      "bom-ref": `base:${base}`,
      name: base.replace(/:[^:/]+$/, ""),
      version: pins.IAC_TOOLS_VERSION,
      description: "the IaC tools' image the pipe is built FROM (docker/iac-tools)",
    });
  return components;
}

/** The CycloneDX document; `JSON.stringify(sbom, null, 2)` is the file. */
export function cycloneDxSbom(inputs: SbomInputs): Record<string, unknown> {
  const { subject } = inputs;
  return {
    $schema: "http://cyclonedx.org/schema/bom-1.6.schema.json",
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: `urn:uuid:${inputs.serialNumber}`,
    version: 1,
    metadata: {
      timestamp: inputs.created,
      tools: { components: [{ type: "application", name: "pipes release (scripts/release.ts)" }] },
      component: {
        type: "container",
        "bom-ref": `${subject.image}:${subject.version}`,
        name: subject.image,
        version: subject.version,
        externalReferences: [{ type: "distribution", url: subject.repositoryUrl }],
        properties: [{ name: "org.opencontainers.image.revision", value: subject.revision }],
      },
    },
    components: [
      ...inputs.npm.map(npmComponent),
      ...inputs.tools.map(toolComponent),
      ...platformComponents(inputs.pins, inputs.labels),
    ],
  };
}
