/**
 * Runs a pipe image the way Bitbucket Pipelines runs a pipe: the clone directory mounted at
 * /opt/atlassian/pipelines/agent/build as the working directory, the pipe's variables as environment
 * (lists as NAME_COUNT/NAME_i), the BITBUCKET_* variables of a step, and the pipe storage
 * directories inside the clone. Talks to any Docker Engine API (DOCKER_HOST): Docker on a laptop,
 * podman's Docker-compatible service in CI.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import Docker from "dockerode";

export const CLONE_DIR = "/opt/atlassian/pipelines/agent/build";
export const SHARED_STORAGE_DIR = `${CLONE_DIR}/.bitbucket/pipelines/generated/pipeline/pipes`;

export type VariableValue = string | number | boolean | readonly string[];

/** A pipe's variables as Bitbucket passes them: scalars as text, YAML lists as NAME_COUNT + NAME_i. */
export function pipeEnvironment(variables: Readonly<Record<string, VariableValue>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (Array.isArray(value)) {
      env[`${name}_COUNT`] = String(value.length);
      value.forEach((item, i) => {
        env[`${name}_${i}`] = item;
      });
    } else env[name] = String(value);
  }
  return env;
}

export interface StepContext {
  workspace?: string;
  repoSlug?: string;
  repoUuid?: string;
  commit?: string;
  branch?: string;
  tag?: string;
  prId?: number;
  prDestinationBranch?: string;
  buildNumber?: number;
  deploymentEnvironment?: string;
  oidcToken?: string;
}

