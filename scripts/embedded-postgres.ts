// Serves the embedded database (PGlite) over the PostgreSQL wire protocol on loopback, so that
// workerd's Neon driver can reach it through scripts/ws-proxy.mjs when no PostgreSQL server exists.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { openPglite } from "../src/db/pglite.js";

const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

export async function startEmbeddedPostgres(opts: { dataDir: string; port: number }) {
  if (opts.dataDir !== ":memory:") mkdirSync(opts.dataDir, { recursive: true });
  const db = await openPglite(opts.dataDir);
  await migrate(drizzle(db), { migrationsFolder });
  // Several connections share the one PGlite session; the server queues their queries. Good for a
  // person trying the Worker locally, not for load: benchmarks use a PostgreSQL server. The Worker
  // opens a connection per request and closes it after the response, so many may be open for a
  // moment (at 20, the 21st was cut off: "Connection terminated unexpectedly"). Statements on
  // them are never named (markConnectionsPerRequest): a shared session would refuse a second PREPARE.
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: opts.port, maxConnections: 200 });
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${opts.port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
