import { sql, type Logger } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
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

/** One trivial statement: whether the server answers at all (the health check). */
export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