/** The BITBUCKET_* variables of a step, as Pipelines sets them for a pipe named `owner/pipe`. */
export function stepEnvironment(pipe: string, step: StepContext = {}): Record<string, string> {
  const workspace = step.workspace ?? "acme";
  const repoSlug = step.repoSlug ?? "infrastructure";
  const env: Record<string, string | undefined> = {
    CI: "true",
    BITBUCKET_CLONE_DIR: CLONE_DIR,
    BITBUCKET_WORKSPACE: workspace,
    BITBUCKET_REPO_OWNER: workspace,
    BITBUCKET_REPO_SLUG: repoSlug,
    BITBUCKET_REPO_FULL_NAME: `${workspace}/${repoSlug}`,
    BITBUCKET_REPO_UUID: step.repoUuid ?? "{9f1c2a7e-3b4d-4e5f-8a6b-7c8d9e0f1a2b}",
    BITBUCKET_COMMIT: step.commit,
    BITBUCKET_BRANCH: step.branch ?? (step.tag ? undefined : "main"),
    BITBUCKET_TAG: step.tag,
    BITBUCKET_PR_ID: step.prId === undefined ? undefined : String(step.prId),
    BITBUCKET_PR_DESTINATION_BRANCH: step.prDestinationBranch,
    BITBUCKET_BUILD_NUMBER: String(step.buildNumber ?? 1),
    BITBUCKET_PIPELINE_UUID: "{1a2b3c4d-0000-4000-8000-00000000aaaa}",
    BITBUCKET_STEP_UUID: "{1a2b3c4d-0000-4000-8000-00000000bbbb}",
    BITBUCKET_DEPLOYMENT_ENVIRONMENT: step.deploymentEnvironment,
    BITBUCKET_STEP_OIDC_TOKEN: step.oidcToken,
    BITBUCKET_PIPE_SHARED_STORAGE_DIR: SHARED_STORAGE_DIR,
    BITBUCKET_PIPE_STORAGE_DIR: `${SHARED_STORAGE_DIR}/${pipe}`,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

export function docker(): Docker {
  // dockerode reads DOCKER_HOST itself; podman's socket is a unix:// URL.
  return new Docker();
}

export interface BuildOptions {
  /** The pipe's folder: its Dockerfile and build context. */
  contextDir: string;
  tag: string;
  buildArgs?: Record<string, string>;
  /**
   * Top-level entries of the context to send; default: those of Dockerfile, .dockerignore, dist, rules,
   * data, policies (policy-gate's library), providers and package.json that exist.
   */
  entries?: string[];
  onOutput?: (line: string) => void;
}

/** Builds an image from a pipe's own Dockerfile through the Engine API. */
export async function buildImage(options: BuildOptions): Promise<void> {
  const entries = (
    options.entries ?? [
      "Dockerfile",
      ".dockerignore",
      "dist",
      "rules",
      "data",
      "policies",
      "providers",
      "package.json",
    ]
  ).filter((entry) => existsSync(path.join(options.contextDir, entry)));
  const client = docker();
  const stream = await client.buildImage(
    { context: options.contextDir, src: entries },
    { t: options.tag, buildargs: options.buildArgs ?? {}, pull: false, rm: true, forcerm: true },
  );
  const errors: string[] = [];
  await new Promise<void>((resolve, reject) => {
    client.modem.followProgress(
      stream,
      (error: Error | null) => (error ? reject(error) : resolve()),
      (event: { stream?: string; error?: string; errorDetail?: { message?: string } }) => {
        if (event.error) errors.push(event.errorDetail?.message ?? event.error);
        if (event.stream)
          for (const line of event.stream.split("\n")) if (line.trim()) options.onOutput?.(line);
      },
    );
  });
  if (errors.length > 0) throw new Error(`building ${options.tag} failed: ${errors.join("\n")}`);
}

export interface RunOptions {
  image: string;
  /** `owner/name` as in `pipe: owner/name:version`; names the pipe storage directory. */
  pipe: string;
  /** Host folder with the git clone: mounted as the clone directory and working directory. */
  cloneDir: string;
  variables?: Readonly<Record<string, VariableValue>>;
  step?: StepContext;
  /** Extra raw environment (e.g. NO_COLOR). */
  env?: Record<string, string>;
  timeoutMs?: number;
  onOutput?: (text: string) => void;
}

export interface PipeRunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr in arrival order. */
  output: string;
  /** Milliseconds from container start to its first byte of output. */
  firstOutputMs: number | undefined;
  durationMs: number;
}

/** Runs a pipe image as Bitbucket would, and returns its exit code and logs. The container is removed. */
export async function runPipeContainer(options: RunOptions): Promise<PipeRunResult> {
  const client = docker();
  const env = {
    ...stepEnvironment(options.pipe, options.step),
    ...pipeEnvironment(options.variables ?? {}),
    ...options.env,
  };
  const container = await client.createContainer({
    Image: options.image,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    WorkingDir: CLONE_DIR,
    Labels: { "org.bitbucket.pipelines.system": "true" },
    HostConfig: {
      Binds: [`${path.resolve(options.cloneDir)}:${CLONE_DIR}`],
      NetworkMode: "host",
      AutoRemove: false,
    },
  });
  let stdout = "";
  let stderr = "";
  let output = "";
  let firstOutputAt: number | undefined;
  const attach = await container.attach({ stream: true, stdout: true, stderr: true });
  const out = new PassThrough();
  const err = new PassThrough();
  const collect = (kind: "out" | "err") => (chunk: Buffer) => {
    firstOutputAt ??= Date.now();
    const text = chunk.toString("utf8");
    if (kind === "out") stdout += text;
    else stderr += text;
    output += text;
    options.onOutput?.(text);
  };
  out.on("data", collect("out"));
  err.on("data", collect("err"));
  client.modem.demuxStream(attach, out, err);
  const ended = new Promise<void>((resolve) => attach.on("end", resolve));
  const started = Date.now();
  await container.start();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`pipe ${options.pipe} ran longer than ${options.timeoutMs} ms`)),
      options.timeoutMs ?? 900_000,
    );
  });
  try {
    const status = (await Promise.race([container.wait(), timeout])) as { StatusCode: number };
    await Promise.race([ended, new Promise((r) => setTimeout(r, 2000))]);
    return {
      exitCode: status.StatusCode,
      stdout,
      stderr,
      output,
      firstOutputMs: firstOutputAt === undefined ? undefined : firstOutputAt - started,
      durationMs: Date.now() - started,
    };
  } finally {
    clearTimeout(timer);
    await container.remove({ force: true }).catch(() => undefined);
  }
}
