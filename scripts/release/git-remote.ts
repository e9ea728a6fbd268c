/**
 * A pipe's distribution repository as a git remote: its tags (what is released), and the publication
 * of a release: one commit with the pipe's files on top of the distribution branch, the tag `X.Y.Z`
 * and the moving tags, pushed in one atomic push (a moving tag is force-pushed; plan.ts makes sure it
 * only moves forward).
 */
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Logger, runTool } from "@pipes/core";

/** Git identity of release commits and tags, unless GIT_AUTHOR_* / GIT_COMMITTER_* say otherwise. */
const IDENTITY = [
  "-c",
  "user.name=Pipes release",
  "-c",
  "user.email=pipes-release@users.noreply.bitbucket.org",
];

async function git(args: readonly string[], log: Logger, cwd?: string) {
  return runTool(
    { tool: "git", args: [...IDENTITY, ...args], ...(cwd ? { cwd } : {}), timeoutMs: 120_000 },
    log,
  );
}

/** The tag names of the remote (`git ls-remote --tags`). */
export async function remoteTags(remote: string, log: Logger): Promise<string[]> {
  const { stdout } = await git(["ls-remote", "--tags", "--refs", remote], log);
  return stdout
    .split("\n")
    .map((line) => line.split("\t")[1]?.replace(/^refs\/tags\//, ""))
    .filter((name): name is string => Boolean(name));
}

export interface Publication {
  remote: string;
  branch: string;
  /** File name → content: the whole tree of the release commit. */
  files: Readonly<Record<string, string>>;
  message: string;
  /** `X.Y.Z`: created, never moved. */
  versionTag: string;
  /** `X.Y`, `X`: moved to this release. */
  movingTags: readonly string[];
  /** Move the branch to the release commit (only for the newest release). */
  updateBranch: boolean;
}

/** Publishes a release to the distribution repository; returns the release commit. */
export async function publishDistribution(publication: Publication, log: Logger): Promise<string> {
  const work = await mkdtemp(path.join(tmpdir(), "release-distribution-"));
  try {
    const { remote, branch } = publication;
    await git(["init", "--quiet", work], log);
    const heads = await git(["ls-remote", "--heads", remote, branch], log);
    if (heads.stdout.trim()) {
      await git(["fetch", "--quiet", "--no-tags", remote, `refs/heads/${branch}`], log, work);
      await git(["checkout", "--quiet", "-B", branch, "FETCH_HEAD"], log, work);
    } else await git(["checkout", "--quiet", "--orphan", branch], log, work);
    // The release commit's tree is exactly `files`: what the previous release had is replaced.
    for (const entry of await readdir(work))
      if (entry !== ".git") await rm(path.join(work, entry), { recursive: true, force: true });
    for (const [name, content] of Object.entries(publication.files))
      await writeFile(path.join(work, name), content);
    await git(["add", "--all"], log, work);
    await git(["commit", "--quiet", "--allow-empty", "-m", publication.message], log, work);
    const subject = publication.message.split("\n")[0] ?? publication.versionTag;
    await git(["tag", "-a", publication.versionTag, "-m", subject], log, work);
    for (const tag of publication.movingTags) await git(["tag", "-f", "-a", tag, "-m", subject], log, work);
    const refspecs = [
      `refs/tags/${publication.versionTag}`,
      ...publication.movingTags.map((tag) => `+refs/tags/${tag}:refs/tags/${tag}`),
      ...(publication.updateBranch ? [`HEAD:refs/heads/${branch}`] : []),
    ];
    await git(["push", "--atomic", "--quiet", remote, ...refspecs], log, work);
    return (await git(["rev-parse", "HEAD"], log, work)).stdout.trim();
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
