/**
 * The two ways the gate evaluates its entry query (entry.ts), behind one interface: the `opa`
 * binary (`opa eval`, one process for all documents) and policies compiled to Wasm by `opa build
 * -t wasm`, evaluated in this process by @open-policy-agent/opa-wasm. README.md has the
 * measurements that chose the default.
 */
import type { EntryResults } from "./entry.ts";

export const ENGINES = ["opa", "wasm"] as const;
export type Engine = (typeof ENGINES)[number];

/** What OPA loads: policy folders and data files as `--data`, bundles as `--bundle`. */
export interface PolicyLoad {
  /** Folders or files of Rego and data (JSON/YAML), loaded as they are. */
  paths: string[];
  /** Bundle files (.tar.gz), whose signatures OPA verifies when `verification` is set. */
  bundles: string[];
  verification?: BundleVerification;
  /** Accept Rego v0 syntax (`opa --v0-compatible`). */
  v0Compatible: boolean;
}

export interface BundleVerification {
  /** A PEM public key (or an HMAC secret) file. */
  keyFile: string;
  keyId?: string;
  algorithm?: string;
  scope?: string;
}

export interface Evaluation {
  results: EntryResults;
  durationMs: number;
}
