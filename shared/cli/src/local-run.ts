/**
 * Runs one pipe locally with the contract Bitbucket Pipelines gives it, either in its image (the
 * default: built from the pipe's own Dockerfile) or as its bundle on this machine (`--no-docker`).
 * A local fake of the Bitbucket API is the report sink: what the pipe would have published (Code
 * Insights, PR comment, statuses) is recorded to `bitbucket-calls.json` beside its reports.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  buildImage,
  CLONE_DIR,
  pipeEnvironment,
  runPipeContainer,
  type StepContext,
  startFakeBitbucket,
  stepEnvironment,
  type VariableValue,
} from "@pipes/testkit";
import { type LocalPipe, repositoryRoot } from "./pipes.ts";

export interface LocalRunOptions {
  pipe: LocalPipe;
  repoDir: string;
  variables: Record<string, VariableValue>;
  step: StepContext;
  docker: boolean;
  /** Where bitbucket-calls.json goes. */
  outDir: string;
  print: (text: string) => void;
}

export interface LocalRunResult {
  exitCode: number;
  output: string;
  reportsPublished: number;
  annotationsPublished: number;
  commentsWritten: number;
}

/** The image tag a local build gets: the pipe's version, as a consumer pins it. */
export function localImage(pipe: LocalPipe): string {
  return `${pipe.image}:${pipe.version}`;
}

/** The pipe's one-file bundle, built (or taken from turbo's cache) from the current sources. */
export function buildBundle(pipe: LocalPipe, print: (line: string) => void): void {
  print(`bundling ${pipe.name} (turbo run build)\n`);
  execFileSync(
    "npx",
    ["turbo", "run", "build", `--filter=@pipes/${pipe.name}`, "--output-logs=errors-only"],
    {
      cwd: repositoryRoot,
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
}

export async function buildLocalImage(pipe: LocalPipe, print: (line: string) => void): Promise<string> {
  const tag = localImage(pipe);
  buildBundle(pipe, print);
  print(`building ${tag} from ${path.relative(process.cwd(), pipe.dir) || "."}/Dockerfile\n`);
  await buildImage({
    contextDir: pipe.dir,
    tag,
    buildArgs: { VERSION: pipe.version },
    onOutput: () => undefined,
  });
  return tag;
}

function runBundle(
  pipe: LocalPipe,
  repoDir: string,
  env: Record<string, string>,
  print: (t: string) => void,
) {
  return new Promise<{ exitCode: number; output: string }>((resolve, reject) => {
    let output = "";
    const child = spawn(process.execPath, [path.join(pipe.dir, "dist/main.js")], {
      cwd: repoDir,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      print(chunk.toString());
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("close", (code) => resolve({ exitCode: code ?? 1, output }));
  });
}

export async function runLocally(options: LocalRunOptions): Promise<LocalRunResult> {
  const fake = await startFakeBitbucket({
    seed:
      options.step.prId === undefined
        ? {}
        : {
            pullRequests: [
              { id: options.step.prId, destinationBranch: options.step.prDestinationBranch ?? "main" },
            ],
          },
  });
  try {
    // The pipe talks to the fake as it would to the Pipelines auth proxy: no credentials needed.
    const sink = {
      BITBUCKET_PIPELINES_PROXY: fake.url,
      ...(process.env.NO_COLOR ? { NO_COLOR: process.env.NO_COLOR } : {}),
    };
    let exitCode: number;
    let output: string;
    if (options.docker) {
      const image = await buildLocalImage(options.pipe, options.print);
      ({ exitCode, output } = await runPipeContainer({
        image,
        pipe: `bitbucket-pipes/${options.pipe.name}`,
        cloneDir: options.repoDir,
        variables: options.variables,
        step: options.step,
        env: sink,
        onOutput: options.print,
      }));
    } else {
      buildBundle(options.pipe, options.print);
      // Outside a container the clone directory is the repository folder itself.
      const step = stepEnvironment(`bitbucket-pipes/${options.pipe.name}`, options.step);
      const local = Object.fromEntries(
        Object.entries(step).map(([k, v]) => [
          k,
          v.startsWith(CLONE_DIR) ? options.repoDir + v.slice(CLONE_DIR.length) : v,
        ]),
      );
      ({ exitCode, output } = await runBundle(
        options.pipe,
        options.repoDir,
        { ...local, ...pipeEnvironment(options.variables), ...sink },
        options.print,
      ));
    }
    await mkdir(options.outDir, { recursive: true });
    await writeFile(
      path.join(options.outDir, "bitbucket-calls.json"),
      `${JSON.stringify({ calls: fake.calls, violations: fake.violations }, null, 2)}\n`,
    );
    const reports = fake.reports();
    return {
      exitCode,
      output,
      reportsPublished: reports.length,
      annotationsPublished: reports.reduce((n, r) => n + r.annotations.length, 0),
      commentsWritten: fake.comments().length,
    };
  } finally {
    await fake.close();
  }
}
