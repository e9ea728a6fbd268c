/**
 * Reading a report's JSON, with errors that say what is wrong with which file: a report cut short by a
 * killed step reads differently from a file that was never JSON.
 */
import { InputError } from "@pipes/core";
import type { z } from "zod";

function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), "utf8");
}

/** Parses a report's text; throws an InputError naming the report and where its JSON breaks. */
export function parseReportJson(reportName: string, text: string): unknown {
  // PowerShell's Out-File and some Windows editors write a UTF-8 byte order mark, which JSON.parse rejects.
  const json = text.replace(/^\uFEFF/, "");
  if (json.trim() === "") {
    throw new InputError(`${reportName} is empty`, {
      suggestion: "Check that the step that wrote it ran to the end and wrote to this path.",
    });
  }
  try {
    return JSON.parse(json);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(reason);
    const index = position ? Number(position[1]) : undefined;
    const endsEarly =
      /end of JSON input/.test(reason) || (index !== undefined && index >= json.trimEnd().length);
    if (endsEarly) {
      throw new InputError(
        `${reportName} is not valid JSON (truncated at byte ${byteOffset(json, json.trimEnd().length)}?)`,
        {
          suggestion: "The step that wrote it may have been killed or run out of disk; run it again.",
        },
      );
    }
    const where = /\(line (\d+) column (\d+)\)/.exec(reason);
    const detail = reason
      .replace(/ in JSON at position \d+.*$/, "")
      // V8 quotes the start of the text: `Unexpected token 'n', "not a report" is not valid JSON`.
      .replace(/, ".*"(\.\.\.)? is not valid JSON$/s, "")
      .replace(/^./, (c) => c.toLowerCase());
    const at = index === undefined ? "" : ` at byte ${byteOffset(json, index)}`;
    throw new InputError(
      `${reportName} is not valid JSON: ${detail}${at}${where ? ` (line ${where[1]}, column ${where[2]})` : ""}`,
      { suggestion: "Reports must be the tool's JSON or SARIF output, unchanged." },
    );
  }
}

/**
 * Checks parsed JSON against a report format's schema; the error names the first field that does not
 * fit, as a path into the file (`Results[0].Misconfigurations[2].Severity`).
 */
export function parseWithSchema<T extends z.ZodType>(
  schema: T,
  json: unknown,
  reportName: string,
  formatName: string,
): z.output<T> {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  throw schemaError(result.error.issues[0], reportName, formatName);
}

/** The error for a schema issue: the report, the format it looks like, the field (a path into the file). */
export function schemaError(
  issue: z.core.$ZodIssue | undefined,
  reportName: string,
  formatName: string,
): InputError {
  const where = issue && issue.path.length > 0 ? `${fieldPath(issue.path)}: ` : "";
  const message = (issue?.message ?? "does not match its format").replace(/^Invalid input: /, "");
  return new InputError(`${reportName} looks like ${formatName}, but ${where}${message}`, {
    suggestion: `Make sure it is unchanged ${formatName} from a supported version of the tool.`,
  });
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`,
    )
    .join("");
}
