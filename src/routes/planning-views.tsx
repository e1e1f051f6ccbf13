import { Hono, type Context } from "hono";
import type { Child } from "hono/jsx";
import type { NavCounts } from "../db/task-views.js";
import type { HonoEnv, SignedInEnv } from "../deps.js";
import { pageOrFragment, renderFragment, wantsFragment } from "../http/render.js";
import { requireUser } from "../http/session-middleware.js";
import { currentView, loadDone, loadNoDate, loadToday, loadUpcoming } from "../loaders/planning-views.js";
import { DonePage, DoneResults, DoneRows, LaterRows, NoDatePage, NoDateResults, NoDateRows, TodayPage, TodayResults, UpcomingPage, UpcomingResults } from "../views/planning-views.js";
import { ViewNav } from "../views/view-nav.js";

// Today, Upcoming, No date and Done (issue #13): GET /today, /upcoming, /no-date, /done.
// Signed-in only: put requireUser on each route (not .use on this sub-app: mounted at "/", a
// sub-app's middleware would run for every path, /login included).
export const planningViewRoutes = new Hono<HonoEnv>();

/**
 * A view as a full page (the layout shows the navigation with its counts), or under htmx its
 * results region with the navigation refreshed out of band. A "load more" (a cursor, under htmx)
 * gets the next rows alone.
 */
function view(c: Context<SignedInEnv>, v: { title: string; nav: NavCounts; page: () => Child; results: () => Child; more?: () => Child }) {
  const path = c.req.path;
  if (v.more && wantsFragment(c)) return renderFragment(c, v.more());
  return pageOrFragment(c, {
    title: v.title,
    nav: v.nav,
    page: v.page,
    fragment: () => (
      <>
        {v.results()}
        <ViewNav counts={v.nav} current={path} oob />
      </>
    ),
  });
}

const cursorOf = (c: Context<SignedInEnv>) => c.req.query("cursor") || null;

planningViewRoutes.get("/today", requireUser, async (c) => {
  const model = await loadToday(c);
  return view(c, { title: "Today", nav: model.nav, page: () => <TodayPage model={model} />, results: () => <TodayResults model={model} /> });
});

planningViewRoutes.get("/upcoming", requireUser, async (c) => {
  const cursor = cursorOf(c);
  const model = await loadUpcoming(c, cursor);
  return view(c, {
    title: "Upcoming",
    nav: model.nav,
    page: () => <UpcomingPage model={model} />,
    results: () => <UpcomingResults model={model} />,
    more: cursor ? () => <LaterRows model={model} /> : undefined,
  });
});

planningViewRoutes.get("/no-date", requireUser, async (c) => {
  const cursor = cursorOf(c);
  const model = await loadNoDate(c, cursor);
  return view(c, {
    title: "No date",
    nav: model.nav,
    page: () => <NoDatePage model={model} />,
    results: () => <NoDateResults model={model} />,
    more: cursor ? () => <NoDateRows model={model} /> : undefined,
  });
});

planningViewRoutes.get("/done", requireUser, async (c) => {
  const cursor = cursorOf(c);
  const model = await loadDone(c, cursor);
  return view(c, {
    title: "Done",
    nav: model.nav,
    page: () => <DonePage model={model} />,
    results: () => <DoneResults model={model} />,
    more: cursor ? () => <DoneRows model={model} /> : undefined,
  });
});

/**
 * A planning view's results region with the navigation out of band, as its htmx fragment is: for
 * a write that changed what a view shows (a quick add, a reschedule within Upcoming). Null for a
 * path that is not one of these views.
 */
export async function viewResultsFragment(c: Context<SignedInEnv>, path: string | null, notice?: Child): Promise<Child | null> {
  const results = async () => {
    if (path === "/today") {
      const model = await loadToday(c);
      return { nav: model.nav, results: <TodayResults model={model} /> };
    }
    if (path === "/upcoming") {
      const model = await loadUpcoming(c, null);
      return { nav: model.nav, results: <UpcomingResults model={model} notice={notice} /> };
    }
    if (path === "/no-date") {
      const model = await loadNoDate(c, null);
      return { nav: model.nav, results: <NoDateResults model={model} /> };
    }
    if (path === "/done") {
      const model = await loadDone(c, null);
      return { nav: model.nav, results: <DoneResults model={model} /> };
    }
    return null;
  };
  const found = await results();
  if (!found) return null;
  return (
    <>
      {found.results}
      <ViewNav counts={found.nav} current={path} oob />
    </>
  );
}

/**
 * The htmx answer to a change that leaves a task on Upcoming (a move, completing or skipping an
 * occurrence, an undo): the row may now belong under another day's heading, so the view's results
 * are drawn again instead of the row swapped in place. `notice` goes above the days (a completion's
 * Undo), `extra` after the results (an announcement). Null anywhere else, or when the task left
 * the view: the caller answers with its row, or removes it.
 */
export async function redrawIfUpcoming(c: Context<SignedInEnv>, stillShown: boolean, parts: { notice?: Child; extra?: Child } = {}): Promise<Response | null> {
  if (!stillShown || currentView(c) !== "/upcoming") return null;
  c.header("HX-Retarget", "#view-results");
  c.header("HX-Reswap", "outerHTML");
  return c.html(
    <>
      {await viewResultsFragment(c, "/upcoming", parts.notice)}
      {parts.extra}
    </>,
  );
}
