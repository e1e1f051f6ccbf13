import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "./database.js";
import { loginFailures, sessions } from "./schema.js";
import type { SessionRow } from "./sessions.js";

export interface FailureWindowCounts {
  pair: { count: number; oldest: Date | null };
  account: { count: number; oldest: Date | null };
  ip: { count: number; oldest: Date | null };
}

/** Counts recent failures for this account+address, this account, and this address in one round trip. */
export async function countRecentFailures(
  db: Db,
  key: { account: string; ip: string },
  since: { pair: Date; account: Date; ip: Date },
): Promise<FailureWindowCounts> {
  const f = loginFailures;
  const pairCond = sql`${f.account} = ${key.account} and ${f.ip} = ${key.ip} and ${f.createdAt} > ${since.pair}`;
  const accountCond = sql`${f.account} = ${key.account} and ${f.createdAt} > ${since.account}`;
  const ipCond = sql`${f.ip} = ${key.ip} and ${f.createdAt} > ${since.ip}`;
  const [row] = await db
    .select({
      pairCount: sql<number>`count(*) filter (where ${pairCond})`.mapWith(Number),
      pairOldest: sql<string | null>`min(${f.createdAt}) filter (where ${pairCond})`,
      accountCount: sql<number>`count(*) filter (where ${accountCond})`.mapWith(Number),
      accountOldest: sql<string | null>`min(${f.createdAt}) filter (where ${accountCond})`,
      ipCount: sql<number>`count(*) filter (where ${ipCond})`.mapWith(Number),
      ipOldest: sql<string | null>`min(${f.createdAt}) filter (where ${ipCond})`,
    })
    .from(f)
    .where(sql`(${accountCond}) or (${ipCond})`);
  const date = (v: string | Date | null | undefined) => (v == null ? null : new Date(v));
  return {
    pair: { count: row?.pairCount ?? 0, oldest: date(row?.pairOldest) },
    account: { count: row?.accountCount ?? 0, oldest: date(row?.accountOldest) },
    ip: { count: row?.ipCount ?? 0, oldest: date(row?.ipOldest) },
  };
}

/**
 * Records a failure and, in the same statement, forgets this account's failures older than `forgetBefore`.
 * Returns the new row's id, for withdrawFailure.
 */
export async function recordFailure(db: Db, key: { account: string; ip: string }, now: Date, forgetBefore: Date): Promise<string> {
  const result = await db.execute(sql`
    with forgotten as (
      delete from ${loginFailures}
      where ${loginFailures.account} = ${key.account} and ${loginFailures.createdAt} < ${forgetBefore}
    )
    insert into ${loginFailures} (account, ip, created_at) values (${key.account}, ${key.ip}, ${now}) returning id`);
  const [row] = rowsOf<{ id: string | number | bigint }>(result);
  return String(row!.id);
}

export async function withdrawFailure(db: Db, id: string): Promise<void> {
  await db.execute(sql`delete from ${loginFailures} where ${loginFailures.id} = ${id}`);
}

/**
 * A successful sign-in, in a single statement: stores the new session, clears the failures from
 * that address (the owner starts fresh there, and the attempt's own claim goes with them) and ends
 * the browser's previous session, if it sent one.
 */
export async function startSessionAfterLogin(
  db: Db,
  key: { account: string; ip: string },
  previous: { id: string; secretHash: string } | null,
  session: SessionRow,
): Promise<void> {
  await db.execute(sql`
    with cleared as (
      delete from ${loginFailures}
      where ${loginFailures.account} = ${key.account} and ${loginFailures.ip} = ${key.ip}
    ), ended as (
      delete from ${sessions} where ${sessions.id} = ${previous?.id ?? ""} and ${sessions.secretHash} = ${previous?.secretHash ?? ""}
    )
    insert into ${sessions} (id, secret_hash, user_id, created_at, expires_at)
    values (${session.id}, ${session.secretHash}, ${session.userId}, ${session.createdAt}, ${session.expiresAt})`);
}
