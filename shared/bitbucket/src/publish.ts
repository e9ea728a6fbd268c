/**
 * Publishing results to Bitbucket is a courtesy, never the verdict: a report that cannot be published
 * must neither hide nor change the pipe's own result. `publish` runs one publishing action, and on
 * failure logs one warning that names what was not published and why, then returns.
 */
import { errorMessage, type Logger, PipeError } from "@pipes/core";

export type PublishResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * @param what what is being published, as the warning names it: "Code Insights report", "PR comment".
 */
export async function publish<T>(
  log: Logger,
  what: string,
  action: () => Promise<T>,
): Promise<PublishResult<T>> {
  try {
    return { ok: true, value: await action() };
  } catch (error: unknown) {
    const message = errorMessage(error);
    const suggestion = error instanceof PipeError && error.suggestion ? `\n${error.suggestion}` : "";
    log.warn(`${what} not published: ${message}${suggestion}`);
    if (error instanceof Error && error.stack) log.debug(error.stack);
    return { ok: false, error: message };
  }
}
