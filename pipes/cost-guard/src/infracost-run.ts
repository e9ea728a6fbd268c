/**
 * Where the Infracost JSON comes from: the file an earlier step wrote (INFRACOST_FILE), or
 * `infracost breakdown` run here when INFRACOST_API_KEY is set. The pipe's image does not hold the
 * infracost binary (it is not on the Go module proxy this project builds tools from), so in the
 * image the second path is a clear error telling the user to hand the file over.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type BitbucketContext, InputError, type Logger, runTool, ToolError } from "@pipes/core";
import { type CostReport, readInfracostFile } from "./infracost.ts";
import type { Variables } from "./variables.ts";

export async function infracostReport(
  vars: Variables,
  context: BitbucketContext,
  log: Logger,
): Promise<CostReport> {
  if (vars.INFRACOST_FILE)
    return readInfracostFile(path.resolve(context.cloneDir, vars.INFRACOST_FILE), context.cloneDir);
  if (!vars.INFRACOST_API_KEY)
    throw new InputError(
      "INFRACOST_FILE is required (the Infracost JSON of an earlier step), or INFRACOST_API_KEY to run Infracost here.",
      {
        suggestion:
          "Run `infracost breakdown --path . --format json --out-file infracost.json` in an earlier step and set INFRACOST_FILE: infracost.json.",
      },
    );
  const dir = await mkdtemp(path.join(tmpdir(), "cost-guard-"));
  const out = path.join(dir, "infracost.json");
  try {
    const run = await runTool(
      {
        tool: "infracost",
        args: [
          "breakdown",
          "--path",
          vars.INFRACOST_PATH,
          "--format",
          "json",
          "--out-file",
          out,
          "--no-color",
        ],
        cwd: context.cloneDir,
        env: { INFRACOST_API_KEY: vars.INFRACOST_API_KEY, INFRACOST_SKIP_UPDATE_CHECK: "true" },
      },
      log,
    ).catch((error: unknown) => {
      if (error instanceof ToolError && error.code === "TOOL_NOT_FOUND")
        throw new ToolError("INFRACOST_API_KEY is set, but this image has no infracost binary to run.", {
          code: "TOOL_NOT_FOUND",
          suggestion:
            "Run Infracost in an earlier step (its own image) and pass its JSON with INFRACOST_FILE.",
        });
      throw error;
    });
    if (run.exitCode !== 0)
      throw new ToolError(
        `infracost breakdown exited ${run.exitCode}: ${run.stderr.trim().split("\n").at(-1) ?? ""}`,
      );
    return await readInfracostFile(out, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
