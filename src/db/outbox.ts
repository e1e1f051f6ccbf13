import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "./database.js";
import { claimableSql, receivesRemindersSql, unheldSql } from "./reminder-rules.js";
import { reminderOutbox, users, type OutboxRow } from "./schema.js";

// The sender's statements. Lists of ids travel as one JSON parameter, never one parameter each.

export const LEASE_MS = 5 * 60 * 1000;

/** A list of ids as one parameter, for `= any(...)`. */
const ids = (list: string[]) => sql`array(select json_array_elements_text(${JSON.stringify(list)}::json)::uuid)`;

/** Rows whose local day has passed are no use any more: the next day's reminders cover them. */
export async function expireStale(db: Db, now: Date): Promise<number> {
  const o = reminderOutbox;
  const result = await db.execute(sql`
    with expired as (
      update ${o} set status = 'expired', lease_until = null, last_error = coalesce(${o.lastError}, 'not sent before its day ended')
      where ${o.expiresAt} < ${now.toISOString()}::timestamptz and ${unheldSql(now)}
      returning 1)
    select count(*)::int as n from expired`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

/**
 * Rows queued for someone who has since turned reminders off (the unsubscribe link) or whose
 * address was reported inactive are not sent: queued is not yet sent, and an opt-out is final.
 */
export async function dropUnwanted(db: Db, now: Date): Promise<number> {
  const o = reminderOutbox;
  const result = await db.execute(sql`
    with paused as (
      update ${o} set status = 'suppressed', lease_until = null, last_error = 'not sent: reminders are paused for this address'
      where ${unheldSql(now)} and ${o.userId} in (select u.id from ${users} u where u.reminders_paused_reason is not null)
      returning 1
    ), off as (
      update ${o} set status = 'failed', lease_until = null, last_error = 'not sent: reminders were turned off'
      where ${unheldSql(now)} and ${o.userId} in (select u.id from ${users} u where not ${receivesRemindersSql("u")} and u.reminders_paused_reason is null)
      returning 1
    )
    select (select count(*) from paused)::int + (select count(*) from off)::int as n`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

/**
 * Claims up to `limit` rows to send, atomically: pending rows whose time has come, and rows whose
 * sender died holding them (lease expired). Concurrent senders skip each other's rows.
 * With `only`, only those rows are considered (a queue message names the rows it carries).
 */
export async function claimForSending(db: Db, now: Date, limit: number, only?: string[]): Promise<OutboxRow[]> {
  if (only && only.length === 0) return [];
  const o = reminderOutbox;
  const leaseUntil = new Date(now.getTime() + LEASE_MS);
  return db
    .update(o)
    .set({ status: "sending", leaseUntil, attempts: sql`${o.attempts} + 1` })
    .where(
      sql`${o.id} in (
        select id from ${o}
        where ${claimableSql(now)} ${only ? sql`and ${o.id} = any(${ids(only)})` : sql``}
          and exists (select 1 from ${users} u where u.id = ${o.userId} and ${receivesRemindersSql("u")})
        order by ${o.nextAttemptAt}, ${o.id}
        limit ${limit}
        for update skip locked)`,
    )
    .returning();
}

export interface SendRecord {
  id: string;
  status: "sent" | "failed" | "suppressed" | "pending";
  messageId: string | null;
  error: string | null;
  nextAttemptAt: Date | null;
  sentAt: Date | null;
}

/** Writes every outcome of a batch in one statement (the rows as one JSON parameter). */
export async function recordOutcomes(db: Db, records: SendRecord[]): Promise<void> {
  if (records.length === 0) return;
  const o = reminderOutbox;
  const payload = JSON.stringify(
    records.map((r) => ({ ...r, nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null, sentAt: r.sentAt?.toISOString() ?? null })),
  );
  await db.execute(sql`
    update ${o} set
      status = r.status::outbox_status,
      message_id = coalesce(r."messageId", ${o.messageId}),
      last_error = r.error,
      next_attempt_at = coalesce(r."nextAttemptAt", ${o.nextAttemptAt}),
      sent_at = r."sentAt",
      lease_until = null
    from jsonb_to_recordset(${payload}::jsonb)
      as r(id uuid, status text, "messageId" text, error text, "nextAttemptAt" timestamptz, "sentAt" timestamptz)
    where ${o.id} = r.id and ${o.status} = 'sending'`);
}

/** Ids of rows a sender could claim now: pending and due, or held under an expired lease. */
export async function sendableIds(db: Db, now: Date, limit: number): Promise<string[]> {
  const o = reminderOutbox;
  const rows = await db
    .select({ id: o.id })
    .from(o)
    .where(claimableSql(now))
    .orderBy(o.nextAttemptAt, o.id)
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Of these rows, those waiting for a retry, and when it is due. */
export async function retriesAmong(db: Db, rowIds: string[]): Promise<{ id: string; at: Date }[]> {
  if (rowIds.length === 0) return [];
  return db
    .select({ id: reminderOutbox.id, at: reminderOutbox.nextAttemptAt })
    .from(reminderOutbox)
    .where(sql`${reminderOutbox.id} = any(${ids(rowIds)}) and ${reminderOutbox.status} = 'pending'`);
}
