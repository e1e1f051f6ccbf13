import { beforeEach, describe, expect, it } from "vitest";
import type { TaskPriority, TaskStatus } from "../src/db/schema.js";
import { dueMoment } from "../src/tasks/due.js";
import { location } from "./support/auth-helpers.js";
import { dbTask, insertTasks, signedIn } from "./support/tasks.js";
import { makeTestApp, taskIdsIn, textOf, type Browser, type TestApp } from "./support/test-app.js";

// Monday 15 June 2026, 12:00 in New York (16:00 UTC).
const NOW = "2026-06-15T16:00:00Z";
const t = await makeTestApp({ now: NOW });
beforeEach(() => t.clock.set(NOW));

type Row = { title: string; date?: string; time?: string; priority?: TaskPriority; status?: TaskStatus; rrule?: string };

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
      completedAt: r.status === "done" ? t.clock.now() : null,
      rrule: r.rrule ?? null,
    })),
  );
  return inserted.map((r) => r.id);
}

function move(browser: Browser, id: string, to: string, opts: { htmx?: string; back?: string; headers?: Record<string, string> } = {}) {
  return browser.post(`/tasks/${id}/reschedule`, { to, ...(opts.back ? { back: opts.back } : {}) }, { htmx: opts.htmx, headers: opts.headers });
}

function navCounts(html: string): Record<string, number> {
  const nav = html.match(/<nav id="view-nav"[\s\S]*?<\/nav>/)?.[0];
  if (!nav) throw new Error("no #view-nav");
  return Object.fromEntries([...nav.matchAll(/>([^<>]+?) <span class="count">(\d+)<\/span>/g)].map((m) => [m[1]!.trim(), Number(m[2])]));
}

