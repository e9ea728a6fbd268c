/** A Terraform/OpenTofu state as `state pull` prints it: parsed only as far as the guards need. */
import { createHash } from "node:crypto";
import { PipeError } from "@pipes/core";

export interface StateInfo {
  lineage: string;
  serial: number;
  terraformVersion: string;
  /** sha256 of the exact bytes, hex. */
  sha256: string;
  size: number;
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function invalid(message: string, source: string): PipeError {
  return new PipeError(`${source} is not a usable state: ${message}`, {
    code: "STATE_INVALID",
    suggestion: "state-guard backs up format version 4 states (Terraform ≥ 0.12, OpenTofu).",
  });
}

/** Validates JSON, format version 4, lineage, serial and terraform_version. */
export function inspectState(bytes: Uint8Array, source = "the state"): StateInfo {
  let state: unknown;
  try {
    state = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw invalid(`not JSON (${(error as Error).message})`, source);
  }
  if (typeof state !== "object" || state === null || Array.isArray(state))
    throw invalid("not a JSON object", source);
  const s = state as Record<string, unknown>;
  if (s.version !== 4) throw invalid(`format version ${JSON.stringify(s.version)}, expected 4`, source);
  if (typeof s.lineage !== "string" || !/^[0-9a-f-]{8,}$/i.test(s.lineage))
    throw invalid(`lineage ${JSON.stringify(s.lineage)} is not a lineage id`, source);
  if (typeof s.serial !== "number" || !Number.isSafeInteger(s.serial) || s.serial < 0)
    throw invalid(`serial ${JSON.stringify(s.serial)} is not a non-negative integer`, source);
  if (typeof s.terraform_version !== "string" || !/^\d+\.\d+\.\d+/.test(s.terraform_version))
    throw invalid(`terraform_version ${JSON.stringify(s.terraform_version)} is not a version`, source);
  return {
    lineage: s.lineage,
    serial: s.serial,
    terraformVersion: s.terraform_version,
    sha256: sha256(bytes),
    size: bytes.byteLength,
  };
}
