/**
 * Where a release goes: `release.config.json` at the repository root, each field overridden by a
 * RELEASE_* variable (CI sets the registry credentials; a test points everything at a local registry
 * and a bare git repository). Parsed once, here; everything else takes a `ReleaseConfig`.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { type Env, InputError, parseBooleanWord } from "@pipes/core";
import { z } from "zod";

export const CONFIG_FILE = "release.config.json";

const FileSchema = z
  .object({
    $comment: z.string().optional(),
    registry: z.string().min(1).optional(),
    org: z.string().min(1).optional(),
    distributionRemote: z.string().includes("{name}", { message: "must contain {name}" }).optional(),
    distributionBranch: z.string().min(1).optional(),
  })
  .strict();

export interface RegistryAuth {
  username: string;
  password: string;
}

export interface ReleaseConfig {
  /** host[:port] of the registry; `docker.io` is Docker Hub, which image references leave out. */
  registry: string;
  /** The image organisation (namespace); default: the organisation of each pipe's `pipe.image`. */
  org: string | undefined;
  /** The git remote of each pipe's distribution repository, `{name}` standing for the pipe's name. */
  distributionRemote: string;
  distributionBranch: string;
  /**
   * Plain HTTP to the registry. Default: only for loopback addresses, as Docker does; podman is told
   * per push (`tlsVerify=false`), Docker needs the registry in daemon.json `insecure-registries`.
   */
  insecureRegistry: boolean;
  /** RELEASE_SKIP_CONTRACT_TEST=1 skips the pipe's container contract test (the release's own test does). */
  contractTest: boolean;
  registryAuth: RegistryAuth | undefined;
}

function flag(env: Env, name: string): boolean | undefined {
  const value = env[name];
  if (value === undefined || value === "") return undefined;
  const parsed = parseBooleanWord(value);
  if (parsed === undefined)
    throw new InputError(`${name}="${value}" is not a boolean`, {
      suggestion: `Set ${name} to true or false (also yes/no, 1/0).`,
    });
  return parsed;
}

function isLoopback(registry: string): boolean {
  const host = registry.replace(/:\d+$/, "");
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The configuration from the file's content (undefined: no file) and the environment. */
export function releaseConfig(file: unknown, env: Env): ReleaseConfig {
  const parsed = FileSchema.safeParse(file ?? {});
  if (!parsed.success)
    throw new InputError(
      `${CONFIG_FILE} is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
      { suggestion: "See docs/releasing.md for its fields." },
    );
  const fromFile = parsed.data;
  const registry = env.RELEASE_REGISTRY || fromFile.registry || "docker.io";
  const distributionRemote = env.RELEASE_DIST_REMOTE_TEMPLATE || fromFile.distributionRemote;
  if (!distributionRemote)
    throw new InputError(
      "no distribution remote: neither RELEASE_DIST_REMOTE_TEMPLATE nor a distributionRemote",
      {
        suggestion: `Set distributionRemote in ${CONFIG_FILE}, e.g. "git@bitbucket.org:your-workspace/{name}.git".`,
      },
    );
  if (!distributionRemote.includes("{name}"))
    throw new InputError(`RELEASE_DIST_REMOTE_TEMPLATE="${distributionRemote}" does not contain {name}`, {
      suggestion: "Write the pipe's name as {name}, e.g. file:///srv/git/{name}.git.",
    });
  const username = env.RELEASE_REGISTRY_USERNAME;
  const password = env.RELEASE_REGISTRY_PASSWORD;
  return {
    registry,
    org: env.RELEASE_ORG || fromFile.org,
    distributionRemote,
    distributionBranch: env.RELEASE_DIST_BRANCH || fromFile.distributionBranch || "main",
    insecureRegistry: flag(env, "RELEASE_REGISTRY_INSECURE") ?? isLoopback(registry),
    contractTest: !(flag(env, "RELEASE_SKIP_CONTRACT_TEST") ?? false),
    registryAuth: username && password ? { username, password } : undefined,
  };
}

export async function loadReleaseConfig(root: string, env: Env): Promise<ReleaseConfig> {
  const file = path.join(root, CONFIG_FILE);
  const text = await readFile(file, "utf8").catch(() => undefined);
  let content: unknown;
  try {
    content = text === undefined ? undefined : JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return releaseConfig(content, env);
}
