/**
 * Which commits the signed-commit check looks at. A pull request: the commits since it left its
 * destination branch. A push: the commits not yet on the default branch (on the default branch
 * itself, the pushed tip). Or a git range given in COMMIT_RANGE.
 * Git commands are data here; `resolveCommitRange` runs them.
 */
import { InputError, type Logger, runTool, type ToolCommand } from "@pipes/core";

export type CommitRange =
  | { kind: "explicit"; range: string }
  | { kind: "pull-request"; destinationBranch: string }
  | { kind: "push"; branch: string | undefined; defaultBranch: string };

export interface CommitRangeInputs {
  /** COMMIT_RANGE */
  commitRange?: string | undefined;
  /** BITBUCKET_PR_DESTINATION_BRANCH */
  prDestinationBranch?: string | undefined;
  /** BITBUCKET_BRANCH */
  branch?: string | undefined;
  defaultBranch: string;
}

export function commitRangeFor(inputs: CommitRangeInputs): CommitRange {
  if (inputs.commitRange) return { kind: "explicit", range: inputs.commitRange };
  if (inputs.prDestinationBranch)
    return { kind: "pull-request", destinationBranch: inputs.prDestinationBranch };
  return { kind: "push", branch: inputs.branch, defaultBranch: inputs.defaultBranch };
}

/** Bitbucket clones only the built branch: other branches are under origin/ once fetched. */
export function remoteRef(branch: string): string {
  return `refs/remotes/origin/${branch}`;
}

type Push = Extract<CommitRange, { kind: "push" }>;

/** A push to the default branch (or of a tag): there is no other branch to compare with. */
function isPushToMain(range: Push): boolean {
  return range.branch === undefined || range.branch === range.defaultBranch;
}

/**
 * The branch whose state is trusted, so a pull request or push cannot bring its own allowed
 * signers. Undefined (the working tree) on the default branch itself and for an explicit range.
 */
export function trustedRef(range: CommitRange): string | undefined {
  if (range.kind === "pull-request") return remoteRef(range.destinationBranch);
  if (range.kind === "push" && !isPushToMain(range)) return remoteRef(range.defaultBranch);
  return undefined;
}

export function refExistsCommand(cwd: string, ref: string): ToolCommand {
  return {
    tool: "git",
    args: ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`],
    cwd,
    okExitCodes: [0, 1],
  };
}

export function fetchBranchCommand(cwd: string, branch: string): ToolCommand {
  return {
    tool: "git",
    args: ["fetch", "--no-tags", "--quiet", "origin", `+refs/heads/${branch}:${remoteRef(branch)}`],
    cwd,
    timeoutMs: 120_000,
  };
}

export function mergeBaseCommand(cwd: string, ref: string): ToolCommand {
  return { tool: "git", args: ["merge-base", ref, "HEAD"], cwd, okExitCodes: [0, 1] };
}

export interface ResolvedRange {
  /** Revision arguments of `git log`. */
  revisions: string[];
  /** For people: which commits these are. */
  description: string;
}

/** Makes sure a branch is present under origin/, fetching it when the clone lacks it. */
export async function ensureRemoteBranch(cwd: string, branch: string, log: Logger): Promise<string> {
  const ref = remoteRef(branch);
  if ((await runTool(refExistsCommand(cwd, ref), log)).exitCode === 0) return ref;
  log.debug(`fetching ${branch} to compare against it`);
  await runTool(fetchBranchCommand(cwd, branch), log);
  return ref;
}

export async function resolveCommitRange(
  range: CommitRange,
  cwd: string,
  log: Logger,
): Promise<ResolvedRange> {
  if (range.kind === "explicit")
    return { revisions: [range.range], description: `COMMIT_RANGE ${range.range}` };
  if (range.kind === "push") {
    if (isPushToMain(range))
      return {
        revisions: ["--max-count=1", "HEAD"],
        description: `the pushed tip of ${range.defaultBranch}`,
      };
    const ref = await ensureRemoteBranch(cwd, range.defaultBranch, log);
    return {
      revisions: ["HEAD", "--not", ref],
      description: `${range.branch} (commits not on ${range.defaultBranch})`,
    };
  }
  const ref = await ensureRemoteBranch(cwd, range.destinationBranch, log);
  const base = await runTool(mergeBaseCommand(cwd, ref), log);
  if (base.exitCode !== 0)
    throw new InputError(`the pull request has no merge base with ${range.destinationBranch} in this clone`, {
      code: "NO_MERGE_BASE",
      suggestion: "Clone with full history for this step (`clone: depth: full`), or set COMMIT_RANGE.",
    });
  const mergeBase = base.stdout.trim();
  return {
    revisions: [`${mergeBase}..HEAD`],
    description: `the pull request (since ${range.destinationBranch}, ${mergeBase.slice(0, 7)}..HEAD)`,
  };
}
