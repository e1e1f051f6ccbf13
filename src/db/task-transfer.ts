import { and, asc, eq, getTableColumns, sql } from "drizzle-orm";
import { rowsOf, type Db } from "./database.js";
import { reminderItems, reminderOutbox, tasks, users, type Task } from "./schema.js";
import { MAX_TASKS_PER_USER } from "./task-cap.js";
import type { TaskValues } from "./tasks.js";

// The export's reads and the import's write. Reads go page by page (keyset, a bounded number of
// rows each), so an export's memory and each statement stay small however much a user has.

/**
 * Where the next page starts: the last row's created_at as PostgreSQL writes it (exact to the
 * microsecond, which a JavaScript Date is not) and its id.
 */
interface PageCursor {
  at: string;
  id: string;
}

/** Rows per page of an export: at most 10,000 characters of notes each, so a page stays a few MB at worst. */
export const EXPORT_PAGE_ROWS = 500;

/**
 * Every task of the user, oldest first, `pageRows` at a time. Keyset by (created_at, id), not by id
 * alone: tasks_user_created_idx holds exactly that order under user_id, so each page is one short
 * index range scan, where paging by id would walk the primary key through every user's tasks.
 */
export async function* taskPages(db: Db, userId: string, pageRows = EXPORT_PAGE_ROWS): AsyncGenerator<Task[]> {
  let after: PageCursor | null = null;
  for (;;) {
    const rows: (Task & { cursorAt: string })[] = await db
      .select({ ...getTableColumns(tasks), cursorAt: sql<string>`${tasks.createdAt}::text` })
      .from(tasks)
      .where(and(eq(tasks.userId, userId), after ? sql`(${tasks.createdAt}, ${tasks.id}) > (${after.at}::timestamptz, ${after.id}::uuid)` : undefined))
      .orderBy(asc(tasks.createdAt), asc(tasks.id))
      .limit(pageRows);
    if (rows.length === 0) return;
    yield rows.map(({ cursorAt: _, ...task }) => task);
    if (rows.length < pageRows) return;
    const last = rows[rows.length - 1]!;
    after = { at: last.cursorAt, id: last.id };
  }
}

/** One reminder email as the export shows it: never its body, address or links (they carry tokens). */
export interface ReminderRecord {
  id: string;
  kind: "digest" | "task";
  status: string;
  subject: string;
  localDate: string;
  queuedAt: Date;
  sentAt: Date | null;
  taskIds: string[];
}

/** Rows per page of reminder history; a digest names at most the tasks of one day's mail. */
export const HISTORY_PAGE_ROWS = 500;

/** Every reminder email queued for the user (sent or not), oldest first, page by page, with the tasks each covered. */
export async function* reminderPages(db: Db, userId: string, pageRows = HISTORY_PAGE_ROWS): AsyncGenerator<ReminderRecord[]> {
  const o = reminderOutbox;
  let after: PageCursor | null = null;
  for (;;) {
    const rows: (Omit<ReminderRecord, "taskIds"> & { cursorAt: string; taskIds: unknown })[] = await db
      .select({
        id: o.id,
        kind: o.kind,
        status: o.status,
        subject: o.subject,
        localDate: o.localDate,
        queuedAt: o.createdAt,
        sentAt: o.sentAt,
        cursorAt: sql<string>`${o.createdAt}::text`,
        taskIds: sql<unknown>`(select coalesce(json_agg(${reminderItems.taskId} order by ${reminderItems.taskId}), '[]'::json)
          from ${reminderItems} where ${reminderItems.outboxId} = ${o.id})`,
      })
      .from(o)
      .where(and(eq(o.userId, userId), after ? sql`(${o.createdAt}, ${o.id}) > (${after.at}::timestamptz, ${after.id}::uuid)` : undefined))
      .orderBy(asc(o.createdAt), asc(o.id))
      .limit(pageRows);
    if (rows.length === 0) return;
    yield rows.map(({ cursorAt: _, taskIds, ...row }) => ({ ...row, taskIds: json(taskIds) as string[] }));
    if (rows.length < pageRows) return;
    const last = rows[rows.length - 1]!;
    after = { at: last.cursorAt, id: last.id };
  }
}

export async function countTasks(db: Db, userId: string): Promise<number> {
  const result = await db.execute(sql`select count(*)::int as n from ${tasks} where ${tasks.userId} = ${userId}`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

/** A task read from an import file: the form's values plus the moments the file gave (or now). */
export interface ImportedTask extends TaskValues {
  remindersEnabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** Set exactly when the status is done (the table's check). */
  completedAt: Date | null;
}

/** Rows per INSERT: each statement has two parameters (the owner and the rows as one JSON value). */
export const IMPORT_CHUNK_ROWS = 1000;

/**
 * Inserts all the rows for the user in one transaction, or none: when the user's tasks and these
 * would together pass MAX_TASKS_PER_USER, nothing is written and the current count comes back.
 * Rows travel as one JSON parameter per statement (jsonb_to_recordset), far below PostgreSQL's
 * 65,535 bind parameters however many there are. New ids are always the database's own.
 */
export async function insertImportedTasks(
  db: Db,
  userId: string,
  rows: ImportedTask[],
  chunkRows = IMPORT_CHUNK_ROWS,
): Promise<{ ok: true; inserted: number } | { ok: false; existing: number }> {
  return db.transaction(async (tx) => {
    // Two imports by the same person at once queue here, so both cannot count the same room.
    await tx.execute(sql`select 1 from ${users} where ${users.id} = ${userId} for no key update`);
    const existing = await countTasks(tx, userId);
    if (existing + rows.length > MAX_TASKS_PER_USER) return { ok: false as const, existing };
    let inserted = 0;
    for (let start = 0; start < rows.length; start += chunkRows) {
      inserted += await insertChunk(tx, userId, rows.slice(start, start + chunkRows));
    }
    return { ok: true as const, inserted };
  });
}

async function insertChunk(tx: Db, userId: string, rows: ImportedTask[]): Promise<number> {
  const payload = JSON.stringify(
    rows.map((r) => ({
      title: r.title,
      notes: r.notes,
      priority: r.priority,
      status: r.status,
      due_date: r.dueDate,
      due_time: r.dueTime,
      due_at: r.dueAt?.toISOString() ?? null,
      created_at: r.createdAt.toISOString(),
      updated_at: r.updatedAt.toISOString(),
      completed_at: r.completedAt?.toISOString() ?? null,
      reminders_enabled: r.remindersEnabled,
      rrule: r.rrule ?? null,
      repeat_from: r.repeatFrom ?? "due",
    })),
  );
  const result = await tx.execute(sql`
    with added as (
      insert into ${tasks} (user_id, title, notes, priority, status, due_date, due_time, due_at, created_at, updated_at, completed_at, reminders_enabled,
        rrule, repeat_from)
      select ${userId}::uuid, r.title, r.notes, r.priority::task_priority, r.status::task_status, r.due_date, r.due_time, r.due_at,
        r.created_at, r.updated_at, r.completed_at, r.reminders_enabled, r.rrule, r.repeat_from
      from jsonb_to_recordset(${payload}::jsonb) as r(title text, notes text, priority text, status text, due_date date, due_time time,
        due_at timestamptz, created_at timestamptz, updated_at timestamptz, completed_at timestamptz, reminders_enabled boolean,
        rrule text, repeat_from text)
      returning 1)
    select count(*)::int as n from added`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

// node-postgres and PGlite parse json columns; a driver that hands back text gets parsed here.
function json(value: unknown): unknown {
  return typeof value === "string" ? JSON.parse(value) : value;
}
