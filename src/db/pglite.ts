import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/**
 * The embedded database with the extensions our migrations create: PGlite bundles contrib
 * modules separately, so pg_trgm (trigram search indexes) must be handed over when it starts.
 */
export async function openPglite(dataDir: string): Promise<PGlite> {
  const extensions = { pg_trgm };
  const client = dataDir === ":memory:" ? new PGlite({ extensions }) : new PGlite(dataDir, { extensions });
  await client.waitReady;
  return client;
}
