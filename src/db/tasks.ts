import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, lte, ne, or, sql, type SQL } from "drizzle-orm";
import type { Cursor } from "../tasks/cursor.js";
import { priorityAtRank } from "../tasks/cursor.js";
import type { DueWindows } from "../tasks/due.js";
import type { TaskFilter } from "../tasks/filters.js";
import type { Db } from "./database.js";
import { tasks, type Task, type TaskPriority, type TaskStatus } from "./schema.js";

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
}

export async function insertTask(db: Db, userId: string, values: TaskValues, now: Date): Promise<Task> {
  const [row] = await db
    .insert(tasks)
    .values({ ...values, userId, createdAt: now, updatedAt: now, completedAt: values.status === "done" ? now : null })
    .returning();
  return row!;
}

export async function getTask(db: Db, userId: string, id: string): Promise<Task | null> {
  const [row] = await db.select().from(tasks).where(and(eq(tasks.id, id), eq(tasks.userId, userId)));
  return row ?? null;
}

/** Updates the fields; completed_at is set on entering done, kept while done, cleared on leaving it. */
export async function updateTask(db: Db, userId: string, id: string, values: TaskValues, now: Date): Promise<Task | null> {
  const [row] = await db
    .update(tasks)
    .set({ ...values, updatedAt: now, completedAt: completedAtFor(values.status, now) })
    .where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
    .returning();
  return row ?? null;
}

export async function setTaskStatus(db: Db, userId: string, id: string, status: TaskStatus, now: Date): Promise<Task | null> {
  const [row] = await db
    .update(tasks)
    .set({ status, updatedAt: now, completedAt: completedAtFor(status, now) })
    .where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
    .returning();
  return row ?? null;
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

/** One page of the list, keyset-paged: `limit + 1` rows are read so the caller knows if more exist. */
export async function listTasks(
  db: Db,
  userId: string,
  filter: TaskFilter,
  windows: DueWindows,
  cursor: Cursor | null,
  limit: number,
): Promise<Task[]> {
  const conditions = [...filterConditions(userId, filter, windows)];
  if (filter.statuses.length) conditions.push(inArray(tasks.status, filter.statuses));
  if (cursor) conditions.push(afterCursor(filter.sort, cursor));
  return db
    .select()
    .from(tasks)
    .where(and(...conditions))
    .orderBy(...ordering(filter.sort))
    .limit(limit + 1);
}

/** Counts per status under every filter but status, so each status chip tells what it would show. */
export async function countTasksByStatus(
  db: Db,
  userId: string,
  filter: TaskFilter,
  windows: DueWindows,
): Promise<Record<TaskStatus, number>> {
  const rows = await db
    .select({ status: tasks.status, count: sql<number>`count(*)`.mapWith(Number) })
    .from(tasks)
    .where(and(...filterConditions(userId, filter, windows)))
    .groupBy(tasks.status);
  const counts: Record<TaskStatus, number> = { todo: 0, in_progress: 0, done: 0 };
  for (const r of rows) counts[r.status] = r.count;
  return counts;
}

function filterConditions(userId: string, filter: TaskFilter, w: DueWindows): SQL[] {
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
      then ((${tasks.dueDate} + 1)::timestamp at time zone ${timezone}) - interval '1 millisecond'
      else ${tasks.dueAt} end`,
    dueDate: sql`case when ${tasks.dueTime} is null then ${tasks.dueDate}
      else (${tasks.dueAt} at time zone ${timezone})::date end`,
    dueTime: sql`case when ${tasks.dueTime} is null then null
      else date_trunc('minute', ${tasks.dueAt} at time zone ${timezone})::time end`,
  };
}
