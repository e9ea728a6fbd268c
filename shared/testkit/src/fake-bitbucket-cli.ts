#!/usr/bin/env node
/**
 * Runs the fake Bitbucket API as its own process, for pipe containers and local runs:
 *
 *   node shared/testkit/src/fake-bitbucket-cli.ts --port 0 [--host 127.0.0.1] [--seed seed.json] [--oidc-keys jwks.json]
 *
 * Prints its URL on the first line of stdout once it listens (the API is at URL/2.0, the Pipelines
 * proxy at URL). The control API (GET URL/_fake/calls, /_fake/violations, /_fake/state; POST
 * /_fake/faults, /_fake/seed, /_fake/reset) drives and inspects it. On SIGTERM or SIGINT it prints
 * the spec violations it saw to stderr and exits 1 if there were any.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startFakeBitbucket } from "./fake-bitbucket.ts";
import type { FakeSeed } from "./fake-bitbucket-state.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    seed: { type: "string" },
    "oidc-keys": { type: "string" },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a port number from 0 to 65535, not "${values.port}".\n`);
  process.exit(2);
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"));
}

const fake = await startFakeBitbucket({
  port,
  host: values.host,
  ...(values.seed ? { seed: readJson(values.seed) as FakeSeed } : {}),
  ...(values["oidc-keys"] ? { oidcKeys: (readJson(values["oidc-keys"]) as { keys: [] }).keys } : {}),
});
process.stdout.write(`${fake.url}\n`);

async function stop(): Promise<void> {
  await fake.close();
  for (const v of fake.violations)
    process.stderr.write(`${v.kind}: ${v.method} ${v.path}: ${v.errors.join("; ")}\n`);
  process.exit(fake.violations.length > 0 ? 1 : 0);
}
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
