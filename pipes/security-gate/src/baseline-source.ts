/**
 * Where NEW_ONLY's baseline comes from: the committed baseline file named by BASELINE_FILE or the
 * config's `baseline:` (made by a run with WRITE_BASELINE); otherwise, on a pull request, the last
 * run of this pipe on the destination branch, read back from its Code Insights annotations (their
 * ids carry the findings' fingerprints; the API keeps at most 1000 per report, the most important).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  BitbucketApiError,
  type BitbucketClient,
  repositoryFromContext,
  repositoryPath,
} from "@pipes/bitbucket";
import { type BitbucketContext, InputError, type Logger, runTool } from "@pipes/core";
import { z } from "zod";
import { type Baseline, baselineFromResult, parseBaseline } from "./baseline.ts";
import type { GateConfig } from "./config.ts";
import { ANNOTATION_ID_PREFIX, INSIGHTS_REPORT_ID } from "./report/insights.ts";
import { ensureRemoteBranch } from "./zero-trust/commit-range.ts";

async function committedBaseline(file: string, context: BitbucketContext, log: Logger): Promise<Baseline> {
  const text = await readFile(path.resolve(context.cloneDir, file), "utf8").catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT")
        throw new InputError(`the baseline file ${file} does not exist`, {
          suggestion: "Commit one made by a run with WRITE_BASELINE, or unset BASELINE_FILE.",
        });
      throw error;
    },
  );
  const baseline = parseBaseline(text, file);
  log.info(`baseline ${file}: ${baseline.findings.length} known finding(s)`);
  return baseline;
}

const annotation = z.object({
  external_id: z.string().optional(),
  summary: z.string().optional(),
  path: z.string().optional(),
});

/** Fingerprints back from annotation ids `security-gate-<fingerprint>[-n]`. */
export function baselineFromAnnotations(
  annotations: readonly z.infer<typeof annotation>[],
  meta: { created: Date; commit: string },
): Baseline {
  const findings = annotations.flatMap((a) => {
    const id = a.external_id ?? "";
    if (!id.startsWith(ANNOTATION_ID_PREFIX)) return [];
    const fingerprint = id.slice(ANNOTATION_ID_PREFIX.length).replace(/-\d+$/, "");
    return [{ fingerprint, ruleId: a.summary ?? "", ...(a.path ? { file: a.path } : {}) }];
  });
  return baselineFromResult({ createdAt: meta.created.toISOString(), commit: meta.commit, findings });
}

async function destinationRunBaseline(
  client: BitbucketClient,
  context: BitbucketContext,
  destination: string,
  log: Logger,
  now: Date,
): Promise<Baseline | undefined> {
  const ref = await ensureRemoteBranch(context.cloneDir, destination, log);
  const commit = (
    await runTool({ tool: "git", args: ["rev-parse", ref], cwd: context.cloneDir }, log)
  ).stdout.trim();
  const reportPath = repositoryPath(
    repositoryFromContext(context),
    "commit",
    commit,
    "reports",
    INSIGHTS_REPORT_ID,
    "annotations",
  );
  try {
    const found = [];
    for await (const item of client.paginate(reportPath, annotation)) found.push(item);
    const baseline = baselineFromAnnotations(found, { created: now, commit });
    log.info(
      `baseline: ${baseline.findings.length} finding(s) of the last run on ${destination} (${commit.slice(0, 8)})`,
    );
    return baseline;
  } catch (error) {
    if (error instanceof BitbucketApiError && error.status === 404) {
      log.warn(
        `NEW_ONLY: no earlier security-gate run on ${destination} (${commit.slice(0, 8)}): every finding counts as new`,
      );
      return undefined;
    }
    throw error;
  }
}

export async function previousBaseline(
  config: GateConfig,
  context: BitbucketContext,
  client: () => BitbucketClient,
  log: Logger,
  now: Date,
): Promise<Baseline | undefined> {
  if (config.baseline) return committedBaseline(config.baseline, context, log);
  if (context.prDestinationBranch && context.workspace && context.repoSlug)
    return destinationRunBaseline(client(), context, context.prDestinationBranch, log, now);
  log.warn(
    "NEW_ONLY is on but there is no baseline (BASELINE_FILE, `baseline:`, or a pull request's destination branch): every finding counts as new",
  );
  return undefined;
}
