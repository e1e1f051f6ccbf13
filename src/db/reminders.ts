import { sql, type SQL } from "drizzle-orm";
import { endOfLocalDaySql, localDateSql, localHourSql, localMidnightSql } from "./calendar.js";
import { rowsOf, type Db } from "./database.js";
import { receivesRemindersSql, taskGetsRemindersSql } from "./reminder-rules.js";
import type { TaskPriority } from "./schema.js";

// The scan's statements. None carries more than about 10,000 parameters whatever the batch holds
// (PostgreSQL refuses more than 65,535): small rows travel as one JSON parameter
// (`json_to_recordset`), which every driver (node-postgres, postgres.js, PGlite, Neon) passes as
// plain text; emails, whose bodies are most of the bytes, go 1,000 rows to a statement.

/** How urgent a reminded task is: past its moment, due on the local date, or due later. */
export type ReminderGroup = "overdue" | "today" | "soon";
/** How many tasks with a reminder today each group holds. */
export type GroupCounts = Record<ReminderGroup, number>;

/** The columns of a user the scan needs, and their local date at the scan's `now`. */
export interface ScanUser {
  id: string;
  email: string;
  name: string;
  timezone: string;
  reminderHour: number;
  leadDays: number[];
  overdueReminders: boolean;
  reminderDelivery: "digest" | "per_task";
  /** YYYY-MM-DD in the user's zone, as PostgreSQL reads the zone. */
  localDate: string;
  /** The last millisecond of that local date. */
  endOfDay: Date;
}

/** An open task with a reminder slot today, with what an email shows of it. */
export interface DueTask {
  id: string;
  userId: string;
  title: string;
  priority: TaskPriority;
  dueDate: string;
  dueTime: string | null;
  dueAt: Date;
}

/**
 * The day offsets (due date minus local date) that bring a reminder, for the user row in scope:
 * the SQL side of `slotOffsets` in src/reminders/slots.ts, given its late offsets (`LATE_OFFSETS`).
 */
function slotOffsetsSql(leadDays: SQL, overdueReminders: SQL, lateOffsets: readonly number[]): SQL {
  const late = sql.raw(`'{${lateOffsets.map((d) => Math.trunc(d)).join(",")}}'::int[]`);
  return sql`(select 0 as days
    union select d::int from unnest(${leadDays}) d where d > 0
    union select d from unnest(${late}) d where ${overdueReminders})`;
}

/**
 * Open tasks with reminders on of one user (`t`), due from local date `first` to `last`: a range
 * of tasks_user_open_due_idx (user_id, due_at; open tasks with reminders on) between those days' local midnights, widened by an hour
 * in case PostgreSQL's zone data and the app's (which computed due_at) disagree on an offset, and
 * matched exactly on the due date.
 */
function dueBetweenSql(userId: SQL, timezone: SQL, first: SQL, last: SQL): SQL {
  return sql`t.user_id = ${userId}
    and t.due_at >= ${localMidnightSql(first, timezone)} - interval '1 hour'
    and t.due_at < ${localMidnightSql(sql`${last} + 1`, timezone)} + interval '1 hour'
    and t.due_date between ${first} and ${last}
    and ${taskGetsRemindersSql("t")}`;
}

/** How many of a user's tasks with a reminder today the batch read brings, by delivery. */
export interface ShownPerUser {
  digest: number;
  perTask: number;
}

export interface DueBatch {
  users: ScanUser[];
  /** The shown tasks of each user, most urgent first. */
  tasks: Map<string, DueTask[]>;
  /** All tasks with a reminder today per user and group, shown or not. */
  counts: Map<string, GroupCounts>;
}

/**
 * The next batch of users and their due tasks, in one statement. Users come in id order after
 * `afterUserId`: those whose local reminder hour has come today, whom no run has handled yet on
 * their local date, and who have an open task with a reminder slot today (a few index probes,
 * stopping at the first task found). For each, the most urgent such tasks (`shown.digest` of
 * them for a digest reader, `shown.perTask` for someone who chose one email per task), and how
 * many each group holds in all: most urgent first is overdue, then due today, then soon; within a
 * group, higher priority first, then the earlier due moment. At most that many task rows per
 * user leave the database, however many are due.
 *
 * Tasks are read with one index probe per run of consecutive reminder days (the due day and the
 * lead days make one run, each late day its own), so the work follows the number of users and of
 * tasks due on reminder days, not the number of tasks.
 */
