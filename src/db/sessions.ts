import { and, eq, sql } from "drizzle-orm";
import { statementName, type Db } from "./database.js";
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

// Prepared once per database handle: this runs on every signed-in request, so neither Drizzle
// nor the server should build or plan it again each time.
const lookups = new WeakMap<Db, ReturnType<typeof prepareLookup>>();

function prepareLookup(db: Db) {
  return db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder("id")))
    .prepare(statementName(db, "session_with_user"));
}

/** The session and its user in one round trip, since this runs on every signed-in request. A pure read. */
export async function findSessionWithUser(db: Db, id: string): Promise<{ session: SessionRow; user: User } | null> {
  let lookup = lookups.get(db);
  if (!lookup) lookups.set(db, (lookup = prepareLookup(db)));
  const [row] = await lookup.execute({ id });
  return row ?? null;
}

/**
 * Slides the expiry to `to`, but only if the stored one is still `from`: of two requests that
 * both saw the session due for extension, one writes. Runs on about one request a fortnight.
 */
export async function extendSession(db: Db, id: string, from: Date, to: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ expiresAt: to })
    .where(and(eq(sessions.id, id), eq(sessions.expiresAt, from)));
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, id));
}
