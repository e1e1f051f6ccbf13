import { eq } from "drizzle-orm";
import type { Db } from "./database.js";
import { sessions, users, type User } from "./schema.js";

export interface SessionRow {
  id: string;
  secretHash: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
}

export async function insertSession(db: Db, row: SessionRow): Promise<void> {
  await db.insert(sessions).values(row);
}

/** The session and its user in one round trip: this runs on every signed-in request. */
export async function findSessionWithUser(db: Db, id: string): Promise<{ session: SessionRow; user: User } | null> {
  const rows = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id))
    .limit(1);
  return rows[0] ?? null;
}

export async function extendSession(db: Db, id: string, expiresAt: Date): Promise<void> {
  await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, id));
}