export async function dueBatch(
  db: Db,
  now: Date,
  afterUserId: string,
  limit: number,
  shown: ShownPerUser,
  lateOffsets: readonly number[],
): Promise<DueBatch> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const result = await db.execute(sql`
    with batch as materialized (
      select u.id, u.email, u.name, u.timezone, u.reminder_hour, u.lead_days, u.overdue_reminders, u.reminder_delivery, l.local_date
      from users u
        cross join lateral (select ${localDateSql(at, sql`u.timezone`)} as local_date) l
      where u.id > ${afterUserId}::uuid
        and ${receivesRemindersSql("u")}
        and ${localHourSql(at, sql`u.timezone`)} >= u.reminder_hour
        -- Handled today? Then skip it before probing any task (as a plain NOT EXISTS, the planner
        -- probed every user's tasks first, on every later run of the day).
        and case when exists (select 1 from reminder_scans s where s.user_id = u.id and s.local_date = l.local_date) then false
          else exists (select 1 from ${slotOffsetsSql(sql`u.lead_days`, sql`u.overdue_reminders`, lateOffsets)} k
            cross join lateral (select 1 from tasks t
              where ${dueBetweenSql(sql`u.id`, sql`u.timezone`, sql`l.local_date + k.days`, sql`l.local_date + k.days`)}
              limit 1) t) end
      order by u.id
      limit ${limit}
    ), prefs as (
      select distinct lead_days, overdue_reminders from batch
    ), runs as (
      -- Runs of consecutive offsets, once per distinct preference in the batch.
      select p.lead_days, p.overdue_reminders, min(o.days) as lo, max(o.days) as hi
      from prefs p
        cross join lateral (select days, days - row_number() over (order by days) as run
          from ${slotOffsetsSql(sql`p.lead_days`, sql`p.overdue_reminders`, lateOffsets)} s) o
      group by p.lead_days, p.overdue_reminders, o.run
    ), due as (
      select b.id as user_id, t.id, t.title, t.priority, t.due_date, t.due_time, t.due_at,
        case when t.due_at < ${at} then 0 when t.due_date = b.local_date then 1 else 2 end as grp
      from batch b
        join runs r on r.lead_days = b.lead_days and r.overdue_reminders = b.overdue_reminders
        -- offset 0 keeps the planner from flattening the probes into a hash join over all open tasks.
        cross join lateral (select t.* from tasks t
          where ${dueBetweenSql(sql`b.id`, sql`b.timezone`, sql`b.local_date + r.lo`, sql`b.local_date + r.hi`)}
          offset 0) t
    ), ranked as (
      select due.*,
        row_number() over (partition by user_id order by grp, priority desc, due_at, id) as rank,
        count(*) filter (where grp = 0) over w as overdue,
        count(*) filter (where grp = 1) over w as today,
        count(*) filter (where grp = 2) over w as soon
      from due
      window w as (partition by user_id)
    )
    select b.id as user_id, b.email, b.name, b.timezone, b.reminder_hour, b.lead_days::int[] as lead_days, b.overdue_reminders,
      b.reminder_delivery, b.local_date::text as local_date,
      (extract(epoch from ${endOfLocalDaySql(sql`b.local_date`, sql`b.timezone`)}) * 1000)::float8 as expires_at_ms,
      r.id, r.title, r.priority::text as priority, r.due_date::text as due_date, r.due_time::text as due_time,
      (extract(epoch from r.due_at) * 1000)::float8 as due_at_ms, r.overdue::int as overdue, r.today::int as today, r.soon::int as soon
    from batch b
      left join ranked r on r.user_id = b.id
        and r.rank <= case when b.reminder_delivery = 'per_task' then ${shown.perTask}::int else ${shown.digest}::int end
    order by b.id, r.rank`);
  const batch: DueBatch = { users: [], tasks: new Map(), counts: new Map() };
  for (const r of rowsOf<Record<string, unknown>>(result)) {
    const userId = String(r.user_id);
    let shown = batch.tasks.get(userId);
    if (!shown) {
      batch.users.push({
        id: userId,
        email: String(r.email),
        name: String(r.name),
        timezone: String(r.timezone),
        reminderHour: Number(r.reminder_hour),
        leadDays: (r.lead_days as (number | string)[]).map(Number),
        overdueReminders: Boolean(r.overdue_reminders),
        reminderDelivery: r.reminder_delivery === "per_task" ? "per_task" : "digest",
        localDate: String(r.local_date),
        endOfDay: new Date(Number(r.expires_at_ms)),
      });
      batch.tasks.set(userId, (shown = []));
      batch.counts.set(userId, { overdue: Number(r.overdue ?? 0), today: Number(r.today ?? 0), soon: Number(r.soon ?? 0) });
    }
    if (r.id === null || r.id === undefined) continue;
    shown.push({
      id: String(r.id),
      userId,
      title: String(r.title),
      priority: r.priority as TaskPriority,
      dueDate: String(r.due_date),
      dueTime: r.due_time === null ? null : String(r.due_time),
      dueAt: new Date(Number(r.due_at_ms)),
    });
  }
  return batch;
}

