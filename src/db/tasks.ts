import { and, asc, desc, eq, gt, inArray, isNull, lt, lte, ne, or, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { endOfLocalDaySql, localDateSql } from "./calendar.js";
import { executePrepared, rowsOf, statementName, type Db } from "./database.js";
import { tasks, userTaskCounts, type Task, type TaskPriority, type TaskStatus } from "./schema.js";
import { MAX_TASKS_PER_USER } from "./task-cap.js";
import { priorityAtRank, statusesShown, type Cursor, type DueWindows, type TaskFilter } from "./task-query.js";

// Every function here takes the owner and filters by it in SQL: another user's task id
// matches no row, exactly like an id that does not exist.

export interface TaskValues {
  title: string;
  notes: string;
  priority: TaskPriority;
  status: TaskStatus;
  dueDate: string | null;
  dueTime: string | null;
  dueAt: Date | null;
  /** Undefined: unchanged on update, on for a new task. */
  remindersEnabled?: boolean;
  /** Repetition (src/recurrence/); undefined: unchanged on update, none for a new task. */
  rrule?: string | null;
  repeatFrom?: "due" | "completion";
}

// The writes people make all day are prepared once per database handle: Drizzle then does not
// build their SQL again on every call, and node-postgres names them so the server parses them once
// per connection.
const prepared = new WeakMap<Db, ReturnType<typeof prepareWrites>>();

function prepareWrites(db: Db) {
  const p = sql.placeholder;
  const owned = and(eq(tasks.id, p("id")), eq(tasks.userId, p("userId")));
  return {
    // INSERT … SELECT so that the cap is checked by the insert itself: no row (and no extra round
    // trip) once the owner has MAX_TASKS_PER_USER tasks. It sums the owner's counter stripes (kept
    // by triggers, see userTaskCounts): counting their tasks here cost a scan that grew with each task.
    // The columns go in the table's order.
    insert: db
      .insert(tasks)
      .select(
        sql`select gen_random_uuid(), ${p("userId")}::uuid, ${p("title")}::text, ${p("notes")}::text,
          ${p("priority")}::task_priority, ${p("status")}::task_status, ${p("dueDate")}::date, ${p("dueTime")}::time,
          ${p("dueAt")}::timestamptz, ${p("now")}::timestamptz, ${p("now")}::timestamptz, ${p("completedAt")}::timestamptz,
          ${p("remindersEnabled")}::boolean, ${p("rrule")}::text, ${p("repeatFrom")}::text, 1
          where (select coalesce(sum(${userTaskCounts.n}), 0) from ${userTaskCounts} where ${userTaskCounts.userId} = ${p("userId")}::uuid) < ${MAX_TASKS_PER_USER}`,
      )
      .returning()
      .prepare(statementName(db, "task_insert")),
    complete: db
      .update(tasks)
      .set({ status: "done", updatedAt: sql`${p("now")}`, completedAt: sql`coalesce(${tasks.completedAt}, ${p("now")})` })
      .where(owned)
      .returning()
      .prepare(statementName(db, "task_complete")),
    // Completing from the web (src/recurrence/complete.ts): a one-off task is completed exactly as
    // by `complete`; a repeating one comes back unchanged (no column changes) for the caller to move
    // it to its next occurrence, which needs its rule worked out in JavaScript. One statement for
    // both, so completing a one-off still costs one round trip.
    completeOnce: db
      .update(tasks)
      .set({
        status: sql`case when ${tasks.rrule} is null then 'done'::task_status else ${tasks.status} end`,
        updatedAt: sql`case when ${tasks.rrule} is null then ${p("now")}::timestamptz else ${tasks.updatedAt} end`,
        completedAt: sql`case when ${tasks.rrule} is null then coalesce(${tasks.completedAt}, ${p("now")}::timestamptz) else ${tasks.completedAt} end`,
      })
      .where(owned)
      .returning()
      .prepare(statementName(db, "task_complete_once")),
    reopen: db
      .update(tasks)
      .set({ status: sql`${p("status")}::task_status`, updatedAt: sql`${p("now")}`, completedAt: null })
      .where(owned)
      .returning()
      .prepare(statementName(db, "task_reopen")),
  };
}

function writes(db: Db) {
  let statements = prepared.get(db);
  if (!statements) prepared.set(db, (statements = prepareWrites(db)));
  return statements;
}

/** The new task, or null when the owner already has MAX_TASKS_PER_USER tasks. */
export async function insertTask(db: Db, userId: string, values: TaskValues, now: Date): Promise<Task | null> {
  const [row] = await writes(db).insert.execute({
    ...values,
    userId,
    remindersEnabled: values.remindersEnabled ?? true,
    rrule: values.rrule ?? null,
    repeatFrom: values.repeatFrom ?? "due",
    now,
    completedAt: values.status === "done" ? now : null,
  });
  return row ?? null;
}

export async function getTask(db: Db, userId: string, id: string): Promise<Task | null> {
  const [row] = await db.select().from(tasks).where(and(eq(tasks.id, id), eq(tasks.userId, userId)));
  return row ?? null;
}

/** Updates the fields; completed_at is set on entering done, kept while done, cleared on leaving it. */
export async function updateTask(db: Db, userId: string, id: string, values: TaskValues, now: Date): Promise<Task | null> {
  const [row] = await db
    .update(tasks)
    .set({ ...values, updatedAt: now, completedAt: completedAtFor(values.status, now), ...repetitionFor(values) })
    .where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
    .returning();
  return row ?? null;
}

/**
 * A changed rule starts its count again (occurrence 1: COUNT counts from the task as it is now).
 * A post without the Repeat fields that takes the due date away ends the repetition with it,
 * which needs a date (the table's check), rather than failing.
 */
function repetitionFor(values: TaskValues) {
  if (values.rrule !== undefined) return { occurrence: sql`case when ${tasks.rrule} is distinct from ${values.rrule} then 1 else ${tasks.occurrence} end` };
  return values.dueDate === null ? { rrule: null } : {};
}

/** Complete (done keeps the first completion time) or reopen; completed_at follows the status. */
export async function setTaskStatus(db: Db, userId: string, id: string, status: TaskStatus, now: Date): Promise<Task | null> {
  const statements = writes(db);
  const [row] = status === "done" ? await statements.complete.execute({ id, userId, now }) : await statements.reopen.execute({ id, userId, now, status });
  return row ?? null;
}

/**
 * Completes a one-off task (like setTaskStatus "done"), or answers a repeating one unchanged:
 * `completed` says which. Null when the owner has no such task.
 */
export async function completeOneOffOrRead(db: Db, userId: string, id: string, now: Date): Promise<{ task: Task; completed: boolean } | null> {
  const [row] = await writes(db).completeOnce.execute({ id, userId, now });
  return row ? { task: row, completed: row.rrule === null } : null;
}

function completedAtFor(status: TaskStatus, now: Date): SQL {
  return status === "done" ? sql`coalesce(${tasks.completedAt}, ${now})` : sql`null`;
}

export async function deleteTask(db: Db, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(tasks)
    .where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
    .returning({ id: tasks.id });
  return rows.length > 0;
}

export type CountsByStatus = Record<TaskStatus, number>;

/**
 * One page of the list, keyset-paged (`limit + 1` rows, so the caller knows if more exist), and
 * with `withCounts` the counts per status under every filter but status, so each status chip
 * tells what it would show. Both come back from ONE statement: a list page costs the session
 * look-up plus this, one round trip on one connection. The rows travel as one JSON value, which
 * the driver parses natively instead of converting 13 columns of each row in JavaScript.
 */
export async function listTasksWithCounts(
  db: Db,
  userId: string,
  filter: TaskFilter,
  windows: DueWindows,
  cursor: Cursor | null,
  limit: number,
  withCounts = true,
  /** Any other JSON value to bring back in the same statement (the navigation's counts). */
  extra: SQL = sql`null`,
): Promise<{ tasks: Task[]; counts: CountsByStatus | null; extra: unknown }> {
  const conditions = filterConditions(userId, filter, windows);
  const pageConditions = [...conditions];
  const shown = statusesShown(filter);
  if (shown) pageConditions.push(statusIn(shown));
  if (cursor) pageConditions.push(afterCursor(filter.sort, cursor));
  const order = ordering(filter.sort);
  // json_agg keeps an order only when told one: row_number() carries the page's order out.
  // Instants leave as epoch milliseconds: JSON would write them in the session's zone, with
  // offsets JavaScript cannot parse for old dates in some zones (e.g. +00:19:32).
  const ms = (column: SQLWrapper) => sql`(extract(epoch from ${column}) * 1000)::float8`;
  const page = sql`select ${tasks.id} as id, ${tasks.userId} as user_id, ${tasks.title} as title, ${tasks.notes} as notes,
    ${tasks.priority} as priority, ${tasks.status} as status, ${tasks.dueDate}::text as due_date, ${tasks.dueTime}::text as due_time,
    ${ms(tasks.dueAt)} as due_at, ${ms(tasks.createdAt)} as created_at, ${ms(tasks.updatedAt)} as updated_at,
    ${ms(tasks.completedAt)} as completed_at, ${tasks.remindersEnabled} as reminders_enabled,
    ${tasks.rrule} as rrule, ${tasks.repeatFrom} as repeat_from, ${tasks.occurrence} as occurrence,
    row_number() over (order by ${sql.join(order, sql`, `)}) as n
    from ${tasks} where ${and(...pageConditions)} order by ${sql.join(order, sql`, `)} limit ${limit + 1}`;
  const counts = withCounts ? countsQuery(conditions) : sql`null`;
  const result = await runFiltered(
    db,
    filter,
    "task_list",
    sql`select (select coalesce(json_agg(p order by p.n), '[]'::json) from (${page}) p) as rows, ${counts} as counts, ${extra} as extra`,
  );
  const row = rowsOf<{ rows: unknown; counts: unknown; extra: unknown }>(result)[0]!;
  return { tasks: (json(row.rows) as TaskJson[]).map(taskFromJson), counts: json(row.counts) as CountsByStatus | null, extra: json(row.extra) };
}

// The statuses as literals of the enum (never the request's text): a prepared statement's generic
// plan can then see that the open list (status <> 'done') may read tasks_user_open_list_idx.
const STATUS_LITERALS: Record<TaskStatus, string> = { todo: "'todo'", in_progress: "'in_progress'", done: "'done'" };
function statusIn(statuses: TaskStatus[]): SQL {
  const chosen = new Set(statuses);
  if (chosen.size === 2 && !chosen.has("done")) return sql`${tasks.status} <> 'done'`;
  return sql`${tasks.status} in (${sql.raw(statuses.map((status) => STATUS_LITERALS[status]).join(", "))})`;
}

/**
 * A list statement, prepared unless it searches: a search's best plan depends on its words (a rare
 * word: the trigram index; a common one: the owner's own rows), which a prepared statement's
 * generic plan cannot know. Prepared, `?q=ab` fell from 187 to 5 requests a second.
 */
function runFiltered(db: Db, filter: TaskFilter, name: string, query: SQL): Promise<unknown> {
  return filter.q ? db.execute(query) : executePrepared(db, name, query);
}

/** Counts per status under every filter but status (what the chips beside the list show). */
export async function countTasksByStatus(db: Db, userId: string, filter: TaskFilter, windows: DueWindows): Promise<CountsByStatus> {
  const result = await runFiltered(db, filter, "task_counts", sql`select ${countsQuery(filterConditions(userId, filter, windows))} as counts`);
  return json(rowsOf<{ counts: unknown }>(result)[0]!.counts) as CountsByStatus;
}

/** The counts per status as one JSON value, for a statement that brings back more (src/db/task-views.ts). */
export function statusCountsSql(userId: string, filter: TaskFilter, windows: DueWindows): SQL {
  return countsQuery(filterConditions(userId, filter, windows));
}

// Reads only columns of tasks_user_status_idx (unless searching), so it is an index-only scan.
// `from` may be any row source named "tasks" (a statement that moves a task counts the moved row).
export function countsQuery(conditions: SQL[], from: SQL = sql`${tasks}`): SQL {
  return sql`(select json_build_object('todo', count(*) filter (where ${tasks.status} = 'todo'),
    'in_progress', count(*) filter (where ${tasks.status} = 'in_progress'),
    'done', count(*) filter (where ${tasks.status} = 'done'))
    from ${from} where ${and(...conditions)})`;
}

// node-postgres and PGlite parse json columns; a driver that hands back text gets parsed here.
export function json(value: unknown): unknown {
  return typeof value === "string" ? JSON.parse(value) : value;
}

/** A tasks row as json_agg writes it: column names as in SQL, instants as epoch milliseconds. */
export interface TaskJson {
  id: string;
  user_id: string;
  title: string;
  notes: string;
  priority: TaskPriority;
  status: TaskStatus;
  due_date: string | null;
  due_time: string | null;
  due_at: number | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
  reminders_enabled: boolean;
  rrule: string | null;
  repeat_from: "due" | "completion";
  occurrence: number;
}

export function taskFromJson(r: TaskJson): Task {
  return {
    id: r.id,
    userId: r.user_id,
    title: r.title,
    notes: r.notes,
    priority: r.priority,
    status: r.status,
    dueDate: r.due_date,
    dueTime: r.due_time,
    dueAt: r.due_at === null ? null : new Date(r.due_at),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
    completedAt: r.completed_at === null ? null : new Date(r.completed_at),
    remindersEnabled: r.reminders_enabled,
    rrule: r.rrule,
    repeatFrom: r.repeat_from,
    occurrence: r.occurrence,
  };
}

export function filterConditions(userId: string, filter: TaskFilter, w: DueWindows): SQL[] {
  const out: SQL[] = [eq(tasks.userId, userId)];
  if (filter.priorities.length) out.push(inArray(tasks.priority, filter.priorities));
  if (filter.due === "overdue") out.push(lt(tasks.dueAt, w.now), ne(tasks.status, "done"));
  if (filter.due === "today") out.push(sql`${tasks.dueAt} between ${w.todayStart} and ${w.todayEnd}`);
  if (filter.due === "week") out.push(sql`${tasks.dueAt} >= ${w.now}`, lte(tasks.dueAt, w.weekEnd));
  if (filter.due === "none") out.push(isNull(tasks.dueAt));
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    out.push(or(sql`${tasks.title} ilike ${pattern}`, sql`${tasks.notes} ilike ${pattern}`)!);
  }
  return out;
}

