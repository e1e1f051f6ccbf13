import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import { reminderItems, reminderOutbox, reminderScans, tasks, users, type OutboxRow, type Task } from "./schema.js";

/** The columns of a user the scan needs. */
export interface ScanUser {
  id: string;
  email: string;
  name: string;
  timezone: string;
  reminderHour: number;
  leadDays: number[];
  overdueReminders: boolean;
  reminderDelivery: "digest" | "per_task";
}

/**
 * The next batch of users whose local reminder hour has come today, who have an open task with
 * reminders in the reminder window, and whom no run has handled yet on their local date. Driven
 * from the due-moment index, so users without anything near a deadline are never read.
 */
export async function usersDueForScan(
  db: Db,
  now: Date,
  window: { from: Date; to: Date },
  afterUserId: string,
  limit: number,
): Promise<ScanUser[]> {
  const u = users;
  const localNow = sql`(${now.toISOString()}::timestamptz at time zone ${u.timezone})`;
  return db
    .select({
      id: u.id,
      email: u.email,
      name: u.name,
      timezone: u.timezone,
      reminderHour: u.reminderHour,
      leadDays: u.leadDays,
      overdueReminders: u.overdueReminders,
      reminderDelivery: u.reminderDelivery,
    })
    .from(u)
    .where(
      and(
        sql`${u.id} in (select distinct ${tasks.userId} from ${tasks}
          where ${tasks.dueAt} >= ${window.from} and ${tasks.dueAt} <= ${window.to}
            and ${tasks.status} <> 'done' and ${tasks.remindersEnabled})`,
        sql`${u.id} > ${afterUserId}`,
        eq(u.remindersEnabled, true),
        sql`${u.remindersPausedReason} is null`,
        sql`extract(hour from ${localNow}) >= ${u.reminderHour}`,
        sql`not exists (select 1 from ${reminderScans} s where s.user_id = ${u.id} and s.local_date = (${localNow})::date)`,
      ),
    )
    .orderBy(u.id)
    .limit(limit);
}

/** Open tasks with reminders on, due within the window, for these users. */
export async function tasksInWindow(db: Db, userIds: string[], window: { from: Date; to: Date }): Promise<Task[]> {
  if (userIds.length === 0) return [];
  return db
    .select()
    .from(tasks)
    .where(
      and(
        inArray(tasks.userId, userIds),
        sql`${tasks.dueAt} >= ${window.from} and ${tasks.dueAt} <= ${window.to}`,
        sql`${tasks.status} <> 'done'`,
        eq(tasks.remindersEnabled, true),
      ),
    )
    .orderBy(tasks.dueAt, tasks.id);
}

export type NewOutboxRow = typeof reminderOutbox.$inferInsert;

/** Queues emails; a dedupe key already present means another run queued it, and nothing happens. */
export async function queueEmails(db: Db, rows: NewOutboxRow[]): Promise<{ id: string; dedupeKey: string }[]> {
  if (rows.length === 0) return [];
  return db
    .insert(reminderOutbox)
    .values(rows)
    .onConflictDoNothing({ target: reminderOutbox.dedupeKey })
    .returning({ id: reminderOutbox.id, dedupeKey: reminderOutbox.dedupeKey });
}

export async function recordItems(db: Db, items: (typeof reminderItems.$inferInsert)[]): Promise<void> {
  if (items.length) await db.insert(reminderItems).values(items).onConflictDoNothing();
}

export async function markScanned(db: Db, rows: { userId: string; localDate: string }[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(reminderScans)
    .values(rows.map((r) => ({ ...r, scannedAt: now })))
    .onConflictDoNothing();
}

/** Scan markers older than a few days are never consulted again. */
export async function forgetOldScans(db: Db, before: string): Promise<void> {
  await db.delete(reminderScans).where(sql`${reminderScans.localDate} < ${before}`);
}

export const LEASE_MS = 5 * 60 * 1000;

/** Rows whose local day has passed are no use any more: the next day's reminders cover them. */
export async function expireStale(db: Db, now: Date): Promise<number> {
  const rows = await db
    .update(reminderOutbox)
    .set({ status: "expired", leaseUntil: null, lastError: sql`coalesce(${reminderOutbox.lastError}, 'not sent before its day ended')` })
    .where(
      and(
        sql`${reminderOutbox.expiresAt} < ${now}`,
        sql`(${reminderOutbox.status} = 'pending' or (${reminderOutbox.status} = 'sending' and ${reminderOutbox.leaseUntil} < ${now}))`,
      ),
    )
    .returning({ id: reminderOutbox.id });
  return rows.length;
}

/** A row a sender may take: waiting, or held by a sender whose lease ran out. */
const claimable = (now: Date) =>
  sql`(${reminderOutbox.status} = 'pending' or (${reminderOutbox.status} = 'sending' and ${reminderOutbox.leaseUntil} < ${now}))`;

/**
 * Rows queued for someone who has since turned reminders off (the unsubscribe link) or whose
 * address was reported inactive are not sent: queued is not yet sent, and an opt-out is final.
 */
export async function dropUnwanted(db: Db, now: Date): Promise<number> {
  const paused = await db
    .update(reminderOutbox)
    .set({ status: "suppressed", leaseUntil: null, lastError: "not sent: reminders are paused for this address" })
    .where(and(claimable(now), sql`${reminderOutbox.userId} in (select ${users.id} from ${users} where ${users.remindersPausedReason} is not null)`))
    .returning({ id: reminderOutbox.id });
  const off = await db
    .update(reminderOutbox)
    .set({ status: "failed", leaseUntil: null, lastError: "not sent: reminders were turned off" })
    .where(and(claimable(now), sql`${reminderOutbox.userId} in (select ${users.id} from ${users} where not ${users.remindersEnabled})`))
    .returning({ id: reminderOutbox.id });
  return paused.length + off.length;
}

/**
 * Claims up to `limit` rows to send, atomically: pending rows whose time has come, and rows whose
 * sender died holding them (lease expired). Concurrent senders skip each other's rows.
 * With `ids`, only those rows are considered (a queue message names the rows it carries).
 */
export async function claimForSending(db: Db, now: Date, limit: number, ids?: string[]): Promise<OutboxRow[]> {
  const o = reminderOutbox;
  const only = ids ? sql`and ${o.id} in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})` : sql``;
  if (ids && ids.length === 0) return [];
  const leaseUntil = new Date(now.getTime() + LEASE_MS);
  return db
    .update(o)
    .set({ status: "sending", leaseUntil, attempts: sql`${o.attempts} + 1` })
    .where(
      sql`${o.id} in (
        select id from ${o}
        where ((${o.status} = 'pending' and ${o.nextAttemptAt} <= ${now})
            or (${o.status} = 'sending' and ${o.leaseUntil} < ${now}))
          and ${o.expiresAt} >= ${now} ${only}
          and exists (select 1 from ${users} u where u.id = ${o.userId} and u.reminders_enabled and u.reminders_paused_reason is null)
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

/** Writes every outcome of a batch in one statement. */
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
