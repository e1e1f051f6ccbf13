import type { Context } from "hono";
import { sql, type SQL } from "drizzle-orm";
import { navCountsSql, navCountsWith, type NavCounts } from "../db/task-views.js";
import { statusCountsSql, type CountsByStatus } from "../db/tasks.js";
import type { SignedInEnv } from "../deps.js";
import { currentPage } from "../http/render.js";
import { dueWindows } from "../tasks/due.js";
import { StatusCounts } from "../views/task-list.js";
import { ViewNav } from "../views/view-nav.js";
import { bounds } from "./planning-views.js";
import { currentListFilter } from "./task-list.js";

// The counts a row action refreshes out of band: the navigation's, and on the All view the status
// counts under its filter too. Read by a statement of their own (countsOob), or carried by the
// statement that changes a repeating task (countsAfterSql, src/db/completions.ts `extra`), so that
// answer costs no extra read. Either way the same SQL and the same elements.

/** The All view's status counts under its filter, or null on any other page. */
function listCountsSql(c: Context<SignedInEnv>): SQL | null {
  if (currentPage(c)?.pathname !== "/tasks") return null;
  const user = c.var.user;
  return statusCountsSql(user.id, currentListFilter(c), dueWindows(c.var.deps.clock.now(), user.timezone));
}

/** The out-of-band elements: the status counts (on All) and the navigation. */
function RowCountsOob(props: { c: Context<SignedInEnv>; nav: NavCounts | undefined; list: CountsByStatus | null | undefined }) {
  const path = currentPage(props.c)?.pathname ?? null;
  return (
    <>
      {props.list ? <StatusCounts filter={currentListFilter(props.c)} counts={props.list} oob /> : null}
      {props.nav ? <ViewNav counts={props.nav} current={path} oob /> : null}
    </>
  );
}

/** The counts read by one statement of their own (a prepared one unless the list is searched), as elements. */
export async function countsOob(c: Context<SignedInEnv>) {
  const list = listCountsSql(c);
  const searching = list !== null && currentListFilter(c).q !== "";
  const { nav, extra } = await navCountsWith(c.var.db, c.var.user.id, bounds(c), list ?? undefined, searching);
  return <RowCountsOob c={c} nav={nav} list={list ? (extra as CountsByStatus) : null} />;
}

/** The counts as one JSON value, for a statement that changes tasks to carry and read after its change. */
export function countsAfterSql(c: Context<SignedInEnv>): SQL {
  return sql`json_build_object('nav', ${navCountsSql(c.var.user.id, bounds(c))}, 'list', ${listCountsSql(c) ?? sql`null`})`;
}

/** The out-of-band elements for the value countsAfterSql brought back. */
export function CountsAfterOob(props: { c: Context<SignedInEnv>; value: unknown }) {
  const { nav, list } = (props.value ?? {}) as { nav?: NavCounts; list?: CountsByStatus | null };
  return <RowCountsOob c={props.c} nav={nav} list={list} />;
}
