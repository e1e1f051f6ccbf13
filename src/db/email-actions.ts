import { and, eq } from "drizzle-orm";
import type { Db } from "./database.js";
import { tasks, usedActionTokens, users } from "./schema.js";

/** The task an email link is about, with its owner's zone, only if that user still owns it. */
export async function taskForLink(db: Db, userId: string, taskId: string) {
  const [row] = await db
    .select({ task: tasks, timezone: users.timezone, email: users.email })
    .from(tasks)
    .innerJoin(users, eq(users.id, tasks.userId))
    .where(and(eq(tasks.id, taskId), eq(tasks.userId, userId)));
  return row ?? null;
}

export async function isTokenUsed(db: Db, nonce: string): Promise<boolean> {
  const rows = await db.select().from(usedActionTokens).where(eq(usedActionTokens.nonce, nonce));
  return rows.length > 0;
}

/** Marks a link used; false when it already was (two clicks racing: only one wins). */
export async function useToken(db: Db, nonce: string, now: Date): Promise<boolean> {
  const rows = await db.insert(usedActionTokens).values({ nonce, usedAt: now }).onConflictDoNothing().returning();
  return rows.length > 0;
}

export async function userEmail(db: Db, userId: string): Promise<string | null> {
  const [row] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return row?.email ?? null;
}
