import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePostgresJs } from "drizzle-orm/postgres-js";
import pg from "pg";
import postgres from "postgres";
import { roundTripCounter, type Database } from "./database.js";
import { openPglite } from "./pglite.js";
import * as schema from "./schema.js";

const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

/** The client library for a PostgreSQL server (DATABASE_DRIVER); see the README's decisions. */
export type ServerDriver = "pg" | "postgres-js";
export const DEFAULT_SERVER_DRIVER: ServerDriver = "pg";
const POOL_SIZE = 10;

/**
 * Opens the database for the Node runtime: a PostgreSQL server when a URL is given (through
 * node-postgres, or postgres.js), otherwise embedded PGlite with its files under dataDir (or in
 * memory for ":memory:"). Migrations are applied before the handle is returned.
 */
export async function openNodeDatabase(opts: { url?: string; dataDir?: string; migrate?: boolean; driver?: ServerDriver }): Promise<Database> {
  const migrate = opts.migrate ?? true;
  const dataDir = opts.dataDir ?? ":memory:";
  const counter = roundTripCounter();
  if (opts.url && (opts.driver ?? DEFAULT_SERVER_DRIVER) === "postgres-js") {
    // Statements are prepared per connection by postgres.js itself; notices are not errors.
    const client = postgres(opts.url, { max: POOL_SIZE, onnotice: () => {} });
    const db = drizzlePostgresJs(client, { schema, logger: counter });
    // Drizzle turns postgres.js' date serializers off (its columns send text); our raw `sql`
    // fragments pass Date objects, which node-postgres and PGlite accept: send them as ISO text.
    const isoDate = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
    const serializers = client.options.serializers as Record<string, (v: unknown) => unknown>;
    for (const type of ["1184", "1114", "1082"]) serializers[type] = isoDate;
    if (migrate) await migratePg(db as never, { migrationsFolder });
    return { db, roundTrips: () => counter.count, close: () => client.end() };
  }
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: POOL_SIZE });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on("error", (err) => console.error(JSON.stringify({ event: "db.pool_error", message: err.message })));
    const db = drizzlePg(pool, { schema, logger: counter });
    if (migrate) await migratePg(db, { migrationsFolder });
    return { db, roundTrips: () => counter.count, close: () => pool.end() };
  }
  if (dataDir !== ":memory:") mkdirSync(dataDir, { recursive: true });
  const client = await openPglite(dataDir);
  const db = drizzlePglite(client, { schema, logger: counter });
  if (migrate) await migratePglite(db, { migrationsFolder });
  return { db, roundTrips: () => counter.count, close: () => client.close() };
}
