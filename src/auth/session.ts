import type { Db } from "../db/database.js";
import type { User } from "../db/schema.js";
import { deleteSession, extendSession, findSessionWithUser, insertSession, type SessionRow } from "../db/sessions.js";
import { constantTimeEqual, fromHex, sha256Hex, toHex } from "../bytes.js";

const DAY = 24 * 60 * 60 * 1000;
/** Sliding lifetime: each use pushes expiry out to 30 days, but only once less than half remains. */
export const SESSION_TTL_MS = 30 * DAY;
/** No session lives longer than this from sign-in, however active. */
export const SESSION_ABSOLUTE_MS = 90 * DAY;

export interface ValidSession {
  id: string;
  user: User;
  expiresAt: Date;
  /** True when this request moved the expiry, so the cookie should be re-sent with it. */
  extended: boolean;
}

/**
 * Creates a session the way the Lucia guide does: the token is `id.secret`, both from the CSPRNG
 * (160 and 256 bits); the database keeps only SHA-256(secret), so a leaked table grants nothing.
 */
export async function createSession(db: Db, userId: string, now: Date, device = ""): Promise<{ token: string; expiresAt: Date }> {
  const session = await newSession(userId, now, device);
  await insertSession(db, session.row);
  return session;
}

/** A new session's token and database row, not yet stored (login stores it together with its clean-up). */
export async function newSession(userId: string, now: Date, device = ""): Promise<{ token: string; expiresAt: Date; row: SessionRow }> {
  const id = toHex(crypto.getRandomValues(new Uint8Array(20)));
  const secret = toHex(crypto.getRandomValues(new Uint8Array(32)));
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  return { token: `${id}.${secret}`, expiresAt, row: { id, secretHash: await sha256Hex(secret), userId, createdAt: now, expiresAt, lastUsedAt: now, device } };
}

const HOUR = 60 * 60 * 1000;
/** The sessions page shows when each session was last used to this precision, no finer. */
export const LAST_USED_PRECISION_MS = HOUR;

/**
 * Checks a cookie token in one read. A second statement runs only when the session needs a write:
 * when less than half of the sliding lifetime remains (about once a fortnight) or its last use was
 * recorded more than an hour ago (so at most once an hour per session, never on every request);
 * one UPDATE does both. A third runs only to drop an expired session.
 */
export async function validateSessionToken(db: Db, token: string, now: Date): Promise<ValidSession | null> {
  const parts = token.split(".");
  if (parts.length !== 2 || !/^[0-9a-f]{40}$/.test(parts[0]!) || !/^[0-9a-f]{64}$/.test(parts[1]!)) return null;
  const [id, secret] = parts as [string, string];
  const found = await findSessionWithUser(db, id);
  if (!found) return null;
  const { session, user } = found;
  if (!constantTimeEqual(fromHex(await sha256Hex(secret)), fromHex(session.secretHash))) return null;

  const absoluteEnd = session.createdAt.getTime() + SESSION_ABSOLUTE_MS;
  if (now.getTime() >= session.expiresAt.getTime() || now.getTime() >= absoluteEnd) {
    await deleteSession(db, id);
    return null;
  }
  const slideTo = new Date(Math.min(now.getTime() + SESSION_TTL_MS, absoluteEnd));
  const slideDue = session.expiresAt.getTime() - now.getTime() < SESSION_TTL_MS / 2 && slideTo > session.expiresAt;
  const useDue = !session.lastUsedAt || now.getTime() - session.lastUsedAt.getTime() >= LAST_USED_PRECISION_MS;
  if (!slideDue && !useDue) return { id, user, expiresAt: session.expiresAt, extended: false };
  const expiresAt = slideDue ? slideTo : session.expiresAt;
  await extendSession(db, id, { expiresAt: session.expiresAt, lastUsedAt: session.lastUsedAt }, { expiresAt, lastUsedAt: now });
  return { id, user, expiresAt, extended: slideDue };
}

/** The id and secret hash of a cookie token, without a database look-up (for ending it at next login). */
export async function tokenIdentity(token: string | undefined): Promise<{ id: string; secretHash: string } | null> {
  const [id, secret] = token?.split(".") ?? [];
  if (!id || !secret) return null;
  return { id, secretHash: await sha256Hex(secret) };
}
