import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import type { Database } from "../../src/db/database.js";
import { openNodeDatabase } from "../../src/db/node-database.js";
import { rowsOf } from "../../src/db/database.js";

/**
 * Where a scenario's data lives: the PostgreSQL server named by BENCH_DATABASE_URL, or, without
 * one, an embedded PGlite directory (the Node entry's default database) made fresh for each scenario.
 */
export type Target = { kind: "postgres"; url: string } | { kind: "embedded"; dataDir: string };

/**
 * A clean slate for one scenario, with the repo's own migrations applied: the scan writes outbox
 * rows and the load adds tasks, so no scenario may inherit another's.
 */
export async function freshTarget(url: string | undefined, tmpRoot: string): Promise<{ target: Target; database: Database }> {
  if (url) {
    // The same reset as tests/support/global-setup.ts.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("drop schema if exists public cascade; drop schema if exists drizzle cascade; create schema public;");
    await client.end();
    return { target: { kind: "postgres", url }, database: await openNodeDatabase({ url }) };
  }
  const dataDir = mkdtempSync(join(tmpRoot, "pglite-"));
  return { target: { kind: "embedded", dataDir }, database: await openNodeDatabase({ dataDir }) };
}

/** One line for the report saying which database answered, since the figures depend on it. */
export async function describeDatabase(url: string | undefined, database: Database): Promise<string> {
  const version = rowsOf<{ v: string }>(await database.db.execute(sql`select current_setting('server_version') as v`))[0]?.v ?? "?";
  if (!url) return `embedded PGlite (PostgreSQL ${version}, in-process WebAssembly), no BENCH_DATABASE_URL`;
  const where = new URL(url);
  return `PostgreSQL ${version} server at ${where.host}${where.pathname} (BENCH_DATABASE_URL)`;
}

/** Environment for a child process (server or scan) that opens this target's database. */
export function databaseEnv(target: Target, scratchDir: string): Record<string, string> {
  return target.kind === "postgres" ? { DATABASE_URL: target.url, DATA_DIR: scratchDir } : { DATABASE_URL: "", DATA_DIR: target.dataDir };
}

/** The Worker benchmarks' throwaway database on the local server, dropped and made anew each run. */
export async function freshLocalDatabase(name = "smarttask_bench"): Promise<string> {
  const admin = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/postgres" });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  return `postgres://postgres@127.0.0.1:5432/${name}`;
}
