import { beforeEach, describe, expect, it } from "vitest";
import { taskCompletions, type TaskPriority, type TaskStatus } from "../src/db/schema.js";
import { dueMoment } from "../src/tasks/due.js";
import { emptyDaysText, groupUpcoming, nextMonday } from "../src/tasks/planning.js";
import { location } from "./support/auth-helpers.js";
import { insertTasks, signedIn } from "./support/tasks.js";
import { makeTestApp, taskIdsIn, textOf, type TestApp } from "./support/test-app.js";

// Monday 15 June 2026, 12:00 in New York (16:00 UTC).
const NOW = "2026-06-15T16:00:00Z";
const t = await makeTestApp({ now: NOW });
beforeEach(() => t.clock.set(NOW));

type Row = { title: string; date?: string; time?: string; priority?: TaskPriority; status?: TaskStatus; completedAt?: Date; createdAt?: Date };

/** Inserts tasks with their due moments worked out in the owner's zone, as the form would. */
async function seed(t: TestApp, userId: string, timezone: string, rows: Row[]) {
  const inserted = await insertTasks(
    t,
    userId,
    rows.map((r) => ({
      title: r.title,
      priority: r.priority ?? "medium",
      status: r.status ?? "todo",
      dueDate: r.date ?? null,
      dueTime: r.time ?? null,
      dueAt: r.date ? dueMoment(r.date, r.time ?? null, timezone) : null,
      completedAt: r.status === "done" ? (r.completedAt ?? t.clock.now()) : null,
      ...(r.createdAt ? { createdAt: r.createdAt } : {}),
    })),
  );
  return Object.fromEntries(inserted.map((row) => [row.title, row.id])) as Record<string, string>;
}

async function page(browser: { get: (p: string, o?: { htmx?: boolean | string }) => Promise<Response> }, path: string) {
  const res = await browser.get(path);
  expect(res.status, path).toBe(200);
  return res.text();
}

/** The navigation's counts in a page or fragment: { Today: n, Upcoming: n, "No date": n }. */
function navCounts(html: string): Record<string, number> {
  const nav = html.match(/<nav id="view-nav"[\s\S]*?<\/nav>/)?.[0];
  if (!nav) throw new Error("no #view-nav");
  return Object.fromEntries([...nav.matchAll(/>([^<>]+?) <span class="count">(\d+)<\/span>/g)].map((m) => [m[1]!.trim(), Number(m[2])]));
}

function titlesIn(html: string, ids: Record<string, string>): string[] {
  const byId = new Map(Object.entries(ids).map(([title, id]) => [id, title]));
  return taskIdsIn(html).map((id) => byId.get(id) ?? id);
}

