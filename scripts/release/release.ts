/**
 * The release of every pipe whose version has no release yet: bundle → image from the pipe's
 * Dockerfile → SBOM and release labels → container contract test → push `X.Y.Z` and the moving tags
 * → distribution repository with tags. The decisions are plan.ts's; this file only carries them out.
 */
import { createHash, randomUUID } from "node:crypto";
import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { type Env, errorMessage, type Logger, PipeError, runTool } from "@pipes/core";
import { buildImage } from "@pipes/testkit";
import { loadReleaseConfig, type ReleaseConfig } from "./config.ts";
import { distributionFiles, hasYamlDefinition, SBOM_FILE } from "./distribution.ts";
import { publishDistribution, remoteTags } from "./git-remote.ts";
import { imageLabels, pushTags, releaseLabels, removeTag, stampImage } from "./image.ts";
import { readPipes } from "./pipes.ts";
import { distributionRemote, type PipeRelease, planRelease } from "./plan.ts";
import {
  cycloneDxSbom,
  npmClosure,
  type PackageLock,
  parseVersionsEnv,
  toolPinMismatches,
  toolsFromLabels,
} from "./sbom.ts";

export interface ReleaseOptions {
  /** The repository root: `pipes/`, `package-lock.json`, `docker/versions.env`, `release.config.json`. */
  root: string;
  env: Env;
  log: Logger;
  /** Only say what would be released. */
  dryRun: boolean;
  now: () => Date;
}

export interface ReleaseOutcome {
  pipe: string;
  version: string;
  status: "released" | "already released" | "would release";
  /** Image tags pushed, with their manifest digest. */
  digests?: Record<string, string>;
  /** The distribution repository's release commit. */
  commit?: string;
}

/** Keeps the credentials of a remote URL (https://user:token@host/...) and the registry password out of the log. */
function maskCredentials(config: ReleaseConfig, remotes: readonly string[], log: Logger): void {
  log.masker.add(config.registryAuth?.password);
  for (const remote of remotes) {
    try {
      const url = new URL(remote);
      log.masker.add(url.password ? decodeURIComponent(url.password) : undefined);
      log.masker.add(url.password);
    } catch {
      // scp-like (git@host:path) or a path: no credentials in it
    }
  }
}

async function buildBundle(root: string, packageName: string, log: Logger): Promise<void> {
  await runTool(
    {
      tool: "npx",
      args: ["turbo", "run", "build", `--filter=${packageName}`, "--output-logs=errors-only"],
      cwd: root,
    },
    log,
  );
}

async function contractTest(root: string, plan: PipeRelease, image: string, log: Logger): Promise<void> {
  const file = path.join("test/container", `${plan.pipe.name}.test.ts`);
  const exists = await access(path.join(root, file)).then(
    () => true,
    () => false,
  );
  if (!exists)
    throw new PipeError(`${plan.pipe.name} has no container contract test (${file})`, {
      code: "NO_CONTRACT_TEST",
      suggestion:
        "Write one (see test/container/security-gate.test.ts), or release with RELEASE_SKIP_CONTRACT_TEST=1.",
    });
  await runTool(
    {
      tool: "npx",
      args: ["vitest", "run", "--project", "container", file],
      cwd: root,
      env: { REQUIRE_CONTAINER_ENGINE: "1", CONTRACT_TEST_IMAGE: image },
      stream: true,
      prefix: "  ",
    },
    log,
  );
}

/** What the image and the distribution repository say about the build. */
interface Provenance {
  revision: string;
  source: string;
  created: string;
}

/** Steps 1–3: the bundle, the image from the pipe's Dockerfile, its SBOM and release labels. */
async function buildReleaseImage(
  plan: PipeRelease,
  provenance: Provenance,
  options: ReleaseOptions,
): Promise<{ image: string; sbom: string }> {
  const { root, log } = options;
  const { pipe, version } = plan;
  log.info(`bundle: turbo build of ${pipe.packageName}`);
  await buildBundle(root, pipe.packageName, log);

  const image = `${plan.imageRepository}:${version}`;
  const unstamped = `${image}-unstamped`;
  log.info(`image: pipes/${pipe.name}/Dockerfile → ${image}`);
  await buildImage({
    contextDir: pipe.dir,
    tag: unstamped,
    buildArgs: { VERSION: version, REVISION: provenance.revision, SOURCE: provenance.source },
    onOutput: (line) => log.debug(line),
  });

  const labels = await imageLabels(unstamped);
  const pins = parseVersionsEnv(await readFile(path.join(root, "docker/versions.env"), "utf8"));
  const tools = toolsFromLabels(labels);
  const stale = toolPinMismatches(tools, pins);
  if (stale.length > 0)
    throw new PipeError(
      `${image} is built on tools other than docker/versions.env pins: ${stale.join("; ")}`,
      {
        code: "STALE_BASE_IMAGE",
        suggestion: "Rebuild the base images (bash docker/build-images.sh), then release again.",
      },
    );
  const lock = JSON.parse(await readFile(path.join(root, "package-lock.json"), "utf8")) as PackageLock;
  const document = cycloneDxSbom({
    subject: {
      image: plan.imagePath,
      version,
      repositoryUrl: pipe.repositoryUrl,
      revision: provenance.revision,
    },
    npm: npmClosure(lock, path.relative(root, pipe.dir).split(path.sep).join("/")),
    tools,
    pins,
    labels,
    created: provenance.created,
    serialNumber: randomUUID(),
  });
  const sbom = `${JSON.stringify(document, null, 2)}\n`;
  await stampImage(
    unstamped,
    image,
    releaseLabels({
      version,
      ...provenance,
      sbomSha256: createHash("sha256").update(sbom).digest("hex"),
      sbomUrl: `${pipe.repositoryUrl}/raw/${version}/${SBOM_FILE}`,
    }),
  );
  await removeTag(unstamped);
  return { image, sbom };
}

