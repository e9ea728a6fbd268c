/**
 * A private temporary folder for a scanner's report, removed when the scan is over: gitleaks' report
 * holds the secrets it found, and must not outlive the step.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export async function withScratchDir<T>(prefix: string, use: (dir: string) => Promise<T>): Promise<T> {
  // mkdtemp creates the folder with mode 0700: only this user can read the reports in it.
  const dir = await mkdtemp(path.join(tmpdir(), `security-gate-${prefix}-`));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
