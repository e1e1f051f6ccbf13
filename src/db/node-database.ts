import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { roundTripCounter, type Database } from "./database.js";
import { openPglite } from "./pglite.js";
import * as schema from "./schema.js";

const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

/**
 * Opens the database for the Node runtime: node-postgres when a URL is given,
 * otherwise embedded PGlite with its files under dataDir (or in memory for ":memory:").
 * Migrations are applied before the handle is returned.
 */
export async function openNodeDatabase(opts: { url?: string; dataDir?: string; migrate?: boolean }): Promise<Database> {
  const migrate = opts.migrate ?? true;
  const dataDir = opts.dataDir ?? ":memory:";
  const counter = roundTripCounter();
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: 10 });
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
