import type { Context } from "hono";
import { countTasksByStatus, listTasks } from "../db/tasks.js";
import type { HonoEnv } from "../deps.js";
import { cursorAfter, type Cursor } from "../tasks/cursor.js";
import { dueWindows } from "../tasks/due.js";
import { filterQuery, parseFilter, type TaskFilter } from "../tasks/filters.js";
import type { ListModel } from "../views/task-list.js";

export const PAGE_SIZE = 50;

/** Loads one page of the list and the status counts: the two queries behind every list view. */
export async function loadList(c: Context<HonoEnv>, filter: TaskFilter, cursor: Cursor | null): Promise<ListModel> {
  const { db, deps } = c.var;
  const user = c.var.user!;
  const now = deps.clock.now();
  const windows = dueWindows(now, user.timezone);
  const [rows, counts] = await Promise.all([
    listTasks(db, user.id, filter, windows, cursor, PAGE_SIZE),
    countTasksByStatus(db, user.id, filter, windows),
  ]);
  const tasks = rows.slice(0, PAGE_SIZE);
  const nextCursor = rows.length > PAGE_SIZE ? cursorAfter(tasks[tasks.length - 1]!, filter.sort) : null;
  return { filter, tasks, counts, nextCursor, ctx: { now, timezone: user.timezone, back: listUrl(filter) } };
}

export function listUrl(filter: TaskFilter): string {
  return `/tasks${filterQuery(filter)}`;
}

/**
 * The list the user is looking at while htmx changes one task, read from HX-Current-URL, so the
 * counts and links htmx swaps in match that list. Any other page means the unfiltered list.
 */
export function currentListFilter(c: Context<HonoEnv>): TaskFilter {
  const current = c.req.header("HX-Current-URL");
  try {
    const url = new URL(current ?? "");
    if (url.pathname === "/tasks") return parseFilter(url.searchParams);
  } catch {
    // no or malformed header: fall through to the plain list
  }
  return parseFilter(new URLSearchParams());
}

/** True when an htmx request comes from the list itself, not from a task's own page. */
export function fromListPage(c: Context<HonoEnv>): boolean {
  try {
    return new URL(c.req.header("HX-Current-URL") ?? "").pathname === "/tasks";
  } catch {
    return false;
  }
}
