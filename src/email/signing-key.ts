import { toHex } from "../bytes.js";
import type { Db } from "../db/database.js";
import { keepAppSecret, readAppSecret } from "../db/app-secrets.js";
import { createSigner, type Signer } from "./signing.js";

const SECRET_NAME = "email-signing";

/**
 * The key that signs email links: SIGNING_SECRET when configured; otherwise one the app makes
 * once and keeps in its database, so self-hosting needs no extra setting and links survive restarts.
 */
export async function emailSigner(db: Db, configured: string | undefined): Promise<Signer> {
  if (configured) return createSigner(configured);
  const existing = await readAppSecret(db, SECRET_NAME);
  if (existing) return createSigner(existing);
  return createSigner(await keepAppSecret(db, SECRET_NAME, toHex(crypto.getRandomValues(new Uint8Array(32)))));
}