describe("planning views: Today", () => {
  it("lists open tasks overdue or due today, overdue first, then by due moment, then priority", async () => {
    const { browser, userId } = await signedIn(t, "America/New_York");
    const ids = await seed(t, userId, "America/New_York", [
      { title: "Today any time, low", date: "2026-06-15", priority: "low" },
      { title: "Today any time, urgent", date: "2026-06-15", priority: "urgent" },
      { title: "Today evening", date: "2026-06-15", time: "18:00" },
      { title: "Overdue this morning", date: "2026-06-15", time: "08:00" },
      { title: "Overdue since Friday", date: "2026-06-12", priority: "high" },
      { title: "Early tomorrow", date: "2026-06-16", time: "00:30" },
      { title: "Done today", date: "2026-06-15", status: "done" },
      { title: "No date" },
    ]);
    const html = await page(browser, "/today");
    expect(titlesIn(html, ids)).toEqual(["Overdue since Friday", "Overdue this morning", "Today evening", "Today any time, urgent", "Today any time, low"]);
    const text = textOf(html);
    expect(text).toMatch(/Overdue .*Overdue since Friday.*Overdue this morning.* Due today .*Today evening/);
    expect(text).toContain("Monday 15 June");
    expect(navCounts(html)).toEqual({ Today: 5, Upcoming: 1, "No date": 1 });
    expect(html).toMatch(/<a href="\/today" aria-current="page">Today/);
    // The quick-add form returns here, and the page has one Move menu for all its rows.
    expect(html).toMatch(/<input type="hidden" name="back" value="\/today"/);
    expect(html.match(/id="move-menu"/g)).toHaveLength(1);
  });

  it("follows the owner's local midnight at UTC+14 and UTC-12", async () => {
    for (const [zone, justBefore] of [
      ["Pacific/Kiritimati", "2026-06-15T09:50:00Z"],
      ["Etc/GMT+12", "2026-06-16T11:50:00Z"],
    ] as const) {
      t.clock.set(justBefore); // 23:50 on Monday 15 June, local time
      const { browser, userId } = await signedIn(t, zone);
      const ids = await seed(t, userId, zone, [
        { title: "Due today", date: "2026-06-15" },
        { title: "Just after midnight", date: "2026-06-16", time: "00:10" },
        { title: "Yesterday", date: "2026-06-14" },
      ]);
      expect(titlesIn(await page(browser, "/today"), ids), zone).toEqual(["Yesterday", "Due today"]);
      expect(titlesIn(await page(browser, "/upcoming"), ids), zone).toEqual(["Just after midnight"]);
      t.clock.advance(20 * 60_000); // 00:10 on Tuesday: Monday's task is overdue, the 00:10 one due now
      expect(titlesIn(await page(browser, "/today"), ids), zone).toEqual(["Yesterday", "Due today", "Just after midnight"]);
      expect(titlesIn(await page(browser, "/upcoming"), ids), zone).toEqual([]);
      expect(textOf(await page(browser, "/today")), zone).toContain("Tuesday 16 June");
    }
  });

  it("says so when nothing is due", async () => {
    const { browser } = await signedIn(t);
    const text = textOf(await page(browser, "/today"));
    expect(text).toContain("Nothing due today.");
  });
});

describe("planning views: Upcoming", () => {
  it("groups the 14 days from tomorrow under a heading per day, folds empty days, then Later", async () => {
    const { browser, userId } = await signedIn(t, "America/New_York");
    const ids = await seed(t, userId, "America/New_York", [
      { title: "Today's", date: "2026-06-15" },
      { title: "Tuesday late", date: "2026-06-16", time: "21:00" },
      { title: "Tuesday any time", date: "2026-06-16", priority: "urgent" },
      { title: "Tuesday morning", date: "2026-06-16", time: "09:00" },
      { title: "Friday", date: "2026-06-19" },
      { title: "Fourteenth day", date: "2026-06-29" },
      { title: "Fifteenth day", date: "2026-06-30" },
      { title: "Next year", date: "2027-01-04" },
      { title: "Done Friday", date: "2026-06-19", status: "done" },
    ]);
    const html = await page(browser, "/upcoming");
    expect(titlesIn(html, ids)).toEqual(["Tuesday morning", "Tuesday late", "Tuesday any time", "Friday", "Fourteenth day", "Fifteenth day", "Next year"]);
    const text = textOf(html);
    expect(text).toContain("from tomorrow (Tue 16 Jun 2026) to Mon 29 Jun 2026");
    const order = [
      "Tuesday 16 June",
      "Tuesday morning",
      "Nothing due Wed 17 – Thu 18 June",
      "Friday 19 June",
      "Nothing due Sat 20 – Sun 28 June",
      "Monday 29 June",
      "Fourteenth day",
      "Later",
      "Fifteenth day",
      "Next year",
    ];
    const positions = order.map((words) => text.indexOf(words));
    expect(positions.every((p) => p >= 0), JSON.stringify(positions)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(navCounts(html)).toEqual({ Today: 1, Upcoming: 5, "No date": 0 });
    expect(html).toMatch(/<a href="\/upcoming" aria-current="page">Upcoming/);
  });

  it("folds empty days across a month end, and one empty day alone", () => {
    expect(emptyDaysText("2026-11-30", "2026-12-01")).toBe("Nothing due Mon 30 November – Tue 1 December");
    expect(emptyDaysText("2026-12-03", "2026-12-05")).toBe("Nothing due Thu 3 – Sat 5 December");
    expect(emptyDaysText("2026-12-03", "2026-12-03")).toBe("Nothing due Thu 3 December");
    const groups = groupUpcoming([{ dueDate: "2026-12-02" }, { dueDate: "2026-12-04" }], "2026-12-01");
    expect(groups.map((g) => (g.kind === "day" ? g.date : `${g.from}..${g.to}`))).toEqual(["2026-12-02", "2026-12-03..2026-12-03", "2026-12-04", "2026-12-05..2026-12-15"]);
  });

  it("pages Later by 50, with and without htmx", async () => {
    const { browser, userId } = await signedIn(t, "UTC");
    const rows = Array.from({ length: 55 }, (_, i) => ({ title: `Later ${i}`, date: `2026-08-${String(1 + (i % 28)).padStart(2, "0")}` }));
    await seed(t, userId, "UTC", rows);
    const html = await page(browser, "/upcoming");
    expect(taskIdsIn(html)).toHaveLength(50);
    const more = html.match(/<li class="more"><a class="button" href="([^"]+)"/)?.[1];
    expect(more).toMatch(/^\/upcoming\?cursor=/);
    const fragment = await (await browser.get(more!, { htmx: "/upcoming" })).text();
    expect(fragment).not.toContain("<html");
    expect(fragment).not.toContain("view-results");
    expect(taskIdsIn(fragment)).toHaveLength(5);
    expect(new Set([...taskIdsIn(html), ...taskIdsIn(fragment)]).size).toBe(55);
    // Without JavaScript the link is a page of Later alone.
    const plain = await page(browser, more!);
    expect(taskIdsIn(plain)).toEqual(taskIdsIn(fragment));
    expect(textOf(plain)).toContain("Later, continued");
  });
});