// Tasks without a due date sort after all dated ones; the id breaks every tie so paging is stable.
function ordering(sort: TaskFilter["sort"]) {
  const byDue = [sql`${tasks.dueAt} asc nulls last`, asc(tasks.id)];
  if (sort === "priority") return [desc(tasks.priority), ...byDue];
  if (sort === "created") return [desc(tasks.createdAt), desc(tasks.id)];
  if (sort === "updated") return [desc(tasks.updatedAt), desc(tasks.id)];
  return byDue;
}

function afterCursor(sort: TaskFilter["sort"], c: Cursor): SQL {
  if (sort === "created" || sort === "updated") {
    const column = sort === "created" ? tasks.createdAt : tasks.updatedAt;
    const at = new Date(c.at ?? 0);
    return or(lt(column, at), and(eq(column, at), lt(tasks.id, c.id)))!;
  }
  const afterDue =
    c.at === null
      ? and(isNull(tasks.dueAt), gt(tasks.id, c.id))!
      : or(
          isNull(tasks.dueAt),
          gt(tasks.dueAt, new Date(c.at)),
          and(eq(tasks.dueAt, new Date(c.at)), gt(tasks.id, c.id)),
        )!;
  if (sort !== "priority") return afterDue;
  const rank = priorityAtRank(c.rank ?? 1);
  return or(
    sql`${tasks.priority} < ${rank}::task_priority`,
    and(sql`${tasks.priority} = ${rank}::task_priority`, afterDue),
  )!;
}

