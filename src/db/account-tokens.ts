import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { rowsOf, type Db } from "./database.js";
import { accountTokens, type AccountTokenRow } from "./schema.js";

/**
 * Stores a new link token and, in the same statement, retires the user's earlier unused ones of
 * the same purpose: only the latest verification or reset link works.
 */
export async function insertAccountToken(db: Db, row: AccountTokenRow): Promise<void> {
  const t = accountTokens;
  await db.execute(sql`
    with retired as (
      delete from ${t} where ${t.userId} = ${row.userId} and ${t.purpose} = ${row.purpose} and ${t.usedAt} is null
    )
    insert into ${t} (id, secret_hash, user_id, purpose, email, created_at, expires_at)
    values (${row.id}, ${row.secretHash}, ${row.userId}, ${row.purpose}, ${row.email}, ${row.createdAt}, ${row.expiresAt})`);
}

export async function findAccountToken(db: Db, id: string): Promise<AccountTokenRow | null> {
  const [row] = await db.select().from(accountTokens).where(eq(accountTokens.id, id));
  return row ?? null;
}

/**
 * Marks the token used if nobody has: of two posts of the same link, exactly one gets `true`.
 * The caller does the token's work in the same transaction, so a failure leaves it unused.
 */
export async function markAccountTokenUsed(db: Db, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(accountTokens)
    .set({ usedAt: now })
    .where(and(eq(accountTokens.id, id), isNull(accountTokens.usedAt), sql`${accountTokens.expiresAt} > ${now.toISOString()}::timestamptz`))
    .returning({ id: accountTokens.id });
  return rows.length === 1;
}

/** Ends every other unused link of these purposes for the user (a reset ends earlier reset links). */
export async function retireAccountTokens(db: Db, userId: string, purposes: AccountTokenRow["purpose"][], keep = ""): Promise<void> {
  await db
    .delete(accountTokens)
    .where(
      and(
        eq(accountTokens.userId, userId),
        isNull(accountTokens.usedAt),
        inArray(accountTokens.purpose, purposes),
        ne(accountTokens.id, keep),
      ),
    );
}

/** Tokens past their lifetime (used or not) are worth nothing; the hourly job deletes them. */
export async function pruneAccountTokens(db: Db, now: Date): Promise<number> {
  const t = accountTokens;
  const result = await db.execute(sql`
    with gone as (delete from ${t} where ${t.expiresAt} < ${now.toISOString()}::timestamptz returning 1)
    select count(*)::int as n from gone`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

/**
 * Whether an address is held for an undo: someone moved their account away from it less than
 * 7 days ago and may still take it back. Registering it meanwhile would block that undo.
 */
export async function addressAwaitsUndo(db: Db, email: string, now: Date): Promise<boolean> {
  const t = accountTokens;
  const rows = await db
    .select({ id: t.id })
    .from(t)
    .where(and(eq(t.purpose, "email_undo"), eq(t.email, email), isNull(t.usedAt), sql`${t.expiresAt} > ${now.toISOString()}::timestamptz`))
    .limit(1);
  return rows.length > 0;
}
