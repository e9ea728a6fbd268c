/**
 * Trivy's JSON (`--format json`, SchemaVersion 2): per target, its misconfigurations, vulnerabilities
 * and secrets. https://trivy.dev/latest/docs/configuration/reporting/#json
 */
import { InputError } from "@pipes/core";
import { z } from "zod";
import { severityFromName } from "../severity.ts";
import { completeFinding, type FindingDraft, locationOf } from "./finding-draft.ts";
import type { ParseContext, ParsedReport } from "./parsed-report.ts";
import { repositoryPath } from "./paths.ts";
import { parseWithSchema } from "./report-json.ts";

const misconfiguration = z.looseObject({
  ID: z.string().optional(),
  AVDID: z.string().optional(),
  Title: z.string().optional(),
  Message: z.string().optional(),
  Severity: z.string(),
  PrimaryURL: z.string().optional(),
  References: z.array(z.string()).nullish(),
  Status: z.string().optional(),
  CauseMetadata: z
    .looseObject({
      Resource: z.string().optional(),
      StartLine: z.number().optional(),
      EndLine: z.number().optional(),
    })
    .optional(),
});
type Misconfiguration = z.infer<typeof misconfiguration>;
const vulnerability = z.looseObject({
  VulnerabilityID: z.string(),
  PkgName: z.string(),
  PkgPath: z.string().optional(),
  InstalledVersion: z.string().optional(),
  FixedVersion: z.string().optional(),
  Title: z.string().optional(),
  Severity: z.string(),
  PrimaryURL: z.string().optional(),
});
type Vulnerability = z.infer<typeof vulnerability>;
const secret = z.looseObject({
  RuleID: z.string(),
  Title: z.string().optional(),
  Severity: z.string(),
  StartLine: z.number().optional(),
  EndLine: z.number().optional(),
  Match: z.string().optional(),
});
type TrivySecret = z.infer<typeof secret>;
const target = z.looseObject({
  Target: z.string(),
  Class: z.string().optional(),
  Misconfigurations: z.array(misconfiguration).nullish(),
  Vulnerabilities: z.array(vulnerability).nullish(),
  Secrets: z.array(secret).nullish(),
});
type Target = z.infer<typeof target>;
const report = z.looseObject({
  SchemaVersion: z.number(),
  ArtifactType: z.string().optional(),
  Trivy: z.looseObject({ Version: z.string().optional() }).optional(),
  // Left out by recent Trivy when nothing was found.
  Results: z.array(target).nullish(),
});

function severityOf(word: string) {
  return severityFromName(word) ?? "MEDIUM";
}

/** Targets of OS packages name an image ("alpine:3.10 (alpine 3.10.2)"), not a file in the repository. */
function fileOf(trivyTarget: Target, context: ParseContext): string | undefined {
  if (trivyTarget.Class === "os-pkgs") return undefined;
  return repositoryPath(trivyTarget.Target, context);
}

function misconfigurationDraft(item: Misconfiguration, file: string | undefined): FindingDraft {
  const ruleId = item.ID ?? item.AVDID ?? "unknown-check";
  const title = item.Title ?? ruleId;
  const cause = item.CauseMetadata;
  return {
    tool: "trivy",
    ruleId,
    title,
    severity: severityOf(item.Severity),
    category: "iac",
    location: file === undefined ? undefined : locationOf(file, cause?.StartLine, cause?.EndLine),
    resource: cause?.Resource || undefined,
    message: item.Message ?? title,
    helpUri: item.PrimaryURL ?? item.References?.[0],
  };
}

function vulnerabilityDraft(item: Vulnerability, file: string | undefined): FindingDraft {
  const pkg = item.InstalledVersion ? `${item.PkgName}@${item.InstalledVersion}` : item.PkgName;
  const fix = item.FixedVersion ? `fixed in ${item.FixedVersion}` : "no fixed version yet";
  return {
    tool: "trivy",
    ruleId: item.VulnerabilityID,
    title: item.Title ? `${item.VulnerabilityID}: ${item.Title}` : item.VulnerabilityID,
    severity: severityOf(item.Severity),
    category: "vulnerability",
    location: file === undefined ? undefined : { file },
    resource: pkg,
    message: `${item.InstalledVersion ? `${item.PkgName} ${item.InstalledVersion}` : item.PkgName} is affected by ${item.VulnerabilityID} (${fix})`,
    helpUri: item.PrimaryURL,
  };
}

/**
 * The secret value, recovered for the fingerprint: Trivy masks it with "*" in `Match` (the whole line),
 * so the characters of the real line under the mask are the secret. Only when the line is unchanged.
 */
export function unmaskSecret(maskedLine: string, actualLine: string): string | undefined {
  const mask = /\*{4,}/.exec(maskedLine);
  if (!mask || maskedLine.length !== actualLine.length) return undefined;
  const before = maskedLine.slice(0, mask.index);
  const after = maskedLine.slice(mask.index + mask[0].length);
  if (!actualLine.startsWith(before) || !actualLine.endsWith(after)) return undefined;
  return actualLine.slice(mask.index, mask.index + mask[0].length);
}

function secretDraft(item: TrivySecret, file: string, context: ParseContext): FindingDraft {
  const title = item.Title ?? item.RuleID;
  const line = item.StartLine ? context.source.read(file, item.StartLine, item.StartLine) : undefined;
  return {
    tool: "trivy",
    ruleId: item.RuleID,
    title,
    severity: severityOf(item.Severity),
    category: "secret",
    location: locationOf(file, item.StartLine, item.EndLine),
    // Match and Code hold the (masked) line: never copied, in case a Trivy version stops masking.
    message: `${title} (value redacted)`,
    secret: item.Match && line !== undefined ? unmaskSecret(item.Match, line) : undefined,
  };
}

export function parseTrivy(json: unknown, context: ParseContext): ParsedReport {
  const parsed = parseWithSchema(report, json, context.reportName, "Trivy JSON");
  if (parsed.SchemaVersion !== 2) {
    throw new InputError(
      `${context.reportName} is Trivy JSON with SchemaVersion ${parsed.SchemaVersion}, but only SchemaVersion 2 is supported`,
      { suggestion: "Use Trivy 0.20 or later." },
    );
  }
  const findings = (parsed.Results ?? []).flatMap((trivyTarget) => {
    const file = fileOf(trivyTarget, context);
    const drafts = [
      ...(trivyTarget.Misconfigurations ?? [])
        .filter((item) => item.Status === undefined || item.Status === "FAIL")
        .map((item) => misconfigurationDraft(item, file)),
      ...(trivyTarget.Vulnerabilities ?? []).map((item) => vulnerabilityDraft(item, file)),
      ...(trivyTarget.Secrets ?? []).map((item) => secretDraft(item, file ?? trivyTarget.Target, context)),
    ];
    return drafts.map((draft) => completeFinding(draft, context));
  });
  return {
    tool: "trivy",
    ...(parsed.Trivy?.Version ? { version: parsed.Trivy.Version } : {}),
    findings,
    warnings: [],
  };
}
