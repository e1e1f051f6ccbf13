import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { roundTripCounter, type Database } from "./database.js";
import * as schema from "./schema.js";

const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

/**
 * The client library for a PostgreSQL server (DATABASE_DRIVER). postgres.js by default: through
 * Drizzle it served list pages and writes 10-25 % faster than node-postgres in `npm run bench`
 * (README, decision 23); node-postgres stays available and tested.
 */
export type ServerDriver = "pg" | "postgres-js";
export const DEFAULT_SERVER_DRIVER: ServerDriver = "postgres-js";
const POOL_SIZE = 10;

// Each driver is imported only when chosen: a process holds one database, and every module
// loaded costs start-up time and memory (a reminder run's peak memory includes it).

/**
 * Opens the database for the Node runtime: a PostgreSQL server when a URL is given (through
 * node-postgres, or postgres.js), otherwise embedded PGlite with its files under dataDir (or in
 * memory for ":memory:"). Migrations are applied before the handle is returned.
 */
export async function openNodeDatabase(opts: { url?: string; dataDir?: string; migrate?: boolean; driver?: ServerDriver }): Promise<Database> {
  const migrate = opts.migrate ?? true;
  if (opts.url && (opts.driver ?? DEFAULT_SERVER_DRIVER) === "postgres-js") return openPostgresJs(opts.url, migrate);
  if (opts.url) return openNodePostgres(opts.url, migrate);
  return openEmbedded(opts.dataDir ?? ":memory:", migrate);
}

async function openNodePostgres(url: string, migrate: boolean): Promise<Database> {
  const [{ default: pg }, { drizzle }, { migrate: migrateDb }] = await Promise.all([
    import("pg"),
    import("drizzle-orm/node-postgres"),
    import("drizzle-orm/node-postgres/migrator"),
  ]);
  const counter = roundTripCounter();
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on("error", (err) => console.error(JSON.stringify({ event: "db.pool_error", message: err.message })));
  const db = drizzle(pool, { schema, logger: counter });
  if (migrate) await migrateDb(db, { migrationsFolder });
  return { db, roundTrips: () => counter.count, close: () => pool.end() };
}

async function openPostgresJs(url: string, migrate: boolean): Promise<Database> {
  const [{ default: postgres }, { drizzle }, { migrate: migrateDb }] = await Promise.all([
    import("postgres"),
    import("drizzle-orm/postgres-js"),
    import("drizzle-orm/postgres-js/migrator"),
  ]);
  const counter = roundTripCounter();
  // Statements are prepared per connection by postgres.js itself; notices are not errors.
  const client = postgres(url, { max: POOL_SIZE, onnotice: () => {} });
  const db = drizzle(client, { schema, logger: counter });
  sendDatesAsText(client);
  if (migrate) await migrateDb(db, { migrationsFolder });
  return { db, roundTrips: () => counter.count, close: () => client.end() };
}

/**
 * Drizzle turns postgres.js' date serializers off (its columns send text), on the client itself;
 * our raw `sql` fragments pass Date objects, which node-postgres and PGlite accept: send them as
 * ISO text. Call it after every `drizzle(client)` made on a postgres.js client.
 */
export function sendDatesAsText(client: { options: { serializers: unknown } }): void {
  const isoDate = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
  const serializers = client.options.serializers as Record<string, (v: unknown) => unknown>;
  for (const type of ["1184", "1114", "1082"]) serializers[type] = isoDate;
}

async function openEmbedded(dataDir: string, migrate: boolean): Promise<Database> {
  const [{ openPglite }, { drizzle }, { migrate: migrateDb }] = await Promise.all([
    import("./pglite.js"),
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
  ]);
  if (dataDir !== ":memory:") mkdirSync(dataDir, { recursive: true });
  const counter = roundTripCounter();
  const client = await openPglite(dataDir);
  const db = drizzle(client, { schema, logger: counter });
  if (migrate) await migrateDb(db, { migrationsFolder });
  return { db, roundTrips: () => counter.count, close: () => client.close() };
}