export interface QueuedEmail {
  userId: string;
  kind: "digest" | "task";
  dedupeKey: string;
  localDate: string;
  expiresAt: Date;
  toAddress: string;
  subject: string;
  htmlBody: string;
  textBody: string;
  unsubscribeUrl: string;
}

/** A task an email names, for the task page's reminder history; `dedupeKey` names the email. */
export interface QueuedItem {
  dedupeKey: string;
  taskId: string;
  grp: ReminderGroup;
  slot: string;
  /** The due date of the occurrence reminded of: a repeating task's next occurrence is another reminder. */
  dueDate: string;
}

/**
 * Runs one batch of the scan in one transaction: its read, and its writes (scan markers, emails,
 * the tasks they name). A failure anywhere leaves none of it, so the batch's users stay
 * unmarked and a later run does the batch again.
 */
export async function inScanTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    // The batch read's estimated cost crosses jit_above_cost: compiling it took 0.6 s per batch,
    // for a statement that runs in tens of milliseconds. Email bodies are compressed with lz4
    // where the server has it: pglz made the outbox insert four times slower. A commit lost in a
    // server crash loses the whole batch, markers included, so the next run does it again: no
    // need to wait for the disk.
    await tx.execute(sql`select set_config('jit', 'off', true), set_config('synchronous_commit', 'off', true),
      (select set_config('default_toast_compression', 'lz4', true) from pg_settings
        where name = 'default_toast_compression' and 'lz4' = any(enumvals))`);
    return work(tx);
  });
}

/**
 * Claims the local day of each user of the batch (inside `inScanTransaction`, before anything is
 * queued for them): inserts their scan markers and answers the users whose marker this call
 * inserted. A run overlapping this one that read the same user before this transaction
 * committed blocks on the marker's key, then finds it taken and queues nothing for that user;
 * so one run alone decides, and queues, a user's reminders of a day.
 */
export async function claimScanDays(tx: Db, users: Pick<ScanUser, "id" | "localDate">[], now: Date): Promise<Set<string>> {
  if (users.length === 0) return new Set();
  // In id order, so overlapping runs take the markers' key locks in the same order.
  const sorted = [...users].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const payload = sorted.map((u) => ({ user_id: u.id, local_date: u.localDate }));
  const result = await tx.execute(sql`
    insert into reminder_scans (user_id, local_date, scanned_at)
    select r.user_id, r.local_date, ${now.toISOString()}::timestamptz
    from json_to_recordset(${jsonRows(payload)}) as r(user_id uuid, local_date date)
    on conflict do nothing
    returning user_id`);
  return new Set(rowsOf<{ user_id: string }>(result).map((r) => String(r.user_id)));
}

