/**
 * The imperative shell of each MODE: open the store and the state, call the pure core and the
 * adapters, and turn what they found into reasons. A guard's refusal (a PipeError with exit code 1:
 * lineage changed, serial rollback, tampered or unreadable backup, unconfirmed restore) becomes a
 * FAIL reason, published like any verdict; invalid input and tool failures propagate (exit 2, 3).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  type BitbucketContext,
  type Env,
  ExitCode,
  errorMessage,
  InputError,
  type Logger,
  PipeError,
} from "@pipes/core";
import { type ObjectStore, openStore } from "@pipes/storage";
import { parseTargetsConfig, selectTargets, type Target } from "@pipes/terraform";
import { auditStore } from "./audit.ts";
import { type Backup, backupState, type Keyring, listBackups, readBackup } from "./backups.ts";
import { detectDrift, remediate } from "./drift-run.ts";
import { makeKeyring } from "./keys.ts";
import { describeLock, findLocks, forceUnlock, lockVerdict } from "./locks.ts";
import { pushBack, restoreToFile, selectVersion, type VersionSelector } from "./restore.ts";
import { decide, type GuardResult, type Reason, versionEntry } from "./result.ts";
import { applyRetention, retentionPlan } from "./retention.ts";
import { pullState, type StateSource } from "./terraform.ts";
import type { Variables } from "./variables.ts";

export interface ModeInput {
  vars: Variables;
  context: BitbucketContext;
  env: Env;
  log: Logger;
  now: Date;
}

type Details = Omit<GuardResult, "mode" | "verdict" | "reasons" | "store">;
interface ModeOutcome {
  reasons: Reason[];
  details: Details;
}

export function stateSource({ vars, context, env }: ModeInput): StateSource {
  return {
    binary: vars.BINARY,
    moduleDir: path.resolve(context.cloneDir, vars.WORKING_DIR),
    // The pipe's own storage: never the user's .terraform folder, whose plugins or backend settings
    // an earlier step may rely on.
    dataDir: path.join(context.pipeStorageDir, "tfdata", vars.WORKING_DIR.replace(/[^\w.-]+/g, "_")),
    backendConfig: vars.BACKEND_CONFIG,
    ...(vars.WORKSPACE ? { workspace: vars.WORKSPACE } : {}),
    env: { ...env, CHECKPOINT_DISABLE: "1" },
  };
}

export function keyringFromVariables({ vars, env }: Pick<ModeInput, "vars" | "env">): Promise<Keyring> {
  return makeKeyring({
    keySource: vars.KEY_SOURCE,
    passphrase: vars.STATE_PASSPHRASE,
    previousPassphrases: vars.STATE_PASSPHRASE_PREVIOUS,
    kdf: vars.KDF,
    env,
  });
}

async function currentState(input: ModeInput): Promise<{ bytes: Uint8Array; from: string }> {
  const { vars, context, log } = input;
  if (vars.STATE_FILE) {
    const file = path.resolve(context.cloneDir, vars.STATE_FILE);
    try {
      return { bytes: await readFile(file), from: `STATE_FILE ${vars.STATE_FILE}` };
    } catch (error) {
      throw new InputError(`STATE_FILE ${vars.STATE_FILE} cannot be read: ${errorMessage(error)}`, {
        code: "STATE_FILE",
        suggestion:
          "Give a state file relative to the clone directory, or leave STATE_FILE unset to pull the state.",
      });
    }
  }
  const source = stateSource(input);
  log.info(`pulling the state of ${vars.WORKING_DIR} through its backend (${vars.BINARY} state pull)`);
  return { bytes: await pullState(source, log), from: `the state of ${vars.WORKING_DIR}` };
}

async function backupMode(input: ModeInput, store: ObjectStore): Promise<ModeOutcome> {
  const { vars, context, log } = input;
  const keys = await keyringFromVariables(input);
  const { bytes, from } = await currentState(input);
  if (bytes.byteLength === 0)
    return {
      reasons: [
        {
          verdict: "WARN",
          code: "NO_STATE",
          message: `${from} is empty: the backend holds no state yet, nothing to back up`,
          suggestion: "Check WORKING_DIR, WORKSPACE and BACKEND_CONFIG if a state should exist.",
        },
      ],
      details: {},
    };
  const outcome = await backupState(store, bytes, {
    keys,
    ...(context.commit ? { commit: context.commit } : {}),
    now: () => input.now,
    allowNewLineage: vars.ALLOW_NEW_LINEAGE,
  });
  const b = outcome.backup;
  const reasons: Reason[] = [];
  const details: Details = {};
  if (outcome.status === "unchanged") {
    reasons.push({
      verdict: "PASS",
      code: "UNCHANGED",
      message: `serial ${b.serial} of lineage ${b.lineage} is unchanged since its backup ${b.key}: no new version`,
    });
    details.backup = {
      status: "unchanged",
      version: versionEntry(b),
      previousSerial: b.serial,
      verifyMs: null,
    };
  } else {
    const previous = outcome.previous;
    if (previous && previous.lineage !== b.lineage)
      reasons.push({
        verdict: "WARN",
        code: "NEW_LINEAGE",
        message: `a new lineage ${b.lineage} replaces ${previous.lineage} (serial ${previous.serial}), accepted with ALLOW_NEW_LINEAGE=true`,
      });
    reasons.push({
      verdict: "PASS",
      code: "BACKED_UP",
      message: `serial ${b.serial} of lineage ${b.lineage} backed up as ${b.key}, read back and verified in ${Math.round(outcome.verifyMs)} ms`,
    });
    details.backup = {
      status: "created",
      version: versionEntry(b),
      previousSerial: previous?.serial ?? null,
      verifyMs: Math.round(outcome.verifyMs),
    };
  }
  log.info(reasons.at(-1)?.message ?? "");
  if (vars.APPLY_RETENTION) {
    const retention = await retentionMode(input, store, keys);
    reasons.push(...retention.reasons);
    Object.assign(details, retention.details);
  }
  return { reasons, details };
}

/** The newest backups that do not read, newest first, up to the first that does: retention keeps that one. */
async function unreadableNewest(
  store: ObjectStore,
  backups: readonly Backup[],
  keys: Keyring,
): Promise<Set<string>> {
  const unreadable = new Set<string>();
  for (const backup of [...backups].reverse()) {
    try {
      await readBackup(store, backup, keys);
      return unreadable;
    } catch (error) {
      if (!(error instanceof PipeError)) throw error;
      unreadable.add(backup.key);
    }
  }
  return unreadable;
}

