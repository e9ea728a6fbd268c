/**
 * A scanner's version, for the report's list of what ran. Asking for it also proves the tool is
 * installed before the scan starts.
 */
import { type Logger, runTool, type ToolCommand } from "@pipes/core";

/** The first version number in a tool's `--version` output: "Version: 0.74.0", "v8.30.1", "3.3.30". */
export function versionFromOutput(output: string): string | undefined {
  return /\d+\.\d+(?:\.\d+)?(?:[-+][\w.]+)?/.exec(output)?.[0];
}

export async function toolVersion(command: ToolCommand, log: Logger): Promise<string | undefined> {
  const { stdout, stderr } = await runTool(command, log);
  return versionFromOutput(stdout) ?? versionFromOutput(stderr);
}
