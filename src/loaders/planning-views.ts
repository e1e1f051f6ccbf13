import type { Context } from "hono";
import { textToBase64Url } from "../bytes.js";
import type { Task } from "../db/schema.js";
import { doneView, noDateView, todayView, upcomingView, type DoneEntry, type NavCounts, type ViewCursor } from "../db/task-views.js";
import type { SignedInEnv } from "../deps.js";
import { currentPage } from "../http/render.js";
import { parseCursor } from "../tasks/cursor.js";
import { dueWindows } from "../tasks/due.js";
import { groupUpcoming, planningBounds, type PlanningBounds } from "../tasks/planning.js";
import type { DoneModel, NoDateModel, TodayModel, UpcomingModel } from "../views/planning-views.js";
import { currentListFilter, itemContext, taskView } from "./task-list.js";

// The planning views' models (issue #13), loaded from the request and ONE statement each (rows and
// the navigation's counts together), and what a row action needs to know about the view it came from.

/** The views this module serves, by path. The All view is /tasks (src/routes/tasks.tsx). */
export const PLANNING_PATHS = ["/today", "/upcoming", "/no-date", "/done"] as const;
export type PlanningPath = (typeof PLANNING_PATHS)[number];

/** Today shows at most this many rows (overdue first); the rest are a link to the All view away. */
export const TODAY_LIMIT = 200;
/** Upcoming's 14 days show at most this many rows; Later, No date and Done page by this many. */
export const UPCOMING_LIMIT = 300;
export const VIEW_PAGE = 50;

export function bounds(c: Context<SignedInEnv>): PlanningBounds {
  return planningBounds(c.var.deps.clock.now(), c.var.user.timezone);
}

export async function loadToday(c: Context<SignedInEnv>): Promise<TodayModel> {
  const b = bounds(c);
  const { tasks, nav } = await todayView(c.var.db, c.var.user.id, b, TODAY_LIMIT);
  const shown = tasks.slice(0, TODAY_LIMIT);
  const overdue = shown.filter((t) => t.dueAt! < b.now);
  return {
    today: b.today,
    overdue: overdue.map(taskView),
    dueToday: shown.slice(overdue.length).map(taskView),
    more: tasks.length > TODAY_LIMIT,
    nav,
    ctx: itemContext(b.now, c.var.user.timezone, "/today"),
  };
}

/** Upcoming: the days by date, then Later's first page (or, with `later`, the page after it alone). */
export async function loadUpcoming(c: Context<SignedInEnv>, later: string | null): Promise<UpcomingModel> {
  const b = bounds(c);
  const cursor = readCursor(later, false);
  const { days, later: laterRows, nav } = await upcomingView(c.var.db, c.var.user.id, b, cursor ? 0 : UPCOMING_LIMIT, cursor, VIEW_PAGE);
  const laterShown = laterRows.slice(0, VIEW_PAGE);
  return {
    today: b.today,
    lastDay: b.lastUpcomingDay,
    groups: cursor ? null : groupUpcoming(days.slice(0, UPCOMING_LIMIT).map(taskView), b.today),
    daysCut: days.length > UPCOMING_LIMIT,
    later: laterShown.map(taskView),
    laterNext: laterRows.length > VIEW_PAGE ? writeCursor(laterShown[laterShown.length - 1]!.dueAt!, laterShown[laterShown.length - 1]!.id) : null,
    nav,
    ctx: itemContext(b.now, c.var.user.timezone, "/upcoming"),
  };
}

export async function loadNoDate(c: Context<SignedInEnv>, after: string | null): Promise<NoDateModel> {
  const b = bounds(c);
  const { tasks, nav } = await noDateView(c.var.db, c.var.user.id, b, readCursor(after, true), VIEW_PAGE);
  const shown = tasks.slice(0, VIEW_PAGE);
  const last = shown[shown.length - 1];
  return {
    tasks: shown.map(taskView),
    nextCursor: tasks.length > VIEW_PAGE && last ? writeCursor(last.createdAt, last.id, RANK[last.priority]) : null,
    nav,
    ctx: itemContext(b.now, c.var.user.timezone, "/no-date"),
  };
}

export async function loadDone(c: Context<SignedInEnv>, after: string | null): Promise<DoneModel> {
  const b = bounds(c);
  const { entries, nav } = await doneView(c.var.db, c.var.user.id, b, readCursor(after, false), VIEW_PAGE);
  const shown = entries.slice(0, VIEW_PAGE);
  const last = shown[shown.length - 1];
  return {
    entries: shown,
    nextCursor: entries.length > VIEW_PAGE && last ? writeCursor(last.completedAt, last.id) : null,
    nav,
    timezone: c.var.user.timezone,
  };
}

export type { DoneEntry, NavCounts };

const RANK = { low: 0, medium: 1, high: 2, urgent: 3 } as const;

// The list's cursor format (src/tasks/cursor.ts): base64url JSON of { at, id } (and rank).
function writeCursor(at: Date, id: string, rank?: number): string {
  return textToBase64Url(JSON.stringify({ at: at.getTime(), id, ...(rank === undefined ? {} : { rank }) }));
}

function readCursor(raw: string | null, withRank: boolean): ViewCursor | null {
  const cursor = parseCursor(raw, withRank ? "priority" : "created");
  return cursor && cursor.at !== null ? { at: cursor.at, id: cursor.id, rank: cursor.rank } : null;
}

/** The planning view an htmx request came from (HX-Current-URL), if it came from one. */
export function currentView(c: Context<SignedInEnv>): PlanningPath | null {
  const path = currentPage(c)?.pathname;
  return PLANNING_PATHS.find((p) => p === path) ?? null;
}

/**
 * Whether a task still belongs in the view an htmx request came from, once changed: a row that
 * no longer does is removed rather than swapped. A task just marked done stays (shown done, so it
 * can be reopened in place) except in Done, which a reopened task leaves. The All view keeps its
 * rows as before: it is the place to see them whatever changed.
 */
export function stillShown(c: Context<SignedInEnv>, task: Task, opts: { keepDone: boolean }): boolean {
  const view = currentView(c);
  if (!view) return stillInFilter(c, task);
  if (view === "/done") return task.status === "done";
  if (task.status === "done") return opts.keepDone;
  const b = bounds(c);
  if (view === "/today") return task.dueAt !== null && task.dueAt <= b.todayEnd;
  if (view === "/upcoming") return task.dueAt !== null && task.dueAt > b.todayEnd;
  return task.dueAt === null;
}

/** On the All view, a reschedule takes the row out of a due window it has left (Overdue, Today, Next 7 days, No date). */
function stillInFilter(c: Context<SignedInEnv>, task: Task): boolean {
  if (currentPage(c)?.pathname !== "/tasks") return true;
  const filter = currentListFilter(c);
  if (!filter.due) return true;
  const w = dueWindows(c.var.deps.clock.now(), c.var.user.timezone);
  const at = task.dueAt;
  if (filter.due === "none") return at === null;
  if (!at) return false;
  if (filter.due === "overdue") return at < w.now;
  if (filter.due === "today") return at >= w.todayStart && at <= w.todayEnd;
  return at >= w.now && at <= w.weekEnd;
}
