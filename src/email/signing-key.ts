import { eq } from "drizzle-orm";
import { toHex } from "../auth/bytes.js";
import type { Db } from "../db/database.js";
import { appSecrets } from "../db/schema.js";
import { createSigner, type Signer } from "./signing.js";

/**
 * The key that signs email links: SIGNING_SECRET when configured; otherwise one the app makes
 * once and keeps in its database, so self-hosting needs no extra setting and links survive restarts.
 */
export async function emailSigner(db: Db, configured: string | undefined): Promise<Signer> {
  if (configured) return createSigner(configured);
  const [existing] = await db.select().from(appSecrets).where(eq(appSecrets.name, "email-signing"));
  if (existing) return createSigner(existing.value);
  const value = toHex(crypto.getRandomValues(new Uint8Array(32)));
  // Two processes starting together may both try: the first insert wins and both read it back.
  await db.insert(appSecrets).values({ name: "email-signing", value }).onConflictDoNothing();
  const [stored] = await db.select().from(appSecrets).where(eq(appSecrets.name, "email-signing"));
  return createSigner(stored!.value);
}
