import pg from "pg";
import { openNodeDatabase } from "../../src/db/node-database.js";

/** For the real server: start from an empty schema and apply every committed migration once. */
export default async function setup() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("drop schema if exists public cascade; drop schema if exists drizzle cascade; create schema public;");
  await client.end();
  const database = await openNodeDatabase({ url });
  await database.close();
}