describe("reschedule: happy", () => {
  it("moves to today, tomorrow, next week's Monday or a date in the owner's zone, keeping the time of day", async () => {
    const zone = "America/New_York";
    const { browser, userId } = await signedIn(t, zone);
    const [timed, dateOnly, undated] = await seed(t, userId, zone, [
      { title: "Timed", date: "2026-06-10", time: "09:30" },
      { title: "Date only", date: "2026-06-10" },
      { title: "Undated" },
    ]);
    const cases: [string, string][] = [
      ["today", "2026-06-15"],
      ["tomorrow", "2026-06-16"],
      ["next_week", "2026-06-22"],
      ["2026-09-01", "2026-09-01"],
    ];
    for (const [to, date] of cases) {
      for (const id of [timed!, dateOnly!]) {
        const res = await move(browser, id, to);
        expect(res.status, to).toBe(303);
        const task = (await dbTask(t, id))!;
        expect(task.dueDate, to).toBe(date);
        expect(task.dueTime).toBe(id === timed ? "09:30:00" : null);
        expect(task.dueAt!.toISOString(), to).toBe(dueMoment(date, id === timed ? "09:30" : null, zone).toISOString());
      }
    }
    await move(browser, undated!, "tomorrow");
    expect(await dbTask(t, undated!)).toMatchObject({ dueDate: "2026-06-16", dueTime: null, dueAt: dueMoment("2026-06-16", null, zone) });
  });

  it("takes next week as the coming Monday, and on a Monday the one after", async () => {
    const { browser, userId } = await signedIn(t, "Europe/Berlin");
    const [id] = await seed(t, userId, "Europe/Berlin", [{ title: "Weekly thing", date: "2026-06-10" }]);
    for (const [now, monday] of [
      ["2026-06-14T21:00:00Z", "2026-06-15"], // 23:00 on Sunday 14 June in Berlin: tomorrow
      ["2026-06-14T22:30:00Z", "2026-06-22"], // 00:30 on Monday 15 June in Berlin: the Monday after
      ["2026-06-17T10:00:00Z", "2026-06-22"], // a Wednesday
      ["2026-06-21T21:59:00Z", "2026-06-22"], // 23:59 on Sunday 21 June
    ] as const) {
      t.clock.set(now);
      await move(browser, id!, "next_week");
      expect((await dbTask(t, id!))!.dueDate, now).toBe(monday);
    }
  });

  it("works out moments across DST changes as the edit form does", async () => {
    const cases: [string, string, string][] = [
      ["Europe/Berlin", "2026-03-29", "02:30"], // skipped hour
      ["Europe/Berlin", "2026-10-25", "02:30"], // repeated hour: the first one
      ["America/New_York", "2026-03-08", "02:30"],
      ["America/New_York", "2026-11-01", "01:30"],
      ["Australia/Lord_Howe", "2026-10-04", "02:15"], // a half-hour jump
      ["Asia/Kolkata", "2026-06-20", "23:45"],
    ];
    for (const [zone, date, time] of cases) {
      const { browser, userId } = await signedIn(t, zone);
      const [id, plain] = await seed(t, userId, zone, [
        { title: "Timed", date: "2026-06-01", time },
        { title: "Plain", date: "2026-06-01" },
      ]);
      await move(browser, id!, date);
      await move(browser, plain!, date);
      expect((await dbTask(t, id!))!.dueAt!.toISOString(), `${zone} ${date} ${time}`).toBe(dueMoment(date, time, zone).toISOString());
      expect((await dbTask(t, plain!))!.dueAt!.toISOString(), `${zone} ${date}`).toBe(dueMoment(date, null, zone).toISOString());
    }
  });

  it("moves only a repeating task's current occurrence", async () => {
    const { browser, userId } = await signedIn(t);
    const [id] = await seed(t, userId, "UTC", [{ title: "Rent", date: "2026-06-15", rrule: "FREQ=MONTHLY;BYMONTHDAY=15" }]);
    await move(browser, id!, "tomorrow");
    expect(await dbTask(t, id!)).toMatchObject({ dueDate: "2026-06-16", rrule: "FREQ=MONTHLY;BYMONTHDAY=15", status: "todo" });
  });

  it("returns a plain post to `back`, else to the page it came from, else Today", async () => {
    const { browser, userId } = await signedIn(t);
    const [id] = await seed(t, userId, "UTC", [{ title: "Back and forth", date: "2026-06-15" }]);
    expect(location(await move(browser, id!, "tomorrow", { back: "/upcoming" }))).toBe("/upcoming");
    expect(location(await move(browser, id!, "today", { headers: { referer: `${browser.origin}/tasks?due=today` } }))).toBe("/tasks?due=today");
    expect(location(await move(browser, id!, "today", { back: "https://evil.example/" }))).toBe("/today");
    expect(location(await move(browser, id!, "today", { back: "//evil.example/" }))).toBe("/today");
  });

  it("offers the choices on a page of their own without JavaScript, and on the task page", async () => {
    const { browser, userId } = await signedIn(t);
    const [id] = await seed(t, userId, "UTC", [{ title: "Pick me", date: "2026-06-15", time: "14:00" }]);
    const res = await browser.get(`/tasks/${id}/reschedule`, { headers: { referer: `${browser.origin}/today` } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(textOf(html)).toContain("Move “Pick me”");
    expect(textOf(html)).toContain("Now due: Mon 15 Jun 2026, 14:00");
    for (const to of ["today", "tomorrow", "next_week"]) expect(html).toContain(`<button type="submit" name="to" value="${to}">`);
    expect(textOf(html)).toContain("Next week (Mon 22 Jun 2026)");
    expect(html).toMatch(/<input id="reschedule-date-[^"]+" type="date" name="to" value="2026-06-15"/);
    expect(html).toContain('<input type="hidden" name="back" value="/today"/>');
    const taskPage = await (await browser.get(`/tasks/${id}`)).text();
    expect(taskPage).toContain(`action="/tasks/${id}/reschedule"`);
    expect(taskPage).toContain(`<input type="hidden" name="back" value="/tasks/${id}"/>`);
  });

  it("gives each open row one light Move link, and the page one menu", async () => {
    const { browser, userId } = await signedIn(t);
    const [open, done] = await seed(t, userId, "UTC", [{ title: "Open", date: "2026-06-15" }, { title: "Done", status: "done" }]);
    const html = await (await browser.get("/tasks?done=1")).text();
    expect(html).toContain(`<a href="/tasks/${open}/reschedule" class="move" hx-boost="false" aria-label="Move “Open”">Move</a>`);
    expect(html).not.toContain(`/tasks/${done}/reschedule`);
    expect(html.match(/id="move-menu"/g)).toHaveLength(1);
  });
});

describe("reschedule: htmx", () => {
  it("removes the row from Today when it moves to tomorrow, refreshes the nav counts and says so", async () => {
    const { browser, userId } = await signedIn(t);
    const [id] = await seed(t, userId, "UTC", [{ title: "Rent", date: "2026-06-15" }, { title: "Stays", date: "2026-06-15" }]);
    const res = await move(browser, id!, "tomorrow", { htmx: "/today" });
    expect(res.status).toBe(200);
    // The row goes (htmx swaps nothing for out-of-band elements alone, so it is told to delete it).
    expect(res.headers.get("HX-Reswap")).toBe("delete");
    const html = await res.text();
    expect(taskIdsIn(html)).toEqual([]);
    expect(html).toMatch(/<nav id="view-nav"[^>]*hx-swap-oob="true"/);
    expect(navCounts(html)).toEqual({ Today: 1, Upcoming: 1, "No date": 0 });
    expect(html).toContain('<div id="announcer" hx-swap-oob="innerHTML">“Rent” moved to tomorrow.</div>');
    // Upcoming now shows it under tomorrow's heading.
    const upcoming = textOf(await (await browser.get("/upcoming")).text());
    expect(upcoming).toMatch(/Tuesday 16 June Rent/);
  });

  it("swaps the row in place where it still belongs", async () => {
    const { browser, userId } = await signedIn(t);
    const [overdue, listed] = await seed(t, userId, "UTC", [{ title: "Late", date: "2026-06-10" }, { title: "In All", date: "2026-06-10" }]);
    const swapped = await move(browser, overdue!, "today", { htmx: "/today" });
    expect(swapped.headers.get("HX-Reswap")).toBeNull();
    const today = await swapped.text();
    expect(taskIdsIn(today)).toEqual([overdue]);
    expect(today).toMatch(/class="task priority-medium due-today"/);
    expect(today).toContain("“Late” moved to today.");
    const all = await (await move(browser, listed!, "next_week", { htmx: "/tasks" })).text();
    expect(taskIdsIn(all)).toEqual([listed]);
    expect(all).toContain('id="status-counts"');
    expect(all).toContain("“In All” moved to next week (Mon 22 Jun 2026).");
  });

  it("removes the row from a due filter of All, or from No date, that it has left", async () => {
    const { browser, userId } = await signedIn(t);
    const [dueToday, undated] = await seed(t, userId, "UTC", [{ title: "Today's", date: "2026-06-15" }, { title: "Someday" }]);
    const fromFilter = await (await move(browser, dueToday!, "tomorrow", { htmx: "/tasks?due=today" })).text();
    expect(taskIdsIn(fromFilter)).toEqual([]);
    expect(fromFilter).toMatch(/id="status-counts" hx-swap-oob="true"/);
    const fromNoDate = await (await move(browser, undated!, "2026-07-01", { htmx: "/no-date" })).text();
    expect(taskIdsIn(fromNoDate)).toEqual([]);
    expect(navCounts(fromNoDate)).toEqual({ Today: 0, Upcoming: 1, "No date": 0 });
    expect(fromNoDate).toContain("“Someday” moved to Wed 1 Jul 2026.");
  });

  it("redraws Upcoming when a row moves to another of its days", async () => {
    const { browser, userId } = await signedIn(t);
    const [id] = await seed(t, userId, "UTC", [{ title: "Shuffle", date: "2026-06-16" }]);
    const res = await move(browser, id!, "2026-06-19", { htmx: "/upcoming" });
    expect(res.headers.get("HX-Retarget")).toBe("#view-results");
    expect(res.headers.get("HX-Reswap")).toBe("outerHTML");
    const html = await res.text();
    expect(html).toMatch(/^<section id="view-results"/);
    expect(textOf(html)).toMatch(/Nothing due Tue 16 – Thu 18 June Friday 19 June Shuffle/);
    expect(navCounts(html)).toEqual({ Today: 0, Upcoming: 1, "No date": 0 });
    // Moved to today it leaves Upcoming: the row goes.
    const gone = await (await move(browser, id!, "today", { htmx: "/upcoming" })).text();
    expect(res.headers.get("HX-Retarget")).toBe("#view-results");
    expect(taskIdsIn(gone)).toEqual([]);
    expect(navCounts(gone)).toEqual({ Today: 1, Upcoming: 0, "No date": 0 });
  });
});

describe("reschedule: errors", () => {
  it("answers a bad `to` with 422 and a clear message, changing nothing", async () => {
    const { browser, userId } = await signedIn(t);
    const [id] = await seed(t, userId, "UTC", [{ title: "Stay put", date: "2026-06-15", time: "10:00" }]);
    const before = await dbTask(t, id!);
    const cases: [string, RegExp][] = [
      ["", /Choose when to move it to/],
      ["someday", /Use a real date, as YYYY-MM-DD/],
      ["2026-02-30", /Use a real date/],
      ["2026-6-1", /Use a real date/],
      ["0001-01-01", /Choose a date from 1900-01-01 to 9998-12-31/],
      ["9999-12-31", /Choose a date from 1900-01-01/],
    ];
    for (const [to, message] of cases) {
      const res = await move(browser, id!, to);
      expect(res.status, to).toBe(422);
      const html = await res.text();
      expect(textOf(html), to).toMatch(message);
      // The page again, with what was typed kept in the date field.
      expect(html, to).toMatch(new RegExp(`type="date" name="to" value="${to.replace(/[-]/g, "\\-")}" aria-invalid="true"`));
      const htmx = await move(browser, id!, to, { htmx: "/today" });
      expect(htmx.status, to).toBe(422);
      expect(htmx.headers.get("HX-Retarget")).toBe("#move-error");
      expect(await htmx.text(), to).toMatch(message);
    }
    expect(await dbTask(t, id!)).toEqual(before);
  });

  it("never answers with a 500 for a missing or strange body", async () => {
    const { browser, userId } = await signedIn(t);
    const [id] = await seed(t, userId, "UTC", [{ title: "Odd", date: "2026-06-15" }]);
    const res = await browser.request("POST", `/tasks/${id}/reschedule`, { body: "to=%ZZ", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(422);
    const json = await browser.request("POST", `/tasks/${id}/reschedule`, { body: '{"to":"today"}', headers: { "content-type": "application/json" } });
    expect(json.status).toBe(422);
  });
});

describe("reschedule: security", () => {
  it("answers another user's task exactly like a missing one, and changes nothing", async () => {
    const a = await signedIn(t);
    const [theirs] = await seed(t, a.userId, "UTC", [{ title: "A's secret", date: "2026-06-15" }]);
    const before = await dbTask(t, theirs!);
    const b = await signedIn(t);
    const missing = await move(b.browser, crypto.randomUUID(), "tomorrow");
    const missingBody = await missing.text();
    expect(missing.status).toBe(404);
    for (const [to, htmx] of [["tomorrow", undefined], ["bogus", undefined], ["tomorrow", "/today"], ["2026-02-30", "/today"]] as const) {
      const res = await move(b.browser, theirs!, to, { htmx });
      expect(res.status, to).toBe(404);
      const body = await res.text();
      if (!htmx) expect(body).toBe(missingBody);
      expect(body).not.toContain("secret");
    }
    const page = await b.browser.get(`/tasks/${theirs}/reschedule`);
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain("secret");
    expect((await b.browser.get("/tasks/not-a-uuid/reschedule")).status).toBe(404);
    expect((await move(b.browser, "not-a-uuid", "today")).status).toBe(404);
    expect(await dbTask(t, theirs!)).toEqual(before);
  });

  it("refuses a cross-site post and a signed-out one", async () => {
    const { browser, userId } = await signedIn(t);
    const [id] = await seed(t, userId, "UTC", [{ title: "Guarded", date: "2026-06-15" }]);
    const before = await dbTask(t, id!);
    const forged = await browser.post(`/tasks/${id}/reschedule`, { to: "tomorrow" }, { headers: { origin: "https://evil.example" } });
    expect(forged.status).toBe(403);
    const signedOut = await t.browser().post(`/tasks/${id}/reschedule`, { to: "tomorrow" });
    expect(signedOut.status).toBe(303);
    expect(location(signedOut)).toMatch(/^\/login/);
    expect(await dbTask(t, id!)).toEqual(before);
  });
});
