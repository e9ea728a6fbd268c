/**
 * OPA's errors (`{"errors": [{message, code, location}]}`, from `opa eval --format json` and
 * `opa build`) as one message a policy author can act on: "policy/deny.rego:5: unexpected } token
 * (rego_parse_error)".
 */
import { InputError } from "@pipes/core";

interface OpaErrorEntry {
  message?: string;
  code?: string;
  location?: { file?: string; row?: number };
}

/** The errors in OPA's JSON output, or undefined when it is not OPA's error form. */
export function opaErrors(output: string): string[] | undefined {
  const start = output.indexOf("{");
  if (start < 0) return undefined;
  try {
    const parsed = JSON.parse(output.slice(start)) as { errors?: OpaErrorEntry[] };
    if (!Array.isArray(parsed.errors)) return undefined;
    return parsed.errors.map((error) => {
      const where = error.location?.file
        ? `${error.location.file}${error.location.row ? `:${error.location.row}` : ""}: `
        : "";
      return `${where}${error.message ?? "error"}${error.code ? ` (${error.code})` : ""}`;
    });
  } catch {
    return undefined;
  }
}

/** The policies do not load or evaluate: the repository's problem, so exit 2 (invalid input). */
export function policyError(output: string, what: string): InputError {
  const errors = opaErrors(output) ?? [output.trim().split("\n").slice(-10).join("\n") || "no output"];
  const shown = errors.slice(0, 10);
  const more = errors.length > shown.length ? `\n  … and ${errors.length - shown.length} more` : "";
  return new InputError(`${what}:\n  ${shown.join("\n  ")}${more}`, {
    code: "POLICY_ERROR",
    suggestion:
      "Fix the policy (run `opa check` and `opa test` on it locally), or remove it from POLICY_PATHS / POLICY_BUNDLES.",
  });
}
