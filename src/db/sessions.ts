import { and, eq, sql } from "drizzle-orm";
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

/**
 * The session and its user in one round trip, since this runs on every signed-in request. In the
 * same statement the session's expiry slides to `slideTo` (capped at `createdAt + absoluteMs`), but
 * only when the secret matches, it is still valid, and less than half its lifetime remains: most
 * requests therefore write nothing. `extendedTo` is the new expiry when it moved.
 */
export async function findSessionWithUser(
  db: Db,
  id: string,
  slide: { secretHash: string; now: Date; ttlMs: number; absoluteMs: number },
): Promise<{ session: SessionRow; user: User; extendedTo: Date | null } | null> {
  const now = slide.now.toISOString();
  const slideTo = sql`least(${now}::timestamptz + ${`${slide.ttlMs} milliseconds`}::interval,
    ${sessions.createdAt} + ${`${slide.absoluteMs} milliseconds`}::interval)`;
  const extended = db.$with("extended").as(
    db
      .update(sessions)
      .set({ expiresAt: slideTo })
      .where(
        and(
          eq(sessions.id, id),
          eq(sessions.secretHash, slide.secretHash),
          sql`${sessions.expiresAt} > ${now}::timestamptz`,
          sql`${sessions.expiresAt} - ${now}::timestamptz < ${`${slide.ttlMs / 2} milliseconds`}::interval`,
          sql`${slideTo} > ${sessions.expiresAt}`,
        ),
      )
      .returning({ extendedTo: sessions.expiresAt }),
  );
  const rows = await db
    .with(extended)
    .select({ session: sessions, user: users, extendedTo: sql<string | Date | null>`${extended.extendedTo}` })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(extended, sql`true`)
    .where(eq(sessions.id, id))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  return { session: row.session, user: row.user, extendedTo: row.extendedTo == null ? null : new Date(row.extendedTo) };
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, id));
}
