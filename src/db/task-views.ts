import { and, eq, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { endOfLocalDaySql } from "./calendar.js";
import { executePrepared, rowsOf, type Db } from "./database.js";
import { taskCompletions, tasks, type Task, type TaskPriority } from "./schema.js";
import { taskFromJson, type TaskJson } from "./tasks.js";

// The planning views' queries (issue #13): Today, Upcoming, No date and Done, each answered with
// the navigation's counts from ONE statement (a view page costs the session look-up plus this),
// and the one-click reschedule. Every query filters by the owner in SQL.

/** The navigation's counts: open tasks due by the end of today (overdue included), in Upcoming's 14 days, and without a date. */
export interface NavCounts {
  today: number;
  upcoming: number;
  noDate: number;
}

/** The moments the views split open tasks at: the end of the owner's today, and of today + 14. */
export interface ViewBounds {
  todayEnd: Date;
  upcomingEnd: Date;
}

/** A keyset position: the sort key of the last row shown (ms; rank for No date) and its id. */
export interface ViewCursor {
  at: number;
  rank?: number;
  id: string;
}

const OPEN = sql`${tasks.status} <> 'done'`;

/**
 * The navigation's counts as one JSON value, for any statement to carry. It reads only columns of
 * tasks_user_status_idx (user, status, priority, due_at), so it is an index-only scan of the
 * owner's open tasks.
 */
export function navCountsSql(userId: string, b: ViewBounds): SQL {
  return sql`(select json_build_object(
    'today', count(*) filter (where ${tasks.dueAt} <= ${b.todayEnd}),
    'upcoming', count(*) filter (where ${tasks.dueAt} > ${b.todayEnd} and ${tasks.dueAt} <= ${b.upcomingEnd}),
    'noDate', count(*) filter (where ${tasks.dueAt} is null))
    from ${tasks} where ${tasks.userId} = ${userId} and ${tasks.status} in ('todo', 'in_progress'))`;
}

// Instants leave as epoch milliseconds, as in listTasksWithCounts (src/db/tasks.ts): JSON would
// write them in the session's zone.
const ms = (column: SQLWrapper) => sql`(extract(epoch from ${column}) * 1000)::float8`;

/** Up to `limit` tasks as one JSON array in the given order (json_agg keeps it through row_number()). */
function taskRowsSql(where: SQL, order: SQL[], limit: number): SQL {
  const by = sql.join(order, sql`, `);
  return sql`(select coalesce(json_agg(p order by p.n), '[]'::json) from (
    select ${tasks.id} as id, ${tasks.userId} as user_id, ${tasks.title} as title, ${tasks.notes} as notes,
    ${tasks.priority} as priority, ${tasks.status} as status, ${tasks.dueDate}::text as due_date, ${tasks.dueTime}::text as due_time,
    ${ms(tasks.dueAt)} as due_at, ${ms(tasks.createdAt)} as created_at, ${ms(tasks.updatedAt)} as updated_at,
    ${ms(tasks.completedAt)} as completed_at, ${tasks.remindersEnabled} as reminders_enabled,
    ${tasks.rrule} as rrule, ${tasks.repeatFrom} as repeat_from, ${tasks.occurrence} as occurrence,
    row_number() over (order by ${by}) as n
    from ${tasks} where ${where} order by ${by} limit ${limit}) p)`;
}

// node-postgres and PGlite parse json columns; a driver that hands back text gets parsed here.
function json<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

async function one<T>(db: Db, columns: SQL, prepared = true): Promise<T> {
  const query = sql`select ${columns}`;
  return rowsOf<T>(await (prepared ? executePrepared(db, "task_view", query) : db.execute(query)))[0]!;
}

const tasksOf = (value: unknown): Task[] => json<TaskJson[]>(value).map(taskFromJson);

/** Today: open tasks due by the end of the owner's today, overdue first, then by due moment, then priority. `limit + 1` rows. */
export async function todayView(db: Db, userId: string, b: ViewBounds, limit: number) {
  const where = and(eq(tasks.userId, userId), OPEN, sql`${tasks.dueAt} <= ${b.todayEnd}`)!;
  const rows = taskRowsSql(where, [sql`${tasks.dueAt} asc`, sql`${tasks.priority} desc`, sql`${tasks.id} asc`], limit + 1);
  const row = await one<{ rows: unknown; nav: unknown }>(db, sql`${rows} as rows, ${navCountsSql(userId, b)} as nav`);
  return { tasks: tasksOf(row.rows), nav: json<NavCounts>(row.nav) };
}

/**
 * Upcoming: open tasks due after today up to the end of today + 14 (`dayLimit + 1` of them; none
 * when `dayLimit` is 0, for "load more" of Later), and Later's page after `later` (`laterLimit + 1`).
 */
export async function upcomingView(db: Db, userId: string, b: ViewBounds, dayLimit: number, later: ViewCursor | null, laterLimit: number) {
  const byDue = [sql`${tasks.dueAt} asc`, sql`${tasks.priority} desc`, sql`${tasks.id} asc`];
  const days = dayLimit
    ? taskRowsSql(and(eq(tasks.userId, userId), OPEN, sql`${tasks.dueAt} > ${b.todayEnd}`, sql`${tasks.dueAt} <= ${b.upcomingEnd}`)!, byDue, dayLimit + 1)
    : sql`'[]'::json`;
  const after = later ? sql`(${tasks.dueAt}, ${tasks.id}) > (${new Date(later.at)}::timestamptz, ${later.id}::uuid)` : sql`true`;
  // Later pages by (due_at, id) alone, which tasks_user_due_idx serves in order.
  const laterRows = taskRowsSql(and(eq(tasks.userId, userId), OPEN, sql`${tasks.dueAt} > ${b.upcomingEnd}`, after)!, [sql`${tasks.dueAt} asc`, sql`${tasks.id} asc`], laterLimit + 1);
  const row = await one<{ days: unknown; later: unknown; nav: unknown }>(db, sql`${days} as days, ${laterRows} as later, ${navCountsSql(userId, b)} as nav`);
  return { days: tasksOf(row.days), later: tasksOf(row.later), nav: json<NavCounts>(row.nav) };
}

/** No date: open tasks without a due date, most urgent first, then newest; `limit + 1` after `cursor`. */
export async function noDateView(db: Db, userId: string, b: ViewBounds, cursor: ViewCursor | null, limit: number) {
  const after = cursor
    ? sql`(${tasks.priority}, ${tasks.createdAt}, ${tasks.id}) < (${priorityAt(cursor.rank)}::task_priority, ${new Date(cursor.at)}::timestamptz, ${cursor.id}::uuid)`
    : sql`true`;
  const where = and(eq(tasks.userId, userId), OPEN, sql`${tasks.dueAt} is null`, after)!;
  const rows = taskRowsSql(where, [sql`${tasks.priority} desc`, sql`${tasks.createdAt} desc`, sql`${tasks.id} desc`], limit + 1);
  const row = await one<{ rows: unknown; nav: unknown }>(db, sql`${rows} as rows, ${navCountsSql(userId, b)} as nav`);
  return { tasks: tasksOf(row.rows), nav: json<NavCounts>(row.nav) };
}

const PRIORITIES: TaskPriority[] = ["low", "medium", "high", "urgent"];
function priorityAt(rank: number | undefined): TaskPriority {
  return PRIORITIES[rank ?? 1] ?? "medium";
}

/** One line of Done: a one-off task that is done, or a completed occurrence of a repeating task. */
export interface DoneEntry {
  kind: "task" | "completion";
  /** The task's id, or the completion's (what its undo posts to). */
  id: string;
  taskId: string;
  title: string;
  priority: TaskPriority;
  dueDate: string | null;
  dueTime: string | null;
  dueAt: Date | null;
  completedAt: Date;
  rrule: string | null;
  occurrence: number;
}

interface DoneJson {
  kind: "task" | "completion";
  id: string;
  task_id: string;
  title: string;
  priority: TaskPriority;
  due_date: string | null;
  due_time: string | null;
  due_at: number | null;
  completed_at: number;
  rrule: string | null;
  occurrence: number;
}

/**
 * Done: most recently completed first, one-off tasks and completed occurrences together, keyset
 * paged by (completed_at, id); `limit + 1` entries after `cursor`. Each side is cut to the page
 * before the two are merged, so neither reads more than a page.
 */
export async function doneView(db: Db, userId: string, b: ViewBounds, cursor: ViewCursor | null, limit: number) {
  const c = taskCompletions;
  const before = (at: SQLWrapper, id: SQLWrapper) =>
    cursor ? sql`(${at}, ${id}) < (${new Date(cursor.at)}::timestamptz, ${cursor.id}::uuid)` : sql`true`;
  const page = limit + 1;
  const entries = sql`(select coalesce(json_agg(d order by d.completed_at desc, d.id desc), '[]'::json) from (
    select * from (
      (select 'task' as kind, ${tasks.id} as id, ${tasks.id} as task_id, ${tasks.title} as title, ${tasks.priority} as priority,
        ${tasks.dueDate}::text as due_date, ${tasks.dueTime}::text as due_time, ${ms(tasks.dueAt)} as due_at,
        ${ms(tasks.completedAt)} as completed_at, ${tasks.rrule} as rrule, ${tasks.occurrence} as occurrence
       from ${tasks} where ${tasks.userId} = ${userId} and ${tasks.status} = 'done' and ${before(tasks.completedAt, tasks.id)}
       order by ${tasks.completedAt} desc, ${tasks.id} desc limit ${page})
      union all
      (select 'completion', ${c.id}, ${c.taskId}, ${tasks.title}, ${tasks.priority},
        ${c.dueDate}::text, ${c.dueTime}::text, ${ms(c.dueAt)}, ${ms(c.completedAt)}, ${tasks.rrule}, ${c.occurrence}
       from ${c} join ${tasks} on ${tasks.id} = ${c.taskId} and ${tasks.userId} = ${userId}
       where ${c.userId} = ${userId} and ${before(c.completedAt, c.id)}
       order by ${c.completedAt} desc, ${c.id} desc limit ${page})
    ) u order by completed_at desc, id desc limit ${page}) d)`;
  const row = await one<{ entries: unknown; nav: unknown }>(db, sql`${entries} as entries, ${navCountsSql(userId, b)} as nav`);
  const list = json<DoneJson[]>(row.entries).map(
    (e): DoneEntry => ({
      kind: e.kind,
      id: e.id,
      taskId: e.task_id,
      title: e.title,
      priority: e.priority,
      dueDate: e.due_date,
      dueTime: e.due_time,
      dueAt: e.due_at === null ? null : new Date(e.due_at),
      completedAt: new Date(e.completed_at),
      rrule: e.rrule,
      occurrence: e.occurrence,
    }),
  );
  return { entries: list, nav: json<NavCounts>(row.nav) };
}

/**
 * The navigation's counts alone, with any other JSON value the caller adds (the status counts of
 * /tasks). `searching`: the extra value filters by search words, so the statement is planned per
 * call, as the list's own searches are (src/db/tasks.ts, runFiltered).
 */
export async function navCountsWith(db: Db, userId: string, b: ViewBounds, extra: SQL = sql`null`, searching = false): Promise<{ nav: NavCounts; extra: unknown }> {
  const row = await one<{ nav: unknown; extra: unknown }>(db, sql`${navCountsSql(userId, b)} as nav, ${extra} as extra`, !searching);
  return { nav: json<NavCounts>(row.nav), extra: json(row.extra) };
}

/**
 * The instant of local date `date` at time of day `time` in `zone`, as `dueMoment` (src/tasks/due.ts)
 * works it out: a time that occurs twice means its first occurrence (read with the offset in force
 * a day earlier, kept when that reading really shows the time), a time clocks skip over moves on
 * by the jump (PostgreSQL's own reading).
 */
export function localMomentSql(date: SQL, time: SQLWrapper, zone: SQL): SQL {
  return sql`(select case when (c.early at time zone c.z) = c.n then c.early else c.late end
    from (select v.n, v.z, v.late, (v.n - ((v.late - interval '1 day') at time zone v.z - (v.late - interval '1 day') at time zone 'UTC')) at time zone 'UTC' as early
      from (select ((${date})::date + (${time})::time) as n, (${zone})::text as z, (((${date})::date + (${time})::time) at time zone (${zone})::text) as late) v) c)`;
}

/**
 * Moves a task to local date `date` in one statement, keeping its time of day: the new moment is
 * worked out from the row's own due time in SQL, so no earlier read is needed and an edit made
 * meanwhile is never overwritten. A task without a date becomes due at the end of that day. Null
 * when no task of this owner has the id.
 */
export async function rescheduleTask(db: Db, userId: string, id: string, date: string, timezone: string, now: Date): Promise<Task | null> {
  const day = sql`${date}::date`;
  const zone = sql`${timezone}::text`;
  const [row] = await db
    .update(tasks)
    .set({
      dueDate: date,
      dueAt: sql`case when ${tasks.dueTime} is null then ${endOfLocalDaySql(day, zone)} else ${localMomentSql(day, tasks.dueTime, zone)} end`,
      updatedAt: now,
    })
    .where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
    .returning();
  return row ?? null;
}
