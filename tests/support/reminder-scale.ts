import { sql } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgresJs } from "drizzle-orm/postgres-js";
import type { Logger } from "drizzle-orm";
import { rowsOf, type Database, type Db } from "../../src/db/database.js";
import { sendDatesAsText } from "../../src/db/node-database.js";
import * as schema from "../../src/db/schema.js";
import type { TestApp } from "./test-app.js";

/**
 * Fixtures for the reminder scan at scale: users and tasks made by one INSERT … SELECT
 * generate_series each (tens of thousands of rows in one statement, not one round trip a row),
 * and a view of the test database whose every statement passes a hook first, to count
 * parameters or to fail a chosen statement as a crash would.
 */

/** Makes `count` users in `timezone` (reminders at 08:00, digest) and returns their ids. */
export async function bulkUsers(t: TestApp, count: number, opts: { timezone?: string; delivery?: "digest" | "per_task" } = {}): Promise<string[]> {
  const prefix = crypto.randomUUID();
  const result = await t.database.db.execute(sql`
    insert into users (email, name, password_hash, timezone, reminder_delivery, email_verified_at)
    select 'scale-' || ${prefix} || '-' || g || '@example.com', 'Scale user ' || g, 'fixture-without-password',
      ${opts.timezone ?? "UTC"}, ${opts.delivery ?? "digest"}, now()
    from generate_series(1, ${count}::int) g
    returning id`);
  return rowsOf<{ id: string }>(result).map((r) => String(r.id));
}

/**
 * Gives each user `perUser` open tasks due on `dueDate` (in `timezone`, date only), titled
 * "Bulk <n>", with priorities cycling low, medium, high, urgent.
 */
export async function bulkTasks(t: TestApp, userIds: string[], perUser: number, dueDate: string, timezone = "UTC"): Promise<void> {
  await t.database.db.execute(sql`
    insert into tasks (user_id, title, priority, status, due_date, due_at, created_at, updated_at)
    select u.id::uuid, 'Bulk ' || g, (array['low','medium','high','urgent'])[1 + g % 4]::task_priority, 'todo',
      ${dueDate}::date, ((${dueDate}::date + 1)::timestamp at time zone ${timezone}) - interval '1 millisecond',
      '2020-01-01T00:00:00Z'::timestamptz, '2020-01-01T00:00:00Z'::timestamptz
    from json_array_elements_text(${JSON.stringify(userIds)}::json) as u(id)
      cross join generate_series(1, ${perUser}::int) g`);
}

/**
 * The test database (same connection or pool) seen through a Drizzle handle whose statements all
 * pass `watch(query, params)` before they are sent; a throw from `watch` fails that statement
 * exactly as a lost connection would.
 */
export function watchedDatabase(t: TestApp, watch: (query: string, params: unknown[]) => void): Database {
  let count = 0;
  const logger: Logger = {
    logQuery(query, params) {
      count += 1;
      watch(query, params);
    },
  };
  const client = (t.database.db as unknown as { $client: never }).$client;
  const url = process.env.TEST_DATABASE_URL;
  // The same driver as t's handle (tests/support/database.ts): postgres.js unless pg is asked for.
  let db: Db;
  if (!url) db = drizzlePglite(client, { schema, logger });
  else if (process.env.TEST_DATABASE_DRIVER === "pg") db = drizzlePg(client, { schema, logger });
  else {
    db = drizzlePostgresJs(client, { schema, logger }) as unknown as Db;
    sendDatesAsText(client);
  }
  // The handle shares t's client: closing it is t's business.
  return { db, roundTrips: () => count, close: async () => undefined };
}

/** A watch that records the largest number of parameters any one statement carried. */
export function parameterMeter() {
  const meter = {
    statements: 0,
    maxParams: 0,
    watch: (_query: string, params: unknown[]) => {
      meter.statements += 1;
      meter.maxParams = Math.max(meter.maxParams, params.length);
    },
  };
  return meter;
}
