import { and, eq, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import { users } from "./schema.js";

/**
 * Records that the user proved `email` is theirs, if it is still their address: a link mailed to
 * an address they have since changed proves nothing about the current one. An address verified
 * earlier keeps its first moment. Answers whether the user's address is now verified.
 */
export async function markEmailVerified(db: Db, userId: string, email: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)` })
    .where(and(eq(users.id, userId), eq(users.email, email)))
    .returning({ id: users.id });
  return rows.length === 1;
}
