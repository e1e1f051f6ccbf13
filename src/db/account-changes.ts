import { and, eq, gte, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import { accountTokens, sessions, users, type AccountTokenRow } from "./schema.js";

// The writes of a password reset, a password change and an address change. Each runs inside the
// caller's transaction, next to marking the link used and queuing the mail that tells of it.

/**
 * A reset's new password. Only while the account still has the address the link was mailed to
 * (an address change since then retires the link anyway); the mail proved that address, so it
 * counts as verified. Answers false when nothing was changed.
 */
export async function setPasswordFromReset(db: Db, userId: string, email: string, passwordHash: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ passwordHash, updatedAt: now, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)` })
    .where(and(eq(users.id, userId), eq(users.email, email)))
    .returning({ id: users.id });
  return rows.length === 1;
}

export async function setPassword(db: Db, userId: string, passwordHash: string, now: Date): Promise<void> {
  await db.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, userId));
}

/** Ends every session of the user, or every one but `keep` (the browser that asked). */
export async function endSessions(db: Db, userId: string, keep?: string): Promise<void> {
  await db.delete(sessions).where(and(eq(sessions.userId, userId), keep ? ne(sessions.id, keep) : undefined));
}

/**
 * Moves the account to `email`, verified now, unless another account holds that address.
 * Answers false when it does: nothing changed. (Two accounts racing for one address: the unique
 * index refuses the second, see isUniqueViolation.)
 */
export async function moveEmail(db: Db, userId: string, email: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ email, emailVerifiedAt: now, updatedAt: now })
    .where(and(eq(users.id, userId), sql`not exists (select 1 from ${users} other where other.email = ${email} and other.id <> ${userId})`))
    .returning({ id: users.id });
  return rows.length === 1;
}

/** The account's address, its row locked until the transaction ends (a change reads it, then moves it). */
export async function lockedEmail(db: Db, userId: string): Promise<string | null> {
  const [row] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId)).for("update");
  return row?.email ?? null;
}

/**
 * Stores an undo link without retiring the earlier ones (unlike insertAccountToken): after two
 * changes, A → B → C, the holder of A must still be able to undo, whatever B's holder does.
 */
export async function insertUndoToken(db: Db, row: AccountTokenRow): Promise<void> {
  await db.insert(accountTokens).values(row);
}

/**
 * An undo's clean-up: every unused link that came after the undone change, or that a later
 * holder of the account could use (address changes, resets, verifications), goes. Undo links
 * older than this one stay: they restore addresses held before, and may outrank it.
 */
export async function retireLinksAfterUndo(db: Db, userId: string, undo: Pick<AccountTokenRow, "id" | "createdAt">): Promise<void> {
  const t = accountTokens;
  await db
    .delete(t)
    .where(
      and(
        eq(t.userId, userId),
        isNull(t.usedAt),
        ne(t.id, undo.id),
        sql`(${inArray(t.purpose, ["email_change", "reset", "verify"])} or (${eq(t.purpose, "email_undo")} and ${gte(t.createdAt, undo.createdAt)}))`,
      ),
    );
}

/** PostgreSQL's unique_violation (23505), however the driver or Drizzle wraps it. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === "23505") return true;
  }
  return false;
}
