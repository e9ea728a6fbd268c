/**
 * The main job of the Quickstart: the example consumer repository (examples/infrastructure) as a
 * real git repository — a signed history on main and a pull request with one signed and one
 * unsigned commit — run through the pull-request pipeline of its own bitbucket-pipelines.yml.
 */
import { execFileSync } from "node:child_process";
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { VariableValue } from "@pipes/testkit";
import { parse as parseYaml } from "yaml";
import { runLocally } from "./local-run.ts";
import { localPipe, pipeNameOf, repositoryRoot } from "./pipes.ts";

interface PipeCall {
  pipe: string;
  variables?: Record<string, VariableValue>;
}

/** The `pipe:` entries of the first step of the pull-request pipeline for `**`. */
export function pullRequestPipes(pipelinesYaml: string): PipeCall[] {
  const doc = parseYaml(pipelinesYaml, { merge: true }) as {
    pipelines?: { "pull-requests"?: Record<string, Array<{ step?: { script?: unknown[] } }>> };
  };
  const steps = doc.pipelines?.["pull-requests"]?.["**"] ?? [];
  return steps.flatMap((s) =>
    (s.step?.script ?? []).filter(
      (line): line is PipeCall => typeof line === "object" && line !== null && "pipe" in line,
    ),
  );
}

function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync("git", args, { cwd, env: { ...process.env, ...env }, encoding: "utf8" }).trim();
}

/**
 * Makes the example's git history in a bare "origin" and clones the PR's branch from it, as
 * Pipelines does (so origin/main exists for the commit range). Returns the clone and its head.
 */
export async function prepareExampleRepository(
  source: string,
  work: string,
): Promise<{ repo: string; head: string }> {
  const author = path.join(work, "author");
  const origin = path.join(work, "origin.git");
  const repo = path.join(work, "infrastructure");
  const keys = path.join(work, "keys");
  await rm(work, { recursive: true, force: true });
  await mkdir(keys, { recursive: true });
  await cp(source, author, { recursive: true });
  execFileSync("ssh-keygen", [
    "-q",
    "-t",
    "ed25519",
    "-N",
    "",
    "-C",
    "platform@acme.example",
    "-f",
    path.join(keys, "platform"),
  ]);
  const publicKey = (await readFile(path.join(keys, "platform.pub"), "utf8")).trim();
  await mkdir(path.join(author, ".bitbucket"), { recursive: true });
  await writeFile(
    path.join(author, ".bitbucket/allowed_signers"),
    `platform@acme.example namespaces="git" ${publicKey}\n`,
  );

  const identity = {
    GIT_AUTHOR_NAME: "Platform Team",
    GIT_AUTHOR_EMAIL: "platform@acme.example",
    GIT_COMMITTER_NAME: "Platform Team",
    GIT_COMMITTER_EMAIL: "platform@acme.example",
  };
  const signed = [
    "-c",
    "gpg.format=ssh",
    "-c",
    `user.signingkey=${path.join(keys, "platform")}`,
    "commit",
    "-q",
    "-S",
  ];
  git(author, ["init", "-q", "-b", "main"]);
  // main: everything but the application and its settings, which the pull request brings.
  git(author, ["add", "--all", "--", ".", ":!app", ":!config"]);
  git(author, [...signed, "-m", "Infrastructure layers and pipeline configuration"], identity);
  git(author, ["checkout", "-q", "-b", "feature/report-export"]);
  git(author, ["add", "app"]);
  git(author, [...signed, "-m", "Export monthly tenant reports"], identity);
  git(author, ["add", "config"]);
  git(author, ["commit", "-q", "-m", "Deployment settings for the exporter"], {
    ...identity,
    GIT_AUTHOR_NAME: "Casey Contractor",
    GIT_AUTHOR_EMAIL: "casey@contractor.example",
  });
  git(work, ["clone", "-q", "--bare", author, origin]);
  git(work, ["clone", "-q", "--branch", "feature/report-export", origin, repo]);
  await rm(author, { recursive: true, force: true });
  return { repo, head: git(repo, ["rev-parse", "HEAD"]) };
}

export async function runExample(options: {
  docker: boolean;
  print: (text: string) => void;
}): Promise<number> {
  const source = path.join(repositoryRoot, "examples/infrastructure");
  const work = path.join(repositoryRoot, ".pipe-out/example");
  const { repo, head } = await prepareExampleRepository(source, work);
  const calls = pullRequestPipes(await readFile(path.join(source, "bitbucket-pipelines.yml"), "utf8"));
  options.print(
    `example repository: ${path.relative(process.cwd(), repo)} (PR #1 feature/report-export → main, head ${head.slice(0, 8)})\n`,
  );
  let worst = 0;
  for (const call of calls) {
    const pipe = await localPipe(pipeNameOf(call.pipe));
    options.print(`\n━━ pipe: ${call.pipe} ━━\n`);
    const result = await runLocally({
      pipe,
      repoDir: repo,
      variables: call.variables ?? {},
      step: {
        commit: head,
        branch: "feature/report-export",
        prId: 1,
        prDestinationBranch: "main",
        buildNumber: 1,
      },
      docker: options.docker,
      outDir: path.join(repo, "pipe-reports", pipe.name),
      print: options.print,
    });
    options.print(
      `\n${pipe.name} exited ${result.exitCode}; local Bitbucket sink received ${result.reportsPublished} Code Insights report(s), ${result.annotationsPublished} annotation(s), ${result.commentsWritten} PR comment(s)\n`,
    );
    worst = Math.max(worst, result.exitCode);
  }
  options.print(
    `\nreports: ${path.relative(process.cwd(), path.join(repo, "pipe-reports"))}/  tests: ${path.relative(process.cwd(), path.join(repo, "test-results"))}/\n`,
  );
  return worst;
}
