interface Db {
  query(sql: string, values?: unknown[]): Promise<unknown>;
}

export async function findUser(db: Db, id: string, name: string): Promise<unknown> {
  // ruleid: js-sql-string-building
  await db.query(`SELECT * FROM users WHERE id = ${id}`);
  // ruleid: js-sql-string-building
  await db.query("SELECT * FROM users WHERE name = '" + name + "'");
  // ok: js-sql-string-building
  await db.query("SELECT * FROM users WHERE id = $1", [id]);
  // ok: js-sql-string-building
  return db.query(`SELECT count(*) FROM users`);
}