/**
 * Writes one batch's emails (inside `inScanTransaction`, after `claimScanDays`): a dedupe key
 * already present means another run queued it, and nothing happens; then the tasks each newly
 * queued email names. Returns the emails this call queued.
 */
export async function writeBatch(tx: Db, batch: { emails: QueuedEmail[]; items: QueuedItem[] }, now: Date): Promise<{ id: string; dedupeKey: string }[]> {
  // Rows in key order, so overlapping runs take the unique-key locks in the same order.
  const emails = [...batch.emails].sort((a, b) => (a.dedupeKey < b.dedupeKey ? -1 : a.dedupeKey > b.dedupeKey ? 1 : 0));
  const queued = await queueEmails(tx, emails, now);
  const ids = new Map(queued.map((q) => [q.dedupeKey, q.id]));
  await recordItems(
    tx,
    batch.items.flatMap((i) => {
      const outboxId = ids.get(i.dedupeKey);
      return outboxId ? [{ ...i, outboxId }] : [];
    }),
  );
  return queued;
}

/** Rows as one JSON text parameter, for `json_to_recordset(...) as r(column type, ...)`. */
export const jsonRows = (rows: object[]) => sql`${JSON.stringify(rows)}::json`;

/** Emails per INSERT: ten parameters each, far below PostgreSQL's 65,535 per statement. */
const EMAILS_PER_STATEMENT = 1000;

/**
 * Emails go as plain parameters, a chunk of rows per statement: their bodies are most of the
 * batch's bytes, and parsing them out of one JSON (or array) parameter cost PostgreSQL about a
 * second per 10,000 digests, where a bound parameter is taken as it is.
 */
async function queueEmails(db: Db, rows: QueuedEmail[], now: Date): Promise<{ id: string; dedupeKey: string }[]> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const queued: { id: string; dedupeKey: string }[] = [];
  for (let i = 0; i < rows.length; i += EMAILS_PER_STATEMENT) {
    const values = rows
      .slice(i, i + EMAILS_PER_STATEMENT)
      .map(
        (r) =>
          sql`(${r.userId}, ${r.kind}, ${r.dedupeKey}, ${r.localDate}, ${r.expiresAt.toISOString()}, ${r.toAddress}, ${r.subject}, ${r.htmlBody}, ${r.textBody}, ${r.unsubscribeUrl})`,
      );
    const result = await db.execute(sql`
      insert into reminder_outbox (user_id, kind, dedupe_key, local_date, next_attempt_at, expires_at, to_address,
        subject, html_body, text_body, unsubscribe_url, created_at)
      select v.user_id::uuid, v.kind, v.dedupe_key, v.local_date::date, ${at}, v.expires_at::timestamptz, v.to_address,
        v.subject, v.html_body, v.text_body, v.unsubscribe_url, ${at}
      from (values ${sql.join(values, sql`, `)})
        as v(user_id, kind, dedupe_key, local_date, expires_at, to_address, subject, html_body, text_body, unsubscribe_url)
      on conflict (dedupe_key) do nothing
      returning id, dedupe_key`);
    for (const r of rowsOf<{ id: string; dedupe_key: string }>(result)) queued.push({ id: String(r.id), dedupeKey: String(r.dedupe_key) });
  }
  return queued;
}

async function recordItems(db: Db, items: (QueuedItem & { outboxId: string })[]): Promise<void> {
  if (items.length === 0) return;
  const payload = items.map((i) => ({ outbox_id: i.outboxId, task_id: i.taskId, grp: i.grp, slot: i.slot, due_date: i.dueDate }));
  await db.execute(sql`
    insert into reminder_items (outbox_id, task_id, grp, slot, due_date)
    select r.outbox_id, r.task_id, r.grp, r.slot, r.due_date
    from json_to_recordset(${jsonRows(payload)}) as r(outbox_id uuid, task_id uuid, grp text, slot text, due_date date)
    on conflict do nothing`);
}

/** Scan markers older than a few days are never consulted again. */
export async function forgetOldScans(db: Db, before: string): Promise<void> {
  await db.execute(sql`delete from reminder_scans where local_date < ${before}::date`);
}
