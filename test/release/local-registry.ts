/**
 * A real registry for the release test: Debian's `docker-registry` (distribution 2.8) on
 * 127.0.0.1, plain HTTP, storage in a temporary folder; and the reads a consumer's engine makes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { docker } from "@pipes/testkit";

export const REGISTRY_BINARY = "/usr/bin/docker-registry";

export interface LocalRegistry {
  /** host:port */
  address: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no free port");
  return address.port;
}

export function registryAvailable(): { available: boolean; reason: string } {
  return existsSync(REGISTRY_BINARY)
    ? { available: true, reason: "" }
    : { available: false, reason: `${REGISTRY_BINARY} is missing (apt-get install docker-registry)` };
}

export async function startRegistry(dir: string): Promise<LocalRegistry> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  await mkdir(path.join(dir, "data"), { recursive: true });
  const config = path.join(dir, "config.yml");
  await writeFile(
    config,
    [
      "version: 0.1",
      "log: { level: warn }",
      `storage: { filesystem: { rootdirectory: ${path.join(dir, "data")} }, delete: { enabled: true } }`,
      `http: { addr: "${address}", secret: release-test }`,
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(REGISTRY_BINARY, ["serve", config], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr}`);
    const up = await fetch(`http://${address}/v2/`).then(
      (r) => r.ok,
      () => false,
    );
    if (up)
      return {
        address,
        async stop() {
          child.kill("SIGTERM");
          if (child.exitCode === null) await new Promise((resolve) => child.once("exit", resolve));
        },
      };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGTERM");
  throw new Error(`docker-registry did not answer on ${address}: ${stderr}`);
}

const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/** What the registry resolves `repository:tag` to (distribution API: HEAD of the manifest). */
export async function manifestDigest(
  address: string,
  repository: string,
  tag: string,
): Promise<string | undefined> {
  const response = await fetch(`http://${address}/v2/${repository}/manifests/${tag}`, {
    method: "HEAD",
    headers: { accept: MANIFEST_TYPES },
  });
  return response.ok ? (response.headers.get("docker-content-digest") ?? undefined) : undefined;
}

export async function registryTags(address: string, repository: string): Promise<string[]> {
  const response = await fetch(`http://${address}/v2/${repository}/tags/list`);
  const body = (await response.json()) as { tags: string[] | null };
  return (body.tags ?? []).sort();
}

/**
 * Pulls from the plain-HTTP registry as a consumer's engine would. Docker pulls from 127.0.0.0/8
 * over HTTP by itself; podman's compat pull has no TLS switch (and its service keeps the
 * registries.conf it started with), so on podman this uses its own API's `tlsVerify=false`.
 */
export async function pullInsecure(reference: string): Promise<void> {
  const client = docker();
  const version = (await client.version()) as { Components?: { Name: string }[] };
  const podman = version.Components?.some((c) => c.Name.toLowerCase().includes("podman")) ?? false;
  if (podman) {
    await new Promise<void>((resolve, reject) => {
      client.modem.dial(
        {
          path: "/v4.0.0/libpod/images/pull?",
          method: "POST",
          options: { reference, tlsVerify: false, quiet: true },
          statusCodes: { 200: true, 400: "bad parameter", 404: "no such image", 500: "server error" },
        },
        (error: Error | null, answer: unknown) => {
          const failure = (answer as { error?: string } | null)?.error;
          if (error) reject(error);
          else if (failure) reject(new Error(`pulling ${reference}: ${failure}`));
          else resolve();
        },
      );
    });
    return;
  }
  const stream = await client.pull(reference);
  await new Promise<void>((resolve, reject) =>
    client.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve())),
  );
}
