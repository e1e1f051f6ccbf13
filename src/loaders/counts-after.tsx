import type { Context } from "hono";
import { sql, type SQL } from "drizzle-orm";
import { navCountsSql, type NavCounts } from "../db/task-views.js";
import { statusCountsSql, type CountsByStatus } from "../db/tasks.js";
import type { SignedInEnv } from "../deps.js";
import { currentPage } from "../http/render.js";
import { dueWindows } from "../tasks/due.js";
import { StatusCounts } from "../views/task-list.js";
import { ViewNav } from "../views/view-nav.js";
import { bounds } from "./planning-views.js";
import { currentListFilter } from "./task-list.js";

// The counts a row action refreshes out of band (as countsOob in routes/tasks.tsx: the
// navigation's, and the status counts on the All view), as SQL for the statement that changes a
// repeating task to carry (src/db/completions.ts `extra`), so the answer costs no extra read.

/** The counts as one JSON value, read over the tasks as the carrying statement leaves them. */
export function countsAfterSql(c: Context<SignedInEnv>): SQL {
  const user = c.var.user;
  const onList = currentPage(c)?.pathname === "/tasks";
  const list = onList ? statusCountsSql(user.id, currentListFilter(c), dueWindows(c.var.deps.clock.now(), user.timezone)) : sql`null`;
  return sql`json_build_object('nav', ${navCountsSql(user.id, bounds(c))}, 'list', ${list})`;
}

/** The out-of-band elements for the value countsAfterSql brought back. */
export function CountsAfterOob(props: { c: Context<SignedInEnv>; value: unknown }) {
  const { nav, list } = (props.value ?? {}) as { nav?: NavCounts; list?: CountsByStatus | null };
  const path = currentPage(props.c)?.pathname ?? null;
  return (
    <>
      {list ? <StatusCounts filter={currentListFilter(props.c)} counts={list} oob /> : null}
      {nav ? <ViewNav counts={nav} current={path} oob /> : null}
    </>
  );
}