describe("planning views: No date and Done", () => {
  it("lists open tasks without a date, most urgent first, then newest, and pages them", async () => {
    const { browser, userId } = await signedIn(t);
    const ids = await seed(t, userId, "UTC", [
      { title: "Old medium", createdAt: new Date("2026-06-01T00:00:00Z") },
      { title: "New medium", createdAt: new Date("2026-06-10T00:00:00Z") },
      { title: "Urgent", priority: "urgent", createdAt: new Date("2026-05-01T00:00:00Z") },
      { title: "Done without date", status: "done" },
      { title: "Dated", date: "2026-06-20" },
    ]);
    const html = await page(browser, "/no-date");
    expect(titlesIn(html, ids)).toEqual(["Urgent", "New medium", "Old medium"]);
    expect(navCounts(html)).toEqual({ Today: 0, Upcoming: 1, "No date": 3 });
    expect(html).toMatch(/<a href="\/no-date" aria-current="page">No date/);

    await seed(t, userId, "UTC", Array.from({ length: 50 }, (_, i) => ({ title: `Filler ${i}`, priority: "low" as const })));
    const first = await page(browser, "/no-date");
    expect(taskIdsIn(first)).toHaveLength(50);
    const more = first.match(/<li class="more"><a class="button" href="([^"]+)"/)![1]!;
    const rest = await (await browser.get(more, { htmx: "/no-date" })).text();
    expect(taskIdsIn(rest)).toHaveLength(3);
    expect(new Set([...taskIdsIn(first), ...taskIdsIn(rest)]).size).toBe(53);
  });

  it("lists done tasks and completed repeats, most recent first, each with its undo, paged", async () => {
    const { browser, userId } = await signedIn(t);
    const ids = await seed(t, userId, "UTC", [
      { title: "Finished Monday", status: "done", completedAt: new Date("2026-06-15T09:00:00Z") },
      { title: "Finished Sunday", status: "done", completedAt: new Date("2026-06-14T09:00:00Z") },
      { title: "Rent", date: "2026-07-01", completedAt: undefined },
      { title: "Still open" },
    ]);
    const [completion] = await t.database.db
      .insert(taskCompletions)
      .values({ taskId: ids.Rent!, userId, occurrence: 1, dueDate: "2026-06-01", dueAt: new Date("2026-06-01T23:59:59.999Z"), completedAt: new Date("2026-06-14T20:00:00Z") })
      .returning();
    const html = await page(browser, "/done");
    const rows = [...html.matchAll(/<li id="((?:task|completion)-[0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(rows).toEqual([`task-${ids["Finished Monday"]}`, `completion-${completion!.id}`, `task-${ids["Finished Sunday"]}`]);
    expect(html).toContain(`action="/tasks/${ids["Finished Monday"]}/reopen"`);
    expect(html).toContain(`action="/completions/${completion!.id}/undo" hx-boost="false"`);
    const text = textOf(html);
    expect(text).toContain("Rent Done Sun, 14 Jun 2026, 20:00 · the one due Mon 1 Jun 2026 Undo");
    expect(html).toContain(`<a class="task-title" href="/tasks/${ids.Rent}" hx-boost="false">Rent</a>`);
    expect(text).not.toContain("Still open");
    expect(html).toMatch(/<a href="\/done" aria-current="page">Done<\/a>/);

    await seed(t, userId, "UTC", Array.from({ length: 50 }, (_, i) => ({ title: `Old ${i}`, status: "done" as const, completedAt: new Date(Date.UTC(2026, 4, 1, 0, i)) })));
    const first = await page(browser, "/done");
    expect([...first.matchAll(/<li id="(task|completion)-/g)]).toHaveLength(50);
    const more = first.match(/<li class="more"><a class="button" href="([^"]+)"/)![1]!;
    const rest = await (await browser.get(more, { htmx: "/done" })).text();
    // The oldest three, after everything on the first page.
    expect([...rest.matchAll(/<li id="(task|completion)-/g)]).toHaveLength(3);
    expect(textOf(rest)).toMatch(/Old 2 .* Old 1 .* Old 0 /);
    expect(first).toContain(`task-${ids["Finished Sunday"]}`);
  });

  it("reopening from Done removes the row there and refreshes the counts", async () => {
    const { browser, userId } = await signedIn(t);
    const ids = await seed(t, userId, "UTC", [{ title: "Undo me", status: "done", date: "2026-06-15" }]);
    const res = await browser.post(`/tasks/${ids["Undo me"]}/reopen`, {}, { htmx: "/done" });
    expect(res.headers.get("HX-Reswap")).toBe("delete");
    const html = await res.text();
    expect(taskIdsIn(html)).toEqual([]);
    expect(html).toMatch(/<nav id="view-nav"[^>]*hx-swap-oob="true"/);
    expect(navCounts(html)).toEqual({ Today: 1, Upcoming: 0, "No date": 0 });
  });
});

describe("planning views: All hides done tasks unless asked", () => {
  it("lists open tasks by default and every task with Show done", async () => {
    const { browser, userId } = await signedIn(t);
    const ids = await seed(t, userId, "UTC", [{ title: "Open one" }, { title: "In progress one", status: "in_progress" }, { title: "Done one", status: "done" }]);
    expect(new Set(titlesIn(await page(browser, "/tasks"), ids))).toEqual(new Set(["Open one", "In progress one"]));
    expect(new Set(titlesIn(await page(browser, "/tasks?done=1"), ids))).toEqual(new Set(["Open one", "In progress one", "Done one"]));
    expect(titlesIn(await page(browser, "/tasks?status=done"), ids)).toEqual(["Done one"]);
    const html = await page(browser, "/tasks");
    expect(html).toMatch(/<input type="checkbox" name="done" value="1"\/?>/);
    expect(await page(browser, "/tasks?done=1")).toMatch(/<input type="checkbox" name="done" value="1" checked/);
    // The All view has the nav's counts too, and the quick-add form returning to it.
    expect(navCounts(html)).toEqual({ Today: 0, Upcoming: 0, "No date": 2 });
    expect(html).toMatch(/<a href="\/tasks" aria-current="page">All<\/a>/);
    expect(html).toMatch(/<input type="hidden" name="back" value="\/tasks"/);
  });
});

describe("planning views: navigation, landing and fragments", () => {
  it("sends a signed-in visitor from / to /today, and sign-in lands there unless told otherwise", async () => {
    const { browser } = await signedIn(t);
    const home = await browser.get("/");
    expect(home.status).toBe(303);
    expect(location(home)).toBe("/today");

    const fresh = t.browser();
    const registered = await fresh.post("/register", { name: "New", email: `new-${crypto.randomUUID()}@example.com`, password: "correct horse battery", timezone: "UTC" });
    expect(location(registered)).toBe("/today");
    const { email, password } = await t.browser().register();
    const login = await t.browser().post("/login", { email, password });
    expect(location(login)).toBe("/today");
    const withNext = await t.browser().post("/login", { email, password, next: "/upcoming" });
    expect(location(withNext)).toBe("/upcoming");
    const signedOut = await t.browser().get("/today");
    expect(location(signedOut)).toBe("/login?next=%2Ftoday");
  });

  it("answers htmx with the view's results and the nav out of band, a browser with the page", async () => {
    const { browser, userId } = await signedIn(t);
    await seed(t, userId, "UTC", [{ title: "Due today", date: "2026-06-15" }]);
    for (const path of ["/today", "/upcoming", "/no-date", "/done"]) {
      const res = await browser.get(path, { htmx: path });
      expect(res.headers.get("vary"), path).toMatch(/HX-Request/i);
      const html = await res.text();
      expect(html, path).not.toContain("<html");
      expect(html, path).toMatch(/^<section id="view-results"/);
      expect(html, path).toMatch(/<nav id="view-nav" class="views" aria-label="Views" hx-swap-oob="true">/);
      expect(navCounts(html), path).toEqual({ Today: 1, Upcoming: 0, "No date": 0 });
      const full = await page(browser, path);
      expect(full, path).toContain("<html");
      expect(full.match(/id="view-results"/g), path).toHaveLength(1);
    }
  });

  it("shows the nav without counts on pages that are not views, and marks none current", async () => {
    const { browser } = await signedIn(t);
    const html = await page(browser, "/settings");
    expect(html).toContain('<nav id="view-nav"');
    expect(html).not.toMatch(/id="view-nav"[\s\S]*?class="count"[\s\S]*?<\/nav>/);
    expect(html.match(/<nav id="view-nav"[\s\S]*?<\/nav>/)![0]).not.toContain("aria-current");
  });

  it("completing a row in Today shows it done there and lowers Today's count", async () => {
    const { browser, userId } = await signedIn(t);
    const ids = await seed(t, userId, "UTC", [{ title: "Tick", date: "2026-06-15" }, { title: "Other", date: "2026-06-15" }]);
    const html = await (await browser.post(`/tasks/${ids.Tick}/complete`, {}, { htmx: "/today" })).text();
    expect(html).toMatch(new RegExp(`<li id="task-${ids.Tick}" class="[^"]*\\bis-done\\b`));
    expect(navCounts(html)).toEqual({ Today: 1, Upcoming: 0, "No date": 0 });
    // The counts beside All's list belong to All only.
    expect(html).not.toContain("status-counts");
    const deleted = await (await browser.post(`/tasks/${ids.Other}/delete`, {}, { htmx: "/today" })).text();
    expect(taskIdsIn(deleted)).toEqual([]);
    expect(navCounts(deleted)).toEqual({ Today: 0, Upcoming: 0, "No date": 0 });
  });

  it("knows next week's Monday", () => {
    expect(nextMonday("2026-06-15")).toBe("2026-06-22"); // a Monday: the one after
    expect(nextMonday("2026-06-14")).toBe("2026-06-15"); // a Sunday: tomorrow
    expect(nextMonday("2026-06-17")).toBe("2026-06-22");
    expect(nextMonday("2026-12-28")).toBe("2027-01-04");
  });
});
