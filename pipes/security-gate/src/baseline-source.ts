/**
 * Where NEW_ONLY's baseline comes from: the committed baseline file named by BASELINE_FILE or the
 * config's `baseline:` (made by a run with WRITE_BASELINE).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { type BitbucketContext, InputError, type Logger } from "@pipes/core";
import { type Baseline, parseBaseline } from "./baseline.ts";
import type { GateConfig } from "./config.ts";

export async function previousBaseline(
  config: GateConfig,
  context: BitbucketContext,
  log: Logger,
): Promise<Baseline | undefined> {
  if (!config.baseline) {
    log.warn(
      "NEW_ONLY is on but no baseline is configured (BASELINE_FILE or `baseline:`): every finding counts as new",
    );
    return undefined;
  }
  const file = path.resolve(context.cloneDir, config.baseline);
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT")
      throw new InputError(`the baseline file ${config.baseline} does not exist`, {
        suggestion: "Commit one made by a run with WRITE_BASELINE, or unset BASELINE_FILE.",
      });
    throw error;
  });
  const baseline = parseBaseline(text, config.baseline);
  log.info(`baseline ${config.baseline}: ${baseline.findings.length} known finding(s)`);
  return baseline;
}