async function retentionMode(input: ModeInput, store: ObjectStore, keys?: Keyring): Promise<ModeOutcome> {
  const { vars, log } = input;
  const backups = await listBackups(store);
  const unreadable = await unreadableNewest(store, backups, keys ?? (await keyringFromVariables(input)));
  const plan = retentionPlan(
    backups,
    {
      keepLast: vars.KEEP_LAST,
      daily: vars.KEEP_DAILY,
      weekly: vars.KEEP_WEEKLY,
      monthly: vars.KEEP_MONTHLY,
    },
    input.now,
    { unreadable },
  );
  const applied = await applyRetention(store, plan, { dryRun: vars.DRY_RUN });
  const reasons: Reason[] = [];
  for (const key of unreadable)
    reasons.push({
      verdict: "WARN",
      code: "NEWEST_UNREADABLE",
      message: `${key} does not decrypt with the configured keys: retention kept the newest readable version below it`,
      suggestion: "Run MODE=audit to see every unreadable version.",
    });
  const count = vars.DRY_RUN ? applied.wouldRemove.length : applied.removed.length;
  reasons.push({
    verdict: "PASS",
    code: vars.DRY_RUN ? "RETENTION_DRY_RUN" : "RETENTION_APPLIED",
    message: `${vars.DRY_RUN ? "retention (dry run) would remove" : "retention removed"} ${count} of ${backups.length} versions, keeping ${plan.keep.length}`,
  });
  for (const key of vars.DRY_RUN ? applied.wouldRemove : applied.removed)
    log.info(`${vars.DRY_RUN ? "would remove" : "removed"} ${key}`);
  return {
    reasons,
    details: {
      retention: {
        dryRun: vars.DRY_RUN,
        keep: plan.keep.map((k) => ({ ...versionEntry(k.backup), reasons: k.reasons })),
        remove: plan.remove.map((r) => ({ ...versionEntry(r.backup), reason: r.reason })),
        removed: applied.removed,
      },
    },
  };
}

