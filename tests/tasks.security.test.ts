import { describe, expect, it } from "vitest";
import { dbTask, signedIn, statusCounts } from "./support/tasks.js";
import { makeTestApp, taskIdsIn, textOf, type Browser } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });

type Route = { name: string; method: string; path: (id: string) => string; form?: Record<string, string>; htmx?: boolean };
const valid = { title: "Taken over", notes: "by B", priority: "urgent", status: "done" };
const base: Omit<Route, "htmx">[] = [
  { name: "view", method: "GET", path: (id) => `/tasks/${id}` },
  { name: "edit page", method: "GET", path: (id) => `/tasks/${id}/edit` },
  { name: "delete confirmation page", method: "GET", path: (id) => `/tasks/${id}/delete` },
  { name: "update (POST)", method: "POST", path: (id) => `/tasks/${id}`, form: valid },
  { name: "update with bad input", method: "POST", path: (id) => `/tasks/${id}`, form: { title: "" } },
  { name: "update (PATCH)", method: "PATCH", path: (id) => `/tasks/${id}`, form: valid },
  { name: "delete (POST)", method: "POST", path: (id) => `/tasks/${id}/delete` },
  { name: "delete (DELETE)", method: "DELETE", path: (id) => `/tasks/${id}` },
  { name: "complete", method: "POST", path: (id) => `/tasks/${id}/complete` },
  { name: "reopen", method: "POST", path: (id) => `/tasks/${id}/reopen` },
];
const routes: Route[] = [...base, ...base.map((r) => ({ ...r, name: `${r.name} (htmx)`, htmx: true }))];

function call(browser: Browser, route: Route, id: string) {
  return browser.request(route.method, route.path(id), { ...(route.form ? { form: route.form } : {}), htmx: route.htmx });
}

describe("tasks: one user cannot reach another's", () => {
  it.each(routes.map((r) => [r.name, r] as const))("B's %s of A's task answers exactly like a missing task", async (_name, route) => {
    const a = await signedIn(t);
    const open = await a.browser.createTask({ title: "A's open task", notes: "private", due_date: "2026-06-20" });
    const done = await a.browser.createTask({ title: "A's done task", status: "done" });
    const before = [await dbTask(t, open), await dbTask(t, done)];
    const b = await signedIn(t);

    const missing = await call(b.browser, route, crypto.randomUUID());
    const missingBody = await missing.text();
    expect(missing.status).toBe(404);
    for (const id of [open, done]) {
      const res = await call(b.browser, route, id);
      expect(res.status).toBe(404);
      const body = await res.text();
      expect(body).toBe(missingBody);
      expect(body).not.toContain("A&#39;s");
      expect(body).not.toContain("private");
    }
    expect([await dbTask(t, open), await dbTask(t, done)]).toEqual(before);
    // A still sees both, unchanged (the done one once finished tasks are shown).
    expect(new Set(taskIdsIn(await (await a.browser.get("/tasks?done=1")).text()))).toEqual(new Set([open, done]));
  });

  it("never lists another user's tasks, through search, filters or counts", async () => {
    const a = await signedIn(t);
    await a.browser.createTask({ title: "Secret plan alpha", notes: "launch codes", priority: "urgent", due_date: "2026-06-14" });
    await a.browser.createTask({ title: "Secret plan beta", status: "done" });
    const b = await signedIn(t);
    const mine = await b.browser.createTask({ title: "B's own task" });
    for (const query of ["", "?done=1", "?q=secret", "?q=launch", "?q=%25", "?priority=urgent", "?due=overdue", "?status=done", "?sort=created", "?sort=updated", "?sort=priority"]) {
      const html = await (await b.browser.get(`/tasks${query}`)).text();
      expect(html, query).not.toContain("Secret plan");
      expect(taskIdsIn(html).every((id) => id === mine), query).toBe(true);
    }
    const counts = statusCounts(await (await b.browser.get("/tasks")).text());
    expect(counts).toEqual({ Open: 1, "To do": 1, "In progress": 0, Done: 0, All: 1 });
    const searched = statusCounts(await (await b.browser.get("/tasks?q=secret", { htmx: true })).text());
    expect(searched.All).toBe(0);
    // Nor through the planning views.
    for (const view of ["/today", "/upcoming", "/no-date", "/done"]) {
      const html = await (await b.browser.get(view)).text();
      expect(html, view).not.toContain("Secret plan");
      expect(taskIdsIn(html).every((id) => id === mine), view).toBe(true);
    }
  });

  it("keeps B's htmx changes from leaking A's counts", async () => {
    const a = await signedIn(t);
    await a.browser.createTask({ title: "A one" });
    await a.browser.createTask({ title: "A two" });
    const b = await signedIn(t);
    const id = await b.browser.createTask({ title: "B one" });
    const res = await b.browser.post(`/tasks/${id}/complete`, {}, { htmx: true });
    expect(statusCounts(await res.text())).toEqual({ Open: 0, "To do": 0, "In progress": 0, Done: 1, All: 1 });
  });
});

describe("tasks: signed-out visitors and forged requests", () => {
  it("sends a signed-out visitor to log in and changes nothing", async () => {
    const a = await signedIn(t);
    const id = await a.browser.createTask({ title: "Guarded" });
    const before = await dbTask(t, id);
    const stranger = t.browser();
    const list = await stranger.get("/tasks?status=todo");
    expect(list.status).toBe(303);
    expect(list.headers.get("location")).toBe("/login?next=%2Ftasks%3Fstatus%3Dtodo");
    for (const route of routes) {
      const res = await call(stranger, route, id);
      if (route.htmx) {
        expect(res.headers.get("HX-Redirect"), route.name).toMatch(/^\/login/);
      } else {
        expect(res.status, route.name).toBe(303);
        expect(res.headers.get("location"), route.name).toMatch(/^\/login/);
      }
    }
    expect((await stranger.post("/tasks", { title: "Anonymous" })).headers.get("location")).toMatch(/^\/login/);
    expect(await dbTask(t, id)).toEqual(before);
  });

  it("refuses writes from another origin or without one", async () => {
    const { browser, userId } = await signedIn(t);
    const id = await browser.createTask({ title: "CSRF target" });
    const before = await dbTask(t, id);
    for (const origin of ["https://evil.example", "null", ""]) {
      for (const [method, path] of [["POST", `/tasks/${id}/complete`], ["POST", `/tasks/${id}/delete`], ["DELETE", `/tasks/${id}`], ["PATCH", `/tasks/${id}`], ["POST", "/tasks"]] as const) {
        const res = await browser.request(method, path, { form: { title: "Forged" }, headers: { origin } });
        expect(res.status, `${origin} ${method} ${path}`).toBe(403);
      }
    }
    expect(await dbTask(t, id)).toEqual(before);
    expect(taskIdsIn(await (await browser.get("/tasks")).text())).toEqual([id]);
    expect(userId).toBeTruthy();
  });

  it("escapes what users type wherever it is shown", async () => {
    const { browser } = await signedIn(t);
    const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
    const id = await browser.createTask({ title: evil, notes: evil });
    for (const path of ["/tasks", `/tasks/${id}`, `/tasks/${id}/edit`, `/tasks?q=${encodeURIComponent(evil)}`]) {
      const html = await (await browser.get(path)).text();
      expect(html, path).not.toContain("<script>alert");
      expect(html, path).not.toContain("<img src=x");
      expect(textOf(html), path).toContain(evil);
    }
    const bad = await browser.post("/tasks", { title: "", notes: evil, next: `"><script>alert(1)</script>` });
    const html = await bad.text();
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
  });
});
