import { constantTimeEqual, fromHex, sha256Hex, toHex } from "../bytes.js";
import type { AccountTokenRow } from "../db/schema.js";

const HOUR = 60 * 60 * 1000;

export type TokenPurpose = AccountTokenRow["purpose"];

/** How long each kind of mailed link works. */
export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  verify: 24 * HOUR,
  reset: HOUR,
  email_change: 24 * HOUR,
  email_undo: 7 * 24 * HOUR,
};

/** A link's lifetime in words, for the mail and the pages that mention it. */
export function lifetimeInWords(purpose: TokenPurpose): string {
  const hours = TOKEN_TTL_MS[purpose] / HOUR;
  if (hours % 24 === 0) return hours === 24 ? "24 hours" : `${hours / 24} days`;
  return hours === 1 ? "1 hour" : `${hours} hours`;
}

/**
 * A new single-use link token, made like a session token (the Lucia guide's email-verification
 * and password-reset pages): `id.secret` from the CSPRNG; the row keeps only SHA-256(secret).
 */
export async function newAccountToken(
  purpose: TokenPurpose,
  userId: string,
  email: string,
  now: Date,
): Promise<{ token: string; row: AccountTokenRow }> {
  const id = toHex(crypto.getRandomValues(new Uint8Array(20)));
  const secret = toHex(crypto.getRandomValues(new Uint8Array(32)));
  return {
    token: `${id}.${secret}`,
    row: {
      id,
      secretHash: await sha256Hex(secret),
      userId,
      purpose,
      email,
      createdAt: now,
      expiresAt: new Date(now.getTime() + TOKEN_TTL_MS[purpose]),
      usedAt: null,
    },
  };
}

/** The id and secret of a token as it came in a URL, or null when it cannot be one of ours. */
export function parseAccountToken(token: string): { id: string; secret: string } | null {
  const [id, secret, extra] = token.split(".");
  if (extra !== undefined || !id || !secret || !/^[0-9a-f]{40}$/.test(id) || !/^[0-9a-f]{64}$/.test(secret)) return null;
  return { id, secret };
}

/** Whether the secret matches the stored hash, in constant time. */
export async function secretMatches(secret: string, row: Pick<AccountTokenRow, "secretHash">): Promise<boolean> {
  return constantTimeEqual(fromHex(await sha256Hex(secret)), fromHex(row.secretHash));
}

/** What a link is worth now: usable, or why not (each gets its own plain page). */
export type TokenState = { state: "usable"; row: AccountTokenRow } | { state: "invalid" | "used" | "expired" };

export function tokenState(row: AccountTokenRow | null, purpose: TokenPurpose, now: Date): TokenState {
  if (!row || row.purpose !== purpose) return { state: "invalid" };
  if (row.usedAt) return { state: "used" };
  if (row.expiresAt.getTime() <= now.getTime()) return { state: "expired" };
  return { state: "usable", row };
}