/** `latest` | `42` | `<lineage>:42` | a backup key. */
export function parseVersionSelector(text: string): VersionSelector {
  const value = text.trim();
  if (value === "" || value.toLowerCase() === "latest") return "latest";
  if (/^\d+$/.test(value)) return { serial: Number(value) };
  const pair = /^([0-9a-f-]{8,}):(\d+)$/i.exec(value);
  if (pair) return { lineage: pair[1] as string, serial: Number(pair[2]) };
  if (value.endsWith(".tfstate.sgb")) return { key: value };
  throw new InputError(
    `RESTORE_VERSION=${JSON.stringify(value)} is not a version: expected latest, a serial (42), <lineage>:<serial> or a backup key`,
    {
      code: "RESTORE_VERSION",
      suggestion: "MODE=list shows every version with its serial, lineage and key.",
    },
  );
}

async function restoreMode(input: ModeInput, store: ObjectStore): Promise<ModeOutcome> {
  const { vars, context, log } = input;
  const selector = parseVersionSelector(vars.RESTORE_VERSION);
  const keys = await keyringFromVariables(input);
  const backup = selectVersion(await listBackups(store), selector);
  if (vars.RESTORE_TARGET === "file") {
    const file = path.resolve(context.cloneDir, vars.RESTORE_FILE);
    await restoreToFile(store, backup, keys, file);
    return {
      reasons: [
        {
          verdict: "PASS",
          code: "RESTORED_TO_FILE",
          message: `serial ${backup.serial} of lineage ${backup.lineage} decrypted, verified and written to ${vars.RESTORE_FILE}`,
        },
      ],
      details: {
        restore: {
          version: versionEntry(backup),
          target: "file",
          file: vars.RESTORE_FILE,
          serialAfter: null,
        },
      },
    };
  }
  const pushed = await pushBack({
    source: stateSource(input),
    store,
    backup,
    keys,
    confirm: vars.RESTORE_CONFIRM,
    log,
  });
  return {
    reasons: [
      {
        verdict: "PASS",
        code: "RESTORED_TO_BACKEND",
        message: `serial ${backup.serial} of lineage ${backup.lineage} pushed back through the backend; the state is now serial ${pushed.serial}`,
      },
    ],
    details: {
      restore: { version: versionEntry(backup), target: "backend", file: null, serialAfter: pushed.serial },
    },
  };
}

async function listMode(store: ObjectStore): Promise<ModeOutcome> {
  const backups = await listBackups(store);
  const lineages = new Set(backups.map((b) => b.lineage));
  const newest = backups.at(-1);
  return {
    reasons: [
      {
        verdict: backups.length ? "PASS" : "WARN",
        code: backups.length ? "VERSIONS" : "NO_BACKUPS",
        message: backups.length
          ? `${backups.length} versions of ${lineages.size} lineage${lineages.size === 1 ? "" : "s"}; newest serial ${newest?.serial} (${newest?.time.toISOString()})`
          : `${store.location} holds no backup`,
      },
    ],
    details: { versions: backups.map(versionEntry) },
  };
}

async function auditMode(input: ModeInput, store: ObjectStore): Promise<ModeOutcome> {
  const report = await auditStore(store, await keyringFromVariables(input));
  const reasons: Reason[] = report.problems.map((p) => ({
    verdict: "FAIL",
    code: p.code,
    message: p.message,
    suggestion: "Restore from an intact version (MODE=restore) and find who wrote to the store.",
  }));
  for (const gap of report.gaps)
    reasons.push({
      verdict: "PASS",
      code: "SERIAL_GAPS",
      message: `lineage ${gap.lineage} has no backup of serial${gap.missing.length === 1 ? "" : "s"} ${gap.missing.slice(0, 20).join(", ")}${gap.missing.length > 20 ? ` … (${gap.missing.length})` : ""} (retention, or runs without a backup)`,
    });
  reasons.push({
    verdict: report.problems.length ? "FAIL" : report.checked ? "PASS" : "WARN",
    code: "AUDITED",
    message: `${report.ok.length} of ${report.checked} objects decrypt and match their hash and metadata`,
  });
  return {
    reasons,
    details: {
      audit: {
        checked: report.checked,
        ok: report.ok.length,
        problems: report.problems,
        gaps: report.gaps,
        lineages: report.lineages,
      },
    },
  };
}

