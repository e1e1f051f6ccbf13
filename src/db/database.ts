import { sql, type Logger, type SQL } from "drizzle-orm";
import type { PgDatabase, PgDialect, PgQueryResultHKT, PgSession } from "drizzle-orm/pg-core";
import type * as schema from "./schema.js";

/** The one Drizzle type every query is written against, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/**
 * The database seam handed to the app: a Drizzle handle plus a round-trip counter,
 * so tests can hold every page and write to a query budget on any driver.
 */
export interface Database {
  readonly db: Db;
  /** Statements sent to the server since this handle was made. */
  roundTrips(): number;
  close(): Promise<void>;
}

/** A Drizzle logger that counts instead of printing: every statement Drizzle sends passes here. */
export function roundTripCounter(): Logger & { count: number } {
  return {
    count: 0,
    logQuery() {
      this.count += 1;
    },
  };
}

/**
 * The rows of a raw `db.execute` result. Drizzle types them per driver: node-postgres, PGlite
 * and Neon's Pool answer `{ rows }`, postgres.js the rows themselves.
 */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

/**
 * Handles whose connections serve one request and are then closed (the Worker's): a named prepared
 * statement would be prepared again on every request for no gain, and through a connection pooler
 * or `npm run dev`'s embedded server (one PGlite session behind every connection) the second
 * PREPARE of a name fails with "prepared statement already exists".
 */
const perRequestHandles = new WeakSet<Db>();

export function markConnectionsPerRequest(db: Db): void {
  perRequestHandles.add(db);
}

/** The name to prepare a hot statement under: its own, or none (unnamed) on a per-request handle. */
export function statementName(db: Db, name: string): string {
  return perRequestHandles.has(db) ? "" : name;
}

/**
 * A raw statement run as a prepared statement on a long-lived connection, named after its text:
 * Drizzle sends `db.execute` unnamed, so PostgreSQL parses and plans it on every call. For the
 * list page's one statement that was half of the server's time (pgbench, the 1,000-task user:
 * 2.07 ms a call unprepared, 0.92 ms prepared). The name is a hash of the text, so the same text
 * always has the same name (node-postgres refuses one name for two texts) and each filter shape
 * gets its own plan; a per-request handle (the Worker's) runs it unnamed as before.
 */
export async function executePrepared(db: Db, name: string, query: SQL): Promise<unknown> {
  // (A transaction handle is another object than its database: pass the database itself.)
  if (perRequestHandles.has(db)) return db.execute(query);
  // PgDatabase keeps its dialect and session as fields; Drizzle's own `execute` goes the same way.
  const { dialect, session } = db as unknown as { dialect: PgDialect; session: PgSession };
  const built = dialect.sqlToQuery(query);
  const statement = `${name}_${textHash(built.sql)}`;
  if (!PREPARED_NAMES.has(statement)) {
    // Filters combine into thousands of texts, and a server keeps each prepared statement for the
    // connection's life: past the first MAX_PREPARED_TEXTS shapes (the common ones come first),
    // a new shape runs unnamed, so no sequence of requests can grow the connections without bound.
    if (PREPARED_NAMES.size >= MAX_PREPARED_TEXTS) return db.execute(query);
    PREPARED_NAMES.add(statement);
  }
  return session.prepareQuery(built, undefined, statement, false).execute();
}

const MAX_PREPARED_TEXTS = 200;
const PREPARED_NAMES = new Set<string>();

// cyrb53 (a public-domain 53-bit string hash): a name, not a secret, and the same on every runtime.
function textHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** One trivial statement: whether the server answers at all (the health check). */
export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
