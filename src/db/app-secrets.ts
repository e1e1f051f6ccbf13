import { eq } from "drizzle-orm";
import type { Db } from "./database.js";
import { appSecrets } from "./schema.js";

/** A secret the app keeps in its own database (by name), or null when none was made yet. */
export async function readAppSecret(db: Db, name: string): Promise<string | null> {
  const [row] = await db.select().from(appSecrets).where(eq(appSecrets.name, name));
  return row?.value ?? null;
}

/**
 * Stores `value` under `name` unless one is there already, and answers the one that is stored:
 * two processes starting together may both try, the first insert wins and both read it back.
 */
export async function keepAppSecret(db: Db, name: string, value: string): Promise<string> {
  await db.insert(appSecrets).values({ name, value }).onConflictDoNothing();
  return (await readAppSecret(db, name))!;
}