/** Held locks of WORKING_DIR's backend, judged stale or not; FORCE_UNLOCK removes the one it names. */
async function locksMode(input: ModeInput): Promise<ModeOutcome> {
  const { vars, env, log, now } = input;
  const source = stateSource(input);
  const held = await findLocks(source, env, log);
  const policy = {
    staleAfterSeconds: Math.round(vars.LOCK_STALE_AFTER / 1000),
    staleAction: vars.LOCK_STALE_ACTION,
  };
  const judged = lockVerdict(held, policy, now);
  const reasons: Reason[] = judged.locks.map((lock, i) => ({
    verdict: lock.stale ? (vars.LOCK_STALE_ACTION === "fail" ? "FAIL" : "WARN") : "PASS",
    code: lock.stale ? "STALE_LOCK" : "LOCK_HELD",
    message: judged.reasons[i] ?? describeLock(lock),
    ...(lock.stale
      ? { suggestion: `If no run holds it, remove it with MODE=locks and FORCE_UNLOCK=${lock.id}.` }
      : {}),
  }));
  const unlocked: string[] = [];
  if (vars.FORCE_UNLOCK) {
    const lock = held.find((l) => l.id === vars.FORCE_UNLOCK);
    if (!lock)
      throw new InputError(
        `FORCE_UNLOCK=${JSON.stringify(vars.FORCE_UNLOCK)} names no held lock${held.length ? ` (held: ${held.map((l) => l.id).join(", ")})` : " (no lock is held)"}`,
        {
          code: "FORCE_UNLOCK",
          suggestion: "Run MODE=locks without FORCE_UNLOCK to see the held locks and their ids.",
        },
      );
    await forceUnlock(source, lock, log);
    unlocked.push(lock.id);
    // The removed lock no longer decides the verdict.
    const index = held.indexOf(lock);
    reasons.splice(index, 1, {
      verdict: "PASS",
      code: "UNLOCKED",
      message: `${describeLock(lock)} removed (FORCE_UNLOCK)`,
    });
  }
  if (held.length === 0)
    reasons.push({ verdict: "PASS", code: "NO_LOCK", message: "no lock is held on the state" });
  return {
    reasons,
    details: {
      locks: judged.locks.map((l) => ({
        backend: l.backend,
        id: l.id,
        who: l.who ?? null,
        operation: l.operation ?? null,
        created: l.created?.toISOString() ?? null,
        ageSeconds: l.ageSeconds ?? null,
        stale: l.stale,
        path: l.path ?? null,
      })),
      unlocked,
    },
  };
}

/** The drift targets: the multicloud-plan targets file's rule for this run, or WORKING_DIR alone. */
async function driftTargets({ vars, context }: ModeInput): Promise<DriftTarget[]> {
  const file = path.resolve(context.cloneDir, vars.CONFIG_FILE);
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined)
    return [
      {
        name: vars.WORKING_DIR,
        directory: vars.WORKING_DIR,
        workspace: vars.WORKSPACE ?? "default",
        varFiles: [],
        backendConfig: vars.BACKEND_CONFIG,
      },
    ];
  const selection = selectTargets(
    parseTargetsConfig(text, vars.CONFIG_FILE, ["guard", "validation"]),
    { branch: context.branch, tag: context.tag, prDestinationBranch: context.prDestinationBranch },
    { source: vars.CONFIG_FILE, ...(vars.TARGETS.length ? { only: vars.TARGETS } : {}) },
  );
  return selection.targets;
}

type DriftTarget = Pick<Target, "name" | "directory" | "workspace" | "varFiles" | "backendConfig">;
type DriftEntry = NonNullable<GuardResult["drift"]>[number];

