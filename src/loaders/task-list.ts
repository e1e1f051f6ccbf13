import type { Context } from "hono";
import { listTasksWithCounts } from "../db/tasks.js";
import type { SignedInEnv } from "../deps.js";
import { currentPage } from "../http/render.js";
import { cursorAfter } from "../tasks/cursor.js";
import { type Cursor } from "../db/task-query.js";
import { dueWindows } from "../tasks/due.js";
import { filterQuery, parseFilter } from "../tasks/filters.js";
import { type TaskFilter } from "../db/task-query.js";
import type { ItemContext } from "../views/task-item.js";
import type { ListModel, RowsModel } from "../views/task-list.js";
import type { TaskView } from "../views/models.js";
import type { Task } from "../db/schema.js";
import { dueClock } from "../tasks/format.js";
import { navCountsSql, type NavCounts } from "../db/task-views.js";
import { planningBounds } from "../tasks/planning.js";

// The task list's view models, loaded from the request (filter, cursor, the page it came from) and
// the database: what routes/tasks.tsx renders, and what the benchmarks measure the rendering with.

export const PAGE_SIZE = 50;

/** Loads one page of the list, the status counts and the navigation's counts, in one statement. */
export async function loadList(c: Context<SignedInEnv>, filter: TaskFilter, cursor: Cursor | null): Promise<ListModel> {
  const { page, counts, nav } = await load(c, filter, cursor, true);
  return { ...page, counts: counts!, nav: nav! };
}

/** "Load more" under htmx: the next rows only, without the counts nobody will see. */
export async function loadRows(c: Context<SignedInEnv>, filter: TaskFilter, cursor: Cursor | null): Promise<RowsModel> {
  return (await load(c, filter, cursor, false)).page;
}

async function load(c: Context<SignedInEnv>, filter: TaskFilter, cursor: Cursor | null, withCounts: boolean) {
  const { db, deps } = c.var;
  const user = c.var.user;
  const now = deps.clock.now();
  const windows = dueWindows(now, user.timezone);
  const nav = withCounts ? navCountsSql(user.id, planningBounds(now, user.timezone)) : undefined;
  const { tasks: rows, counts, extra } = await listTasksWithCounts(db, user.id, filter, windows, cursor, PAGE_SIZE, withCounts, nav);
  const tasks = rows.slice(0, PAGE_SIZE);
  const nextCursor = rows.length > PAGE_SIZE ? cursorAfter(tasks[tasks.length - 1]!, filter.sort) : null;
  const page: RowsModel = { filter, tasks: tasks.map(taskView), nextCursor, ctx: itemContext(now, user.timezone, listUrl(filter)) };
  return { page, counts, nav: extra as NavCounts | null };
}

/** A task row as the list and the task page show it (the views never see database rows). */
export function taskView(task: Task): TaskView {
  return {
    id: task.id,
    title: task.title,
    notes: task.notes,
    status: task.status,
    priority: task.priority,
    dueDate: task.dueDate,
    dueTime: task.dueTime,
    dueAt: task.dueAt,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
    completedAt: task.completedAt,
    rrule: task.rrule,
    repeatFrom: task.repeatFrom,
    occurrence: task.occurrence,
  };
}

/** What every row needs of the request: the owner's clock, worked out once for all rows. */
export function itemContext(now: Date, timezone: string, back: string): ItemContext {
  return { clock: dueClock(now, timezone), timezone, back };
}

export function listUrl(filter: TaskFilter): string {
  return `/tasks${filterQuery(filter)}`;
}

/**
 * The list the user is looking at while htmx changes one task, read from HX-Current-URL, so the
 * counts and links htmx swaps in match that list. Any other page means the unfiltered list.
 */
export function currentListFilter(c: Context<SignedInEnv>): TaskFilter {
  const from = currentPage(c);
  return parseFilter(from?.pathname === "/tasks" ? from.searchParams : new URLSearchParams());
}

/** True when an htmx request comes from a list of rows (All or a planning view), not from a task's own page. */
export function fromListPage(c: Context<SignedInEnv>): boolean {
  const path = currentPage(c)?.pathname;
  return path === "/tasks" || path === "/today" || path === "/upcoming" || path === "/no-date" || path === "/done";
}
