/**
 * state-guard backing up a 50 MB state made by a real terraform apply (100 terraform_data
 * resources, each with 250 KB of random text in its input and output; fewer, larger resources
 * than a real state, because terraform rewrites the whole state as each resource completes), beside what a user would
 * otherwise script: `gpg --symmetric` (AES256) of the same file, then `gpg --decrypt | sha256sum` to
 * verify it. Both read the state from a file (MODE=backup with STATE_FILE): pulling it through the
 * backend costs both the same. Median of RUNS each, a fresh store every run; wall time and peak RSS.
 *
 *   await benchStateGuard({ repoRoot, workDir, log })
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, mkdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { measureProcess, type ProcessUsage } from "./process-usage.ts";

const run = promisify(execFile);
export const RESOURCES = 100;
export const RUNS = 3;
/** Ours: backup + verify within twice gpg's encrypt + verify, in at most 512 MiB. */
export const STATE_TARGETS = { timeRatio: 2, peakRssMiB: 512 };

export interface StateGuardFigures {
  stateMB: number;
  applyMs: number | null;
  stateGuard: ProcessUsage;
  gpg: ProcessUsage;
  /** stateGuard wall ÷ gpg wall */
  timeRatio: number;
}

const median = (runs: ProcessUsage[]): ProcessUsage => {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return sorted[Math.floor(sorted.length / 2)] as ProcessUsage;
};

/** The 50 MB state, made once per terraform version and cached (a real apply takes a minute). */
async function bigState(
  dir: string,
  log: (line: string) => void,
): Promise<{ file: string; applyMs: number | null }> {
  const { stdout } = await run("terraform", ["version", "-json"]);
  const version = (JSON.parse(stdout) as { terraform_version: string }).terraform_version;
  const cache = path.join(
    process.env.PIPES_CACHE ?? path.join(dir, "cache"),
    "bench",
    `state-${version}-${RESOURCES}.tfstate`,
  );
  const file = path.join(dir, "state.tfstate");
  if (existsSync(cache)) {
    await copyFile(cache, file);
    return { file, applyMs: null };
  }
  const module = path.join(dir, "module");
  await mkdir(module, { recursive: true });
  await writeFile(
    path.join(module, "main.tf"),
    `variable "chunk" {\n  type = string\n}\n\nresource "terraform_data" "blob" {\n  count = ${RESOURCES}\n  input = "\${count.index}-\${var.chunk}"\n}\n`,
  );
  // Random text (base64), so no step of either side gains from compression.
  await writeFile(
    path.join(module, "terraform.tfvars.json"),
    JSON.stringify({ chunk: randomBytes(187_500).toString("base64") }),
  );
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: "",
    TF_IN_AUTOMATION: "1",
    TF_DATA_DIR: path.join(dir, "data"),
    CHECKPOINT_DISABLE: "1",
  };
  log(
    `  making the state: terraform apply of ${RESOURCES} resources (once; cached in ${path.dirname(cache)}) ...`,
  );
  await run("terraform", ["init", "-input=false", "-no-color"], { cwd: module, env });
  const started = performance.now();
  await run("terraform", ["apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20"], {
    cwd: module,
    env,
    maxBuffer: 256 * 1024 * 1024,
  });
  const applyMs = performance.now() - started;
  await copyFile(path.join(module, "terraform.tfstate"), file);
  await mkdir(path.dirname(cache), { recursive: true });
  await copyFile(file, `${cache}.tmp`);
  await run("mv", [`${cache}.tmp`, cache]);
  return { file, applyMs };
}

export async function benchStateGuard(options: {
  repoRoot: string;
  workDir: string;
  log: (line: string) => void;
}): Promise<StateGuardFigures> {
  const { workDir, log } = options;
  const { file, applyMs } = await bigState(workDir, log);
  const stateMB = (await stat(file)).size / 1e6;
  log(
    `  state: ${stateMB.toFixed(1)} MB, ${RESOURCES} resources${applyMs === null ? " (cached)" : `, terraform apply ${(applyMs / 1000).toFixed(1)} s`}`,
  );
  const passphrase = randomBytes(24).toString("base64");
  const gnupgHome = path.join(workDir, "gnupg");
  await mkdir(gnupgHome, { recursive: true, mode: 0o700 });
  const ours: ProcessUsage[] = [];
  const theirs: ProcessUsage[] = [];
  for (let i = 0; i < RUNS; i++) {
    await rm(path.join(workDir, "store"), { recursive: true, force: true });
    ours.push(
      await measureProcess(
        process.execPath,
        [path.join(options.repoRoot, "pipes/state-guard/dist/main.js")],
        {
          cwd: workDir,
          env: {
            ...process.env,
            NO_COLOR: "1",
            BITBUCKET_CLONE_DIR: workDir,
            MODE: "backup",
            STATE_FILE: "state.tfstate",
            BACKUP_STORE: "store",
            STATE_PASSPHRASE: passphrase,
            CODE_INSIGHTS: "false",
          },
          timeoutMs: 300_000,
        },
      ),
    );
    await rm(path.join(workDir, "state.tfstate.gpg"), { force: true });
    const gpg = `gpg --batch --yes --quiet --pinentry-mode loopback --passphrase-fd 3`;
    theirs.push(
      await measureProcess(
        "bash",
        [
          "-c",
          `set -eo pipefail; ${gpg} --symmetric --cipher-algo AES256 -o state.tfstate.gpg state.tfstate 3<<<"$P" && [ "$(${gpg} --decrypt state.tfstate.gpg 3<<<"$P" | sha256sum)" = "$(sha256sum <state.tfstate)" ]`,
        ],
        { cwd: workDir, env: { ...process.env, P: passphrase, GNUPGHOME: gnupgHome }, timeoutMs: 300_000 },
      ),
    );
  }
  const stateGuard = median(ours);
  const gpg = median(theirs);
  for (const [name, u] of [
    ["state-guard backup + verify", stateGuard],
    ["gpg encrypt + decrypt | sha256sum", gpg],
  ] as const)
    log(
      `  ${name}: ${u.wallMs} ms, ${u.peakRssMiB} MiB peak, exit ${u.exitCode}${u.exitCode ? `\n${u.outputTail}` : ""}`,
    );
  return { stateMB, applyMs, stateGuard, gpg, timeRatio: stateGuard.wallMs / gpg.wallMs };
}
