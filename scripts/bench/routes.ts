import type { Route } from "./load.js";

/** Targets from issue #8; a miss is printed as FAIL, never fails the process. */
export interface Target {
  minRps?: number;
  maxP99Ms?: number;
  /** Share of the in-memory page's throughput: what is lost to the database and the app's own work. */
  minRatio?: number;
}

export interface AppRoute extends Route {
  target?: Target;
}

const PAGE_TARGET: Target = { minRps: 2000, maxP99Ms: 50, minRatio: 0.25 };

/**
 * The app's routes as a signed-in browser uses them: full pages, the htmx fragment, the no-JS form
 * post, and completing tasks both ways. Writes come last so that every read sees the seeded shape.
 */
export function appRoutes(opts: { origin: string; cookie: string; writerCookies: string[]; taskIds: string[]; dueDate: string }): AppRoute[] {
  const { origin, cookie } = opts;
  const filtered = "/tasks?priority=high&status=todo";
  // What a browser sends with a form post from the list: Origin (the CSRF check) and Referer.
  const form = { cookie, origin, referer: `${origin}/tasks`, "content-type": "application/x-www-form-urlencoded" };
  // One counter per route, shared by all 50 connections, so consecutive requests hit different
  // tasks; completing a task already done answers like the first time (200 or 303).
  const cycle = (suffix: string) => {
    let i = 0;
    return () => ({ path: `/tasks/${opts.taskIds[i++ % opts.taskIds.length]}/${suffix}`, body: "next=%2Ftasks" });
  };
  let created = 0;
  return [
    { name: "GET /tasks", path: "/tasks", headers: { cookie }, expect: [200], target: PAGE_TARGET },
    { name: "GET filtered page", path: filtered, headers: { cookie }, expect: [200], target: PAGE_TARGET },
    {
      name: "GET filtered fragment (htmx)",
      path: filtered,
      // htmx sends the page the user is on; the filter request comes from the plain list.
      headers: { cookie, "hx-request": "true", "hx-current-url": `${origin}/tasks` },
      expect: [200],
      target: PAGE_TARGET,
    },
    { name: "GET search ?q=ab", path: "/tasks?q=ab", headers: { cookie }, expect: [200] },
    {
      name: "POST complete (htmx)",
      method: "POST",
      path: `/tasks/${opts.taskIds[0]}/complete`,
      headers: { ...form, "hx-request": "true", "hx-current-url": `${origin}/tasks` },
      next: cycle("complete"),
      expect: [200],
    },
    { name: "POST complete (form, 303)", method: "POST", path: `/tasks/${opts.taskIds[0]}/complete`, headers: form, next: cycle("complete"), expect: [303] },
    {
      name: "POST /tasks (form, 303)",
      method: "POST",
      path: "/tasks",
      headers: form,
      // Each create signs in as the next of the writer accounts (seed.ts), so none reaches the task cap.
      next: () => ({
        path: "/tasks",
        headers: { ...form, cookie: opts.writerCookies[created % opts.writerCookies.length]! },
        body: new URLSearchParams({ title: `Bench task ${++created}`, priority: "high", due_date: opts.dueDate }).toString(),
      }),
      expect: [303],
      target: { minRps: 3000 },
    },
  ];
}