async function driftMode(input: ModeInput): Promise<ModeOutcome> {
  const { vars, context, env, log } = input;
  const reasons: Reason[] = [];
  const drift: DriftEntry[] = [];
  const action = vars.DRIFT_ACTION === "fail" ? "FAIL" : "WARN";
  for (const target of await driftTargets(input)) {
    const opts = {
      binary: vars.BINARY,
      moduleDir: path.resolve(context.cloneDir, target.directory),
      dataDir: path.join(context.pipeStorageDir, "tfdata", `drift-${target.name.replace(/[^\w.-]+/g, "_")}`),
      target: target.name,
      workspace: target.workspace,
      varFiles: target.varFiles,
      backendConfig: target.backendConfig,
      env: { ...env, CHECKPOINT_DISABLE: "1" },
      log,
    };
    log.info(`target ${target.name}: ${vars.BINARY} plan -refresh-only in ${target.directory}`);
    const found = await detectDrift(opts);
    const entry: DriftEntry = {
      target: target.name,
      drifted: found.drifted,
      remediation: { mode: vars.REMEDIATION, applied: false, remaining: null },
    };
    drift.push(entry);
    const addresses = found.drifted.map((r) => r.address);
    if (addresses.length === 0) {
      reasons.push({ verdict: "PASS", code: "NO_DRIFT", message: `target ${target.name}: no drift` });
      continue;
    }
    const what = `target ${target.name}: ${addresses.length} resource${addresses.length === 1 ? "" : "s"} changed outside Terraform (${addresses.slice(0, 10).join(", ")}${addresses.length > 10 ? ", …" : ""})`;
    if (vars.REMEDIATION === "report") {
      reasons.push({
        verdict: action,
        code: "DRIFT",
        message: what,
        suggestion:
          "REMEDIATION=accept records the real world in the state; REMEDIATION=revert applies the configuration.",
      });
      continue;
    }
    try {
      const done = await remediate(vars.REMEDIATION, {
        ...opts,
        approval: {
          approved: vars.REMEDIATION_APPROVED,
          branch: context.branch,
          protectedBranches: vars.PROTECTED_BRANCHES,
        },
      });
      entry.remediation = {
        mode: vars.REMEDIATION,
        applied: done.applied,
        remaining: done.after.drifted.length,
      };
      const remaining = done.after.drifted.length;
      reasons.push(
        remaining
          ? {
              verdict: "FAIL",
              code: "DRIFT_REMAINS",
              message: `${what}; after ${vars.REMEDIATION}, ${remaining} still drift`,
            }
          : {
              verdict: "WARN",
              code: vars.REMEDIATION === "accept" ? "DRIFT_ACCEPTED" : "DRIFT_REVERTED",
              message: `${what}; ${vars.REMEDIATION === "accept" ? "accepted into the state" : "reverted to the configuration"}, no drift remains`,
            },
      );
    } catch (error) {
      if (!(error instanceof PipeError) || error.exitCode !== ExitCode.failed) throw error;
      reasons.push({
        verdict: "FAIL",
        code: error.code,
        message: `${what}; ${error.message}`,
        ...(error.suggestion ? { suggestion: error.suggestion } : {}),
      });
    }
  }
  return { reasons, details: { drift } };
}

const MODES: Record<Variables["MODE"], (input: ModeInput, store: ObjectStore) => Promise<ModeOutcome>> = {
  backup: backupMode,
  retention: (input, store) => retentionMode(input, store),
  restore: restoreMode,
  list: (_input, store) => listMode(store),
  audit: auditMode,
  locks: (input) => locksMode(input),
  drift: (input) => driftMode(input),
};

/** Runs the MODE; a guard's refusal is a FAIL result, every other error propagates. */
export async function runMode(input: ModeInput): Promise<GuardResult> {
  const { vars, context, env } = input;
  const store = await openStore(vars.BACKUP_STORE, { env, cwd: context.cloneDir, variable: "BACKUP_STORE" });
  let outcome: ModeOutcome;
  try {
    outcome = await MODES[vars.MODE](input, store);
  } catch (error) {
    if (!(error instanceof PipeError) || error.exitCode !== ExitCode.failed) throw error;
    outcome = {
      reasons: [
        {
          verdict: "FAIL",
          code: error.code,
          message: error.message,
          ...(error.suggestion ? { suggestion: error.suggestion } : {}),
        },
      ],
      details: {},
    };
  }
  return { mode: vars.MODE, ...decide(outcome.reasons), store: store.location, ...outcome.details };
}
