// `npm run db:migrate`: applies the committed migrations in drizzle/ to DATABASE_URL (e.g. Neon).
import { openNodeDatabase } from "../src/db/node-database.js";
import { isPostgresUrl, POSTGRES_URL_HINT } from "../src/entries/settings.js";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("db:migrate needs DATABASE_URL (the embedded database migrates itself at npm start).");
  process.exit(1);
}
if (!isPostgresUrl(url)) {
  console.error(`db:migrate: DATABASE_URL ${POSTGRES_URL_HINT}`);
  process.exit(1);
}
try {
  const database = await openNodeDatabase({ url });
  await database.close();
  console.log("Migrations applied.");
} catch (err) {
  console.error(`Migration failed: ${(err as Error).message}`);
  process.exit(1);
}
