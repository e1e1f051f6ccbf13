import { and, desc, eq, gt, isNull, ne, sql } from "drizzle-orm";
import { statementName, type Db } from "./database.js";
import type { FailureKey } from "./login-failures.js";
import { loginFailures, sessions, users, type User } from "./schema.js";

export interface SessionRow {
  id: string;
  secretHash: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  /** Short browser and OS description (src/auth/device-description.ts). */
  device: string;
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
 * Records a use and slides the expiry, in one statement, but only if the row still holds what the
 * caller read (`from`): of two requests that both saw the session due, one writes. Runs at most
 * once an hour per session (src/auth/session.ts decides when).
 */
export async function extendSession(
  db: Db,
  id: string,
  from: { expiresAt: Date; lastUsedAt: Date | null },
  to: { expiresAt: Date; lastUsedAt: Date },
): Promise<void> {
  await db
    .update(sessions)
    .set(to)
    .where(
      and(
        eq(sessions.id, id),
        eq(sessions.expiresAt, from.expiresAt),
        from.lastUsedAt ? eq(sessions.lastUsedAt, from.lastUsedAt) : isNull(sessions.lastUsedAt),
      ),
    );
}

/** A user's sessions still in force at `now`: not expired, and started after `createdAfter` (the absolute limit). Last used first. */
export async function listActiveSessions(db: Db, userId: string, now: Date, createdAfter: Date): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now), gt(sessions.createdAt, createdAfter)))
    .orderBy(sql`${sessions.lastUsedAt} desc nulls last`, desc(sessions.createdAt), sessions.id);
}

/** Ends one of the user's sessions; false when the user has none with that id (someone else's included). */
export async function deleteUserSession(db: Db, userId: string, id: string): Promise<boolean> {
  const gone = await db
    .delete(sessions)
    .where(and(eq(sessions.id, id), eq(sessions.userId, userId)))
    .returning({ id: sessions.id });
  return gone.length > 0;
}

/** Ends every session of the user but `keep`; answers how many ended. */
export async function deleteOtherSessions(db: Db, userId: string, keep: string): Promise<number> {
  const gone = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), ne(sessions.id, keep)))
    .returning({ id: sessions.id });
  return gone.length;
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, id));
}

/**
 * A successful sign-in, in a single statement: stores the new session, clears the account's
 * failures from that network and from that device (the owner starts fresh there, and the
 * attempt's own claim goes with them) and ends the browser's previous session, if it sent one.
 */
export async function startSessionAfterLogin(
  db: Db,
  key: FailureKey,
  previous: { id: string; secretHash: string } | null,
  session: SessionRow,
): Promise<void> {
  const f = loginFailures;
  await db.execute(sql`
    with cleared as (
      delete from ${f}
      where ${f.account} = ${key.account} and (${f.ip} = ${key.network} or ${f.device} = ${key.device})
    ), ended as (
      delete from ${sessions} where ${sessions.id} = ${previous?.id ?? ""} and ${sessions.secretHash} = ${previous?.secretHash ?? ""}
    )
    insert into ${sessions} (id, secret_hash, user_id, created_at, expires_at, last_used_at, device)
    values (${session.id}, ${session.secretHash}, ${session.userId}, ${session.createdAt}, ${session.expiresAt}, ${session.lastUsedAt}, ${session.device})`);
}
