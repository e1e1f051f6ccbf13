import { eq, sql } from "drizzle-orm";
import { rowsOf } from "../../src/db/database.js";
import { users } from "../../src/db/schema.js";
import type { TestApp } from "./test-app.js";

/**
 * Every row, in every table of the public schema, whose text form (`row::text`, all its columns)
 * contains one of `needles` (case-insensitive), as { table: count } for the tables that have
 * any. The tables are read from information_schema, so a table added later is searched too.
 * `except` names tables left out (dev_mailbox: the stand-in for people's inboxes, not app data).
 */
export async function rowsNaming(t: TestApp, needles: string[], except: string[] = []): Promise<Record<string, number>> {
  const { db } = t.database;
  const tables = rowsOf<{ name: string }>(
    await db.execute(sql`select table_name::text as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`),
  ).map((r) => String(r.name));
  if (!tables.includes("users") || !tables.includes("dev_mailbox")) throw new Error(`unexpected table list: ${tables.join(", ")}`);
  const found: Record<string, number> = {};
  const patterns = JSON.stringify(needles.map((n) => `%${n.toLowerCase()}%`));
  for (const table of tables.filter((name) => !except.includes(name))) {
    const result = await db.execute(sql`select count(*)::int as n from ${sql.identifier(table)} x
      where lower(x::text) like any(array(select json_array_elements_text(${patterns}::json)))`);
    const n = Number(rowsOf<{ n: number | string }>(result)[0]?.n ?? 0);
    if (n > 0) found[table] = n;
  }
  return found;
}

export async function userIdOf(t: TestApp, email: string): Promise<string> {
  const [row] = await t.database.db.select({ id: users.id }).from(users).where(eq(users.email, email.trim().toLowerCase()));
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}
