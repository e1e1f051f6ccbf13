import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "./database.js";
import { reminderItems, reminderOutbox, taskCompletions } from "./schema.js";

/** A reminder email that named the task, with its delivery state and the occurrence it was about. */
export interface ReminderHistoryRow {
  outboxId: string;
  kind: "digest" | "task";
  subject: string;
  status: "pending" | "sending" | "sent" | "failed" | "suppressed" | "expired";
  createdAt: Date;
  sentAt: Date | null;
  lastError: string | null;
  slot: string;
  /** The due date of the occurrence the reminder was about; null in rows from before migration 0006. */
  dueDate: string | null;
}

const HISTORY_LIMIT = 20;
export const COMPLETIONS_SHOWN = 10;

export interface CompletionHistoryRow {
  id: string;
  occurrence: number;
  dueDate: string;
  completedAt: Date;
}

/**
 * The task page's history in ONE statement (the page's budget is the session, the task and this):
 * the reminders that named the task, each with the occurrence (due date) it was about, and the
 * task's latest completed occurrences (a repeating task's), newest first.
 */
export async function taskHistory(db: Db, userId: string, taskId: string): Promise<{ reminders: ReminderHistoryRow[]; completions: CompletionHistoryRow[] }> {
  const ms = (column: unknown) => sql`(extract(epoch from ${column}) * 1000)::float8`;
  const result = await db.execute(sql`select
    (select coalesce(json_agg(r order by r.n), '[]'::json) from (
      select o.id as "outboxId", o.kind, o.subject, o.status, ${ms(sql`o.created_at`)} as "createdAt", ${ms(sql`o.sent_at`)} as "sentAt",
        o.last_error as "lastError", i.slot, i.due_date::text as "dueDate", row_number() over (order by o.created_at desc, o.id) as n
      from ${reminderItems} i join ${reminderOutbox} o on o.id = i.outbox_id
      where i.task_id = ${taskId}::uuid and o.user_id = ${userId}::uuid
      order by o.created_at desc, o.id limit ${HISTORY_LIMIT}) r) as reminders,
    (select coalesce(json_agg(c order by c.n), '[]'::json) from (
      select id, occurrence, due_date::text as "dueDate", ${ms(sql`completed_at`)} as "completedAt",
        row_number() over (order by completed_at desc, id) as n
      from ${taskCompletions}
      where task_id = ${taskId}::uuid and user_id = ${userId}::uuid
      order by completed_at desc, id limit ${COMPLETIONS_SHOWN}) c) as completions`);
  const row = rowsOf<{ reminders: unknown; completions: unknown }>(result)[0]!;
  const parse = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v) as Record<string, unknown>[];
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(Number(v)));
  return {
    reminders: parse(row.reminders).map((r) => ({
      outboxId: String(r.outboxId),
      kind: r.kind as ReminderHistoryRow["kind"],
      subject: String(r.subject),
      status: r.status as ReminderHistoryRow["status"],
      createdAt: date(r.createdAt)!,
      sentAt: date(r.sentAt),
      lastError: (r.lastError as string | null) ?? null,
      slot: String(r.slot),
      dueDate: (r.dueDate as string | null) ?? null,
    })),
    completions: parse(row.completions).map((c) => ({ id: String(c.id), occurrence: Number(c.occurrence), dueDate: String(c.dueDate), completedAt: date(c.completedAt)! })),
  };
}
