#!/usr/bin/env node
/**
 * npx pipes run <pipe> [--repo DIR] [--var NAME=VALUE]... [--branch B] [--pr N --destination B] [--no-docker]
 * npx pipes build <pipe>
 * npx pipes example [--no-docker]
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { runExample } from "./example.ts";
import { buildLocalImage, runLocally } from "./local-run.ts";
import { localPipe } from "./pipes.ts";

const usage = `usage:
  pipes run <pipe> [--repo DIR] [--var NAME=VALUE]... [--branch B] [--commit SHA] [--pr N --destination B] [--no-docker]
  pipes build <pipe>
  pipes example [--no-docker]

A list variable is written --var NAME=a,b (or a JSON list); the pipe reads it as Bitbucket passes YAML lists.`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    repo: { type: "string", default: "." },
    var: { type: "string", multiple: true, default: [] },
    branch: { type: "string" },
    commit: { type: "string" },
    pr: { type: "string" },
    destination: { type: "string" },
    "no-docker": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
const print = (text: string) => process.stdout.write(text);
const [command, name] = positionals;

async function main(): Promise<number> {
  if (values.help || !command) {
    console.log(usage);
    return command ? 0 : 2;
  }
  if (command === "example") return runExample({ docker: !values["no-docker"], print });
  if (!name) throw new Error(`"${command}" needs a pipe name\n${usage}`);
  const pipe = await localPipe(name);
  if (command === "build") {
    console.log(await buildLocalImage(pipe, console.log));
    return 0;
  }
  if (command !== "run") throw new Error(`unknown command "${command}"\n${usage}`);
  const variables: Record<string, string> = {};
  for (const assignment of values.var) {
    const at = assignment.indexOf("=");
    if (at <= 0) throw new Error(`--var ${assignment}: expected NAME=VALUE`);
    variables[assignment.slice(0, at)] = assignment.slice(at + 1);
  }
  const repoDir = path.resolve(values.repo);
  // As in Pipelines, the step knows its commit and branch: take them from the repository when not given.
  const fromGit = (args: string[]) => {
    try {
      return execFileSync("git", args, {
        cwd: repoDir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
    } catch {
      return undefined;
    }
  };
  const commit = values.commit ?? fromGit(["rev-parse", "HEAD"]);
  const branch = values.branch ?? fromGit(["symbolic-ref", "--short", "HEAD"]);
  const result = await runLocally({
    pipe,
    repoDir,
    variables,
    step: {
      ...(branch ? { branch } : {}),
      ...(commit ? { commit } : {}),
      ...(values.pr ? { prId: Number(values.pr), prDestinationBranch: values.destination ?? "main" } : {}),
    },
    docker: !values["no-docker"],
    outDir: path.join(repoDir, "pipe-reports", pipe.name),
    print,
  });
  print(
    `\n${pipe.name} exited ${result.exitCode}; the local Bitbucket sink recorded ${result.reportsPublished} report(s), ${result.annotationsPublished} annotation(s), ${result.commentsWritten} comment(s) in pipe-reports/${pipe.name}/bitbucket-calls.json\n`,
  );
  return result.exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`pipes: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
