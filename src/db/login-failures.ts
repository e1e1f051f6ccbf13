import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "./database.js";
import { loginFailures } from "./schema.js";

/** Who an attempt is counted under: the account key, the network key, and the device id of a valid device cookie. */
export interface FailureKey {
  account: string;
  network: string;
  device: string | null;
}

export type FailureWindow = "pair" | "account" | "network" | "device";
export type FailureWindowCounts = Record<FailureWindow, { count: number; oldest: Date | null }>;

/**
 * Counts recent failures in one round trip: for this account from this network (`pair`), this
 * account, this network, and this account from this device. A device's rows are a subset of its
 * account's, so the statement reads only the account's and the network's rows.
 */
export async function countRecentFailures(db: Db, key: FailureKey, since: Record<FailureWindow, Date>): Promise<FailureWindowCounts> {
  const f = loginFailures;
  const pairCond = sql`${f.account} = ${key.account} and ${f.ip} = ${key.network} and ${f.createdAt} > ${since.pair}`;
  const accountCond = sql`${f.account} = ${key.account} and ${f.createdAt} > ${since.account}`;
  const networkCond = sql`${f.ip} = ${key.network} and ${f.createdAt} > ${since.network}`;
  // Without a device the condition matches nothing (`device = null` is never true).
  const deviceCond = sql`${f.account} = ${key.account} and ${f.device} = ${key.device} and ${f.createdAt} > ${since.device}`;
  const [row] = await db
    .select({
      pairCount: sql<number>`count(*) filter (where ${pairCond})`.mapWith(Number),
      pairOldest: sql<string | null>`min(${f.createdAt}) filter (where ${pairCond})`,
      accountCount: sql<number>`count(*) filter (where ${accountCond})`.mapWith(Number),
      accountOldest: sql<string | null>`min(${f.createdAt}) filter (where ${accountCond})`,
      networkCount: sql<number>`count(*) filter (where ${networkCond})`.mapWith(Number),
      networkOldest: sql<string | null>`min(${f.createdAt}) filter (where ${networkCond})`,
      deviceCount: sql<number>`count(*) filter (where ${deviceCond})`.mapWith(Number),
      deviceOldest: sql<string | null>`min(${f.createdAt}) filter (where ${deviceCond})`,
    })
    .from(f)
    .where(sql`(${accountCond}) or (${networkCond})`);
  const date = (v: string | Date | null | undefined) => (v == null ? null : new Date(v));
  return {
    pair: { count: row?.pairCount ?? 0, oldest: date(row?.pairOldest) },
    account: { count: row?.accountCount ?? 0, oldest: date(row?.accountOldest) },
    network: { count: row?.networkCount ?? 0, oldest: date(row?.networkOldest) },
    device: { count: row?.deviceCount ?? 0, oldest: date(row?.deviceOldest) },
  };
}

/**
 * Records a failure and, in the same statement, forgets this account's failures older than `forgetBefore`.
 * Returns the new row's id, for withdrawFailure.
 */
export async function recordFailure(db: Db, key: FailureKey, now: Date, forgetBefore: Date): Promise<string> {
  const result = await db.execute(sql`
    with forgotten as (
      delete from ${loginFailures}
      where ${loginFailures.account} = ${key.account} and ${loginFailures.createdAt} < ${forgetBefore}
    )
    insert into ${loginFailures} (account, ip, device, created_at) values (${key.account}, ${key.network}, ${key.device}, ${now}) returning id`);
  const [row] = rowsOf<{ id: string | number | bigint }>(result);
  return String(row!.id);
}

export async function withdrawFailure(db: Db, id: string): Promise<void> {
  await db.execute(sql`delete from ${loginFailures} where ${loginFailures.id} = ${id}`);
}

/**
 * Forgets failures older than `before`, at most `limit` of them, in one statement, and answers how
 * many went. Rows are otherwise pruned only for an account that is tried again; this is the
 * hourly sweep for all the others. Old rows sit early in the heap, so the scan stops soon after
 * `limit` matches; a backlog beyond it goes on the next run.
 */
export async function pruneFailuresBefore(db: Db, before: Date, limit: number): Promise<number> {
  const result = await db.execute(sql`
    with gone as (
      delete from ${loginFailures}
      where ${loginFailures.id} in (select id from ${loginFailures} where ${loginFailures.createdAt} < ${before} limit ${limit})
      returning 1
    )
    select count(*)::int as pruned from gone`);
  const [row] = rowsOf<{ pruned: number | string }>(result);
  return Number(row?.pruned ?? 0);
}
