/**
 * The pg backend locks a workspace with a session advisory lock on its row id in
 * `<schema_name>.states`, and while the workspace has no row yet on a negative "creation" key (-1 in
 * Terraform; a negated hash of the schema name since OpenTofu 1.10, so any negative key above
 * -2^32 in the database is taken as one: another schema's creation can show here too). It writes
 * no LockInfo anywhere,
 * and the lock ID it prints lives only in the holding process. So the holder is read from
 * PostgreSQL itself: pg_locks (a bigint key k is classid = k >> 32, objid = k & 0xffffffff,
 * objsubid = 1) joined with pg_stat_activity for the session's pid, user, client and start (the
 * lock is at most as old as its session). The lock ends with the session: releasing a stuck one
 * means ending that session (`pg_terminate_backend`), which `tofu force-unlock` cannot do.
 */
import type { Logger } from "@pipes/core";
import { PipeError } from "@pipes/core";
import pg from "pg";
import type { HeldLock } from "../locks.ts";
import { type ResolvedBackend, setting } from "./init.ts";

type Env = Record<string, string | undefined>;

function connection(backend: ResolvedBackend, env: Env): { connStr: string; schema: string } {
  const connStr = setting(backend, "conn_str") ?? env.PG_CONN_STR;
  if (!connStr)
    throw new PipeError("The pg backend has no conn_str, and PG_CONN_STR is not set", {
      code: "LOCK_BACKEND",
      suggestion: "Give the connection string as init does (backend config or PG_CONN_STR).",
    });
  return {
    connStr,
    schema: setting(backend, "schema_name") ?? env.PG_SCHEMA_NAME ?? "terraform_remote_state",
  };
}

async function withClient<T>(
  backend: ResolvedBackend,
  env: Env,
  use: (client: pg.Client, schema: string) => Promise<T>,
): Promise<T> {
  const { connStr, schema } = connection(backend, env);
  const client = new pg.Client({ connectionString: connStr, application_name: "state-guard" });
  await client.connect();
  try {
    return await use(client, schema);
  } finally {
    await client.end();
  }
}

interface LockRow {
  pid: number;
  row_id: string | null;
  usename: string | null;
  application_name: string | null;
  client_addr: string | null;
  backend_start: Date | null;
}

export async function findPgLocks(backend: ResolvedBackend, env: Env, _log: Logger): Promise<HeldLock[]> {
  return withClient(backend, env, async (client, schema) => {
    const table = `${client.escapeIdentifier(schema)}.states`;
    const exists = await client.query<{ found: string | null }>("select to_regclass($1) as found", [
      `${schema}.states`,
    ]);
    if (!exists.rows[0]?.found) return [];
    const result = await client.query<LockRow>(
      `select l.pid, s.id::text as row_id, a.usename, a.application_name, host(a.client_addr) as client_addr,
              a.backend_start
         from pg_locks l
         left join ${table} s on s.name = $1
          and l.classid = ((s.id >> 32) & 4294967295)::oid and l.objid = (s.id & 4294967295)::oid
         left join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and l.granted and l.objsubid = 1
          and l.database = (select oid from pg_database where datname = current_database())
          and (s.id is not null or l.classid = 4294967295)
        order by l.pid`,
      [backend.workspace],
    );
    return result.rows.map((row): HeldLock => {
      const who = [row.usename, row.client_addr && `@${row.client_addr}`].filter(Boolean).join("");
      const what = row.row_id === null ? "the workspace-creation key" : `states row ${row.row_id}`;
      return {
        backend: "pg",
        id: `pg-pid-${row.pid}`,
        ...(who ? { who: row.application_name ? `${who} (${row.application_name})` : who } : {}),
        ...(row.backend_start ? { created: row.backend_start } : {}),
        path: `${schema}.states/${backend.workspace}`,
        info: `a pg advisory lock on ${what} of ${schema}.states (workspace ${backend.workspace}), held by backend pid ${row.pid}`,
      };
    });
  });
}

/** Ends the PostgreSQL session that holds `lock` (its id is `pg-pid-<pid>`, from findPgLocks). */
export async function terminatePgLockHolder(
  backend: ResolvedBackend,
  env: Env,
  lock: HeldLock,
): Promise<void> {
  const pid = /^pg-pid-(\d+)$/.exec(lock.id)?.[1];
  if (!pid)
    throw new PipeError(`${lock.id} is not a pg lock found by state-guard`, {
      code: "LOCK_ID",
      suggestion: "Unlock the ID that MODE=locks listed for this pg backend.",
    });
  await withClient(backend, env, async (client) => {
    const ended = await client.query<{ ended: boolean }>("select pg_terminate_backend($1::int) as ended", [
      Number(pid),
    ]);
    if (!ended.rows[0]?.ended)
      throw new PipeError(`PostgreSQL did not end backend pid ${pid}, which holds the lock`, {
        code: "LOCK_STILL_HELD",
        suggestion:
          "The backend's user needs pg_signal_backend (or to be the same role) to end another session.",
      });
    // The lock goes when the session has ended, a moment after the signal.
    for (let attempt = 0; attempt < 50; attempt++) {
      const left = await client.query("select 1 from pg_stat_activity where pid = $1::int", [Number(pid)]);
      if (left.rowCount === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
}