/**
 * After a timezone change: date-only deadlines stay on their dates (their moment moves to the
 * end of that day in the new zone); timed deadlines keep their moment, shown in the new zone.
 */
export function retimedDue(timezone: string) {
  return {
    dueAt: sql`case when ${tasks.dueTime} is null
      then ${endOfLocalDaySql(sql`${tasks.dueDate}`, sql`${timezone}`)}
      else ${tasks.dueAt} end`,
    dueDate: sql`case when ${tasks.dueTime} is null then ${tasks.dueDate}
      else ${localDateSql(sql`${tasks.dueAt}`, sql`${timezone}`)} end`,
    dueTime: sql`case when ${tasks.dueTime} is null then null
      else date_trunc('minute', ${tasks.dueAt} at time zone ${timezone})::time end`,
  };
}

/**
 * Moves an open task's deadline (the "Move to tomorrow" email link) and writes nothing else, in
 * one statement, so an edit or a completion made since the task was read is never undone or
 * reopened. The new moment was worked out from the time of day read then; a row whose due time
 * has changed since is left alone too. Null when nothing matched: gone, not this owner's, done,
 * or its due time changed.
 */
export async function moveOpenTaskDue(
  db: Db,
  userId: string,
  id: string,
  due: { dueDate: string; dueTime: string | null; dueAt: Date },
  now: Date,
): Promise<Task | null> {
  const [row] = await db
    .update(tasks)
    .set({ dueDate: due.dueDate, dueAt: due.dueAt, updatedAt: now })
    .where(
      and(
        eq(tasks.id, id),
        eq(tasks.userId, userId),
        ne(tasks.status, "done"),
        due.dueTime === null ? isNull(tasks.dueTime) : eq(tasks.dueTime, due.dueTime),
      ),
    )
    .returning();
  return row ?? null;
}