/** Step 5: every tag pushed, all with one digest. */
async function pushRelease(plan: PipeRelease, image: string, config: ReleaseConfig, log: Logger) {
  log.info(`push: ${plan.tags.map((tag) => `${plan.imageRepository}:${tag}`).join(", ")}`);
  const digests = await pushTags({
    image,
    repository: plan.imageRepository,
    tags: plan.tags,
    insecure: config.insecureRegistry,
    auth: config.registryAuth,
    registry: config.registry,
  });
  if (new Set(Object.values(digests)).size !== 1)
    throw new PipeError(
      `the tags of ${image} were pushed with different digests: ${JSON.stringify(digests)}`,
      {
        code: "DIGEST_MISMATCH",
      },
    );
  return digests;
}

/** Step 6: the distribution repository's release commit and tags. */
async function publishRelease(
  plan: PipeRelease,
  config: ReleaseConfig,
  release: { sbom: string; digest: string; revision: string },
  log: Logger,
): Promise<string> {
  const { pipe, version } = plan;
  const read = (name: string) => readFile(path.join(pipe.dir, name), "utf8");
  const folder = {
    pipeYml: await read("pipe.yml"),
    readme: await read("README.md"),
    changelog: await read("CHANGELOG.md"),
  };
  if (!hasYamlDefinition(folder.readme, pipe.reference))
    log.warn(
      `pipes/${pipe.name}/README.md shows consumers no YAML definition (\`pipe: ${pipe.reference}:<version>\`)`,
    );
  const [versionTag = version, ...movingTags] = plan.tags;
  const branch = plan.updateBranch ? ` and ${config.distributionBranch}` : "";
  log.info(`distribution: ${plan.tags.join(", ")}${branch} → ${plan.remote}`);
  return publishDistribution(
    {
      remote: plan.remote,
      branch: config.distributionBranch,
      files: distributionFiles(folder, {
        pipeName: pipe.name,
        reference: pipe.reference,
        version,
        image: plan.pipeYmlImage,
        sbom: release.sbom,
      }),
      message: `${pipe.name} ${version}\n\nImage ${plan.pipeYmlImage} (${release.digest}), built from ${release.revision}.`,
      versionTag,
      movingTags,
      updateBranch: plan.updateBranch,
    },
    log,
  );
}

async function releasePipe(
  plan: PipeRelease,
  config: ReleaseConfig,
  options: ReleaseOptions,
): Promise<ReleaseOutcome> {
  const { root, log, env } = options;
  const provenance: Provenance = {
    revision: (await runTool({ tool: "git", args: ["rev-parse", "HEAD"], cwd: root }, log)).stdout.trim(),
    source: env.BITBUCKET_GIT_HTTP_ORIGIN?.replace(/^http:/, "https:") ?? plan.pipe.repositoryUrl,
    created: options
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z"),
  };
  const { image, sbom } = await buildReleaseImage(plan, provenance, options);
  if (config.contractTest) {
    log.info(`contract test: test/container/${plan.pipe.name}.test.ts`);
    await contractTest(root, plan, image, log);
  } else log.warn(`contract test skipped (RELEASE_SKIP_CONTRACT_TEST): ${image} is pushed untested`);
  const digests = await pushRelease(plan, image, config, log);
  const digest = Object.values(digests)[0] ?? "";
  const commit = await publishRelease(plan, config, { sbom, digest, revision: provenance.revision }, log);
  return { pipe: plan.pipe.name, version: plan.version, status: "released", digests, commit };
}

export async function release(options: ReleaseOptions): Promise<ReleaseOutcome[]> {
  const { root, log } = options;
  const config = await loadReleaseConfig(root, options.env);
  const pipes = await readPipes(root);
  maskCredentials(
    config,
    pipes.map((pipe) => distributionRemote(config, pipe)),
    log,
  );
  const outcomes: ReleaseOutcome[] = [];
  for (const pipe of pipes) {
    const remote = distributionRemote(config, pipe);
    const tags = await remoteTags(remote, log).catch((error: unknown) => {
      throw new PipeError(
        `cannot read the tags of ${remote}, the distribution repository of ${pipe.name}: ${errorMessage(error)}`,
        {
          code: "DISTRIBUTION_UNREACHABLE",
          suggestion: `Check distributionRemote in release.config.json (or RELEASE_DIST_REMOTE_TEMPLATE) and this machine's git credentials for it.`,
          cause: error,
        },
      );
    });
    const plan = planRelease(pipe, tags, config);
    if (plan.action === "none") {
      log.info(`${pipe.name} ${pipe.version}: already released (tag ${pipe.version} in ${remote})`);
      outcomes.push({ pipe: pipe.name, version: pipe.version, status: "already released" });
      continue;
    }
    if (options.dryRun) {
      log.info(
        `${pipe.name} ${plan.version}: would push ${plan.tags.map((t) => `${plan.imageRepository}:${t}`).join(", ")} and tag ${plan.tags.join(", ")} in ${remote}`,
      );
      outcomes.push({ pipe: pipe.name, version: plan.version, status: "would release" });
      continue;
    }
    outcomes.push(await log.group(`${pipe.name} ${plan.version}`, () => releasePipe(plan, config, options)));
  }
  return outcomes;
}
