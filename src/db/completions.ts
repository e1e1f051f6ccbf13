import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { rowsOf, type Db } from "./database.js";
import { taskCompletions, tasks, type Task } from "./schema.js";
import { json, taskFromJson, type TaskJson } from "./tasks.js";

// Completed occurrences of repeating tasks (task_completions), and the statements that move a
// repeating task along its series. Every statement filters by the owner in SQL and is one round
// trip. Each can carry `extra`, any SQL of the caller's (the counts an htmx answer refreshes),
// evaluated over the owner's tasks as they are AFTER the change: a statement's own changes are
// invisible to its other parts, so a CTE named "tasks" stands in for the table there (the other
// rows as they were, plus the changed row as RETURNING gives it).

/** Where a repeating task goes: its next occurrence, or done when its series has ended. */
export type MoveTo = { dueDate: string; dueAt: Date; occurrence: number } | { ended: true };

/** What the task was when it was read, for the move's guard and the completion row. */
export type MovedFrom = Pick<Task, "id" | "dueDate" | "dueTime" | "dueAt" | "occurrence" | "rrule" | "repeatFrom">;

export interface Moved {
  task: Task;
  /** The completion recorded for the occurrence left behind; null for a skip or an ended series. */
  completionId: string | null;
  extra: unknown;
}

const ms = (column: SQLWrapper | SQL) => sql`(extract(epoch from ${column}) * 1000)::float8`;

/** A tasks row of `source` (e.g. a RETURNING) as the JSON taskFromJson reads. */
function taskJson(source: string): SQL {
  const c = (name: string) => sql.raw(`${source}.${name}`);
  return sql`json_build_object('id', ${c("id")}, 'user_id', ${c("user_id")}, 'title', ${c("title")}, 'notes', ${c("notes")},
    'priority', ${c("priority")}, 'status', ${c("status")}, 'due_date', ${c("due_date")}::text, 'due_time', ${c("due_time")}::text,
    'due_at', ${ms(c("due_at"))}, 'created_at', ${ms(c("created_at"))}, 'updated_at', ${ms(c("updated_at"))},
    'completed_at', ${ms(c("completed_at"))}, 'reminders_enabled', ${c("reminders_enabled")}, 'rrule', ${c("rrule")},
    'repeat_from', ${c("repeat_from")}, 'occurrence', ${c("occurrence")})`;
}

/**
 * The "tasks" CTE for `extra`: the owner's tasks with row `id` replaced by the rows of CTE
 * `changed`. Only the owner's rows: `extra` reads this CTE more than once (the views' counts and
 * the status counts), so PostgreSQL materializes it, and without the filter that was every user's tasks.
 */
function tasksAfter(userId: string, id: SQL, changed: string): SQL {
  return sql`"tasks" as (select * from ${tasks} where ${tasks.userId} = ${userId}::uuid and ${tasks.id} <> ${id} union all select * from ${sql.raw(changed)})`;
}

/**
 * Moves a repeating task from the occurrence it was read at to `to` (its next occurrence, or done
 * when the series ended), in one statement: with `record`, the occurrence left behind is kept as
 * a completion. Guarded by what was read (date, time, occurrence, rule), so a task that changed in
 * between is left alone: null then (or when the owner has no such task).
 */
export async function moveRepeatingTask(
  db: Db,
  userId: string,
  from: MovedFrom,
  to: MoveTo,
  record: boolean,
  now: Date,
  extra: SQL = sql`null`,
): Promise<Moved | null> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const set =
    "ended" in to
      ? sql`status = 'done', completed_at = coalesce(completed_at, ${at}), updated_at = ${at}`
      : sql`due_date = ${to.dueDate}::date, due_at = ${to.dueAt.toISOString()}::timestamptz, occurrence = ${to.occurrence}::int,
          status = 'todo', completed_at = null, updated_at = ${at}`;
  const result = await db.execute(sql`
    with moved as (
      update ${tasks} set ${set}
      where id = ${from.id}::uuid and user_id = ${userId}::uuid and status <> 'done'
        and due_date = ${from.dueDate}::date and due_time is not distinct from ${from.dueTime}::time
        and occurrence = ${from.occurrence}::int and rrule = ${from.rrule} and repeat_from = ${from.repeatFrom}
      returning *
    ), recorded as (
      insert into ${taskCompletions} (task_id, user_id, occurrence, due_date, due_time, due_at, completed_at)
      select m.id, m.user_id, ${from.occurrence}::int, ${from.dueDate}::date, ${from.dueTime}::time, ${from.dueAt!.toISOString()}::timestamptz, ${at}
      from moved m where ${record}::boolean
      returning id
    ), ${tasksAfter(userId, sql`${from.id}::uuid`, "moved")}
    select (select ${taskJson("m")} from moved m) as task, (select id from recorded) as completion_id, ${extra} as extra`);
  const row = rowsOf<{ task: unknown; completion_id: string | null; extra: unknown }>(result)[0];
  const task = json(row?.task ?? null) as TaskJson | null;
  if (!row || !task) return null;
  return { task: taskFromJson(task), completionId: row.completion_id ? String(row.completion_id) : null, extra: json(row.extra) };
}

export type UndoResult =
  | { kind: "undone"; task: Task; extra: unknown }
  /** The task changed after that completion (another completion, a skip, an edit): left as it is. */
  | { kind: "moved-on"; task: Task }
  | { kind: "not-found" };

/**
 * Undoes a completion: the task goes back to that occurrence (its date, time, moment and number,
 * open again) and the completion row goes, in one statement; only while the task is as that
 * completion left it (its updated_at is still the completion's moment), so an undo never
 * overwrites a later change.
 */
export async function undoCompletion(db: Db, userId: string, completionId: string, now: Date, extra: SQL = sql`null`): Promise<UndoResult> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const result = await db.execute(sql`
    with c as (
      select * from ${taskCompletions} where id = ${completionId}::uuid and user_id = ${userId}::uuid
    ), was as (
      select t.* from ${tasks} t join c on t.id = c.task_id where t.user_id = ${userId}::uuid
    ), restored as (
      update ${tasks} t set due_date = c.due_date, due_time = c.due_time, due_at = c.due_at, occurrence = c.occurrence,
        status = 'todo', completed_at = null, updated_at = ${at}
      from c
      where t.id = c.task_id and t.user_id = ${userId}::uuid and t.updated_at = c.completed_at
      returning t.*
    ), removed as (
      delete from ${taskCompletions} where id in (select id from c) and exists (select 1 from restored)
      returning id
    ), ${tasksAfter(userId, sql`(select task_id from c)`, "restored")}
    select exists (select 1 from c) as found,
      (select ${taskJson("r")} from restored r) as restored,
      (select ${taskJson("w")} from was w) as current,
      (select count(*) from removed)::int as removed,
      ${extra} as extra`);
  const row = rowsOf<{ found: boolean; restored: unknown; current: unknown; extra: unknown }>(result)[0];
  if (!row?.found) return { kind: "not-found" };
  const restored = json(row.restored) as TaskJson | null;
  if (restored) return { kind: "undone", task: taskFromJson(restored), extra: json(row.extra) };
  const current = json(row.current) as TaskJson | null;
  return current ? { kind: "moved-on", task: taskFromJson(current) } : { kind: "not-found" };
}

/** A completed occurrence as the task page lists it. */
export interface CompletionRow {
  id: string;
  occurrence: number;
  dueDate: string;
  dueTime: string | null;
  completedAt: Date;
}
