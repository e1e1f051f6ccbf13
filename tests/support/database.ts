import { openNodeDatabase } from "../../src/db/node-database.js";

/**
 * The database a test file runs against: a fresh in-memory PGlite by default, or the real
 * PostgreSQL server named by TEST_DATABASE_URL (migrated once by the global setup; tests keep
 * apart by creating their own users, never by relying on an empty table).
 */
export function openTestDatabase() {
  const url = process.env.TEST_DATABASE_URL;
  // TEST_DATABASE_DRIVER=pg runs the suite on node-postgres instead of the default (postgres.js).
  const driver = process.env.TEST_DATABASE_DRIVER === "pg" ? "pg" : process.env.TEST_DATABASE_DRIVER === "postgres-js" ? "postgres-js" : undefined;
  return url ? openNodeDatabase({ url, migrate: false, driver }) : openNodeDatabase({ dataDir: ":memory:" });
}
