import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { taskCompletions } from "../src/db/schema.js";
import { dbTask, fieldError, formValue, signedIn } from "./support/tasks.js";
import { makeTestApp, settled, textOf } from "./support/test-app.js";

// Recurring tasks on the web (issue #13): the edit form's Repeat fields, completing an occurrence
// (the task keeps its id and page, due at the next one), undo, skip; with and without htmx.

const NOW = "2026-11-30T10:00:00Z"; // Monday 30 November 2026
const t = await makeTestApp({ now: NOW });
beforeEach(() => t.clock.set(NOW));

const location = (res: Response) => res.headers.get("location");

/** A task made through the form, repeating by the given Repeat fields. */
async function repeating(browser: Awaited<ReturnType<typeof signedIn>>["browser"], fields: Record<string, string | string[]>, due = "2026-11-30") {
  const id = await browser.createTask({ title: `Rent ${crypto.randomUUID().slice(0, 6)}`, due_date: due, due_time: "09:00" });
  const res = await browser.post(`/tasks/${id}`, { title: "Rent", due_date: due, due_time: "09:00", priority: "high", status: "todo", reminders: "on", ...fields });
  expect(res.status, await res.clone().text()).toBe(303);
  return id;
}

async function completionsOf(taskId: string) {
  return t.database.db.select().from(taskCompletions).where(eq(taskCompletions.taskId, taskId));
}

describe("recurrence: happy paths", () => {
  it("a second click, or a page left open since, never completes or skips the next occurrence", async () => {
    const { browser } = await signedIn(t, "Europe/Berlin");
    const id = await repeating(browser, { repeat: "daily", repeat_every: "1", repeat_from: "due", repeat_end: "never" });
    const list = await (await browser.get("/today")).text();
    const row = list.match(new RegExp(`<li id="task-${id}"[\\s\\S]*?</li>`))?.[0] ?? "";
    expect(row).toContain('<input type="hidden" name="occurrence" value="1">');
    const page = await (await browser.get(`/tasks/${id}`)).text();
    expect(page.match(/name="occurrence" value="1"/g)).toHaveLength(2); // Mark done and Skip

    expect((await browser.post(`/tasks/${id}/complete`, { occurrence: "1" })).status).toBe(303);
    const moved = (await dbTask(t, id))!;
    expect([moved.occurrence, moved.dueDate]).toEqual([2, "2026-12-01"]);
    // The same click again, with JavaScript and without, and Skip from the stale page: nothing moves.
    expect((await browser.post(`/tasks/${id}/complete`, { occurrence: "1" })).status).toBe(303);
    // (From the All view, where the task stays: the row comes back as it is now, at occurrence 2.)
    const swapped = await browser.post(`/tasks/${id}/complete`, { occurrence: "1" }, { htmx: "/tasks" });
    expect(swapped.status).toBe(200);
    expect(await swapped.text()).toContain('name="occurrence" value="2"');
    expect((await browser.post(`/tasks/${id}/skip`, { occurrence: "1", next: `/tasks/${id}` })).status).toBe(303);
    expect(await dbTask(t, id)).toEqual(moved);
    expect(await completionsOf(id)).toHaveLength(1);
    // The page as it is now completes the occurrence it shows.
    expect((await browser.post(`/tasks/${id}/complete`, { occurrence: "2" })).status).toBe(303);
    expect((await dbTask(t, id))!.occurrence).toBe(3);
  });

  it("a repeating task's row says how it repeats, in every list it is in; a one-off's row says nothing of it", async () => {
    const { browser } = await signedIn(t, "Europe/Berlin");
    const id = await repeating(browser, { repeat: "weekly", repeat_days: "MO,TH", repeat_every: "1", repeat_from: "due", repeat_end: "count", repeat_count: "5" });
    const once = await browser.createTask({ title: "Just once", due_date: "2026-11-30" });
    for (const view of ["/today", "/tasks"]) {
      const html = await (await browser.get(view)).text();
      const row = (taskId: string) => html.match(new RegExp(`<li id="task-${taskId}"[\\s\\S]*?</li>`))?.[0] ?? "";
      expect(row(id), view).toContain('<span class="repeats">every week on Monday and Thursday, 5 times</span>');
      expect(row(once), view).not.toContain("repeats");
    }
  });

  it("the edit form makes a monthly task on the last day; the task page shows the rule in words", async () => {
    const { browser } = await signedIn(t, "Europe/Berlin");
    const id = await repeating(browser, { repeat: "monthly", repeat_monthly: "last_day", repeat_every: "1", repeat_from: "due", repeat_end: "never" });
    const task = await dbTask(t, id);
    expect(task).toMatchObject({ rrule: "FREQ=MONTHLY;BYMONTHDAY=-1", repeatFrom: "due", occurrence: 1 });
    const page = await (await browser.get(`/tasks/${id}`)).text();
    expect(page).toContain('<p class="repeat" data-rrule="FREQ=MONTHLY;BYMONTHDAY=-1">Repeats every month on the last day, from the due date</p>');
    expect(page).toContain(`action="/tasks/${id}/skip"`);
    // The edit form shows the rule again, ready to change.
    const edit = await (await browser.get(`/tasks/${id}/edit`)).text();
    expect(formValue(edit, "repeat")).toBe("monthly");
    expect(edit).toMatch(/value="last_day" checked/);
  });

  it("completing without JavaScript records the occurrence and keeps the same page, due at the next one", async () => {
    const { browser } = await signedIn(t, "Europe/Berlin");
    const id = await repeating(browser, { repeat: "monthly", repeat_monthly: "last_day", repeat_end: "never" });
    const res = await browser.post(`/tasks/${id}/complete`, { next: `/tasks/${id}` });
    expect(res.status).toBe(303);
    const [completion] = await completionsOf(id);
    expect(location(res)).toBe(`/tasks/${id}?completed=${completion!.id}`);
    expect(completion).toMatchObject({ occurrence: 1, dueDate: "2026-11-30", dueTime: "09:00:00" });
    // Next: the last day of December, still 09:00 in Berlin (UTC+1).
    expect(await dbTask(t, id)).toMatchObject({ status: "todo", dueDate: "2026-12-31", dueTime: "09:00:00", occurrence: 2, completedAt: null });
    expect((await dbTask(t, id))!.dueAt!.toISOString()).toBe("2026-12-31T08:00:00.000Z");

    const page = await (await browser.get(location(res)!)).text();
    expect(textOf(page)).toContain("“Rent” done; next on Thu 31 Dec 2026.");
    expect(page).toContain(`action="/completions/${completion!.id}/undo"`);
    expect(textOf(page)).toContain("Completed occurrences");
  });

  it("under htmx the row shows the new due date, with a notice to undo, and the undo puts it back", async () => {
    const { browser } = await signedIn(t);
    const id = await repeating(browser, { repeat: "daily", repeat_every: "3", repeat_from: "completion" });
    const res = await browser.post(`/tasks/${id}/complete`, {}, { htmx: "/tasks" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(new RegExp(`^<li id="task-${id}"`));
    expect(html).toContain('datetime="2026-12-03T09:00Z"');
    expect(html).toContain('data-announce="“Rent” done; next on Thu 3 Dec 2026."');
    expect(html).toContain('id="status-counts" hx-swap-oob="true"');
    const [completion] = await completionsOf(id);

    const undo = await browser.post(`/completions/${completion!.id}/undo`, {}, { htmx: "/tasks" });
    expect(undo.status).toBe(200);
    const undone = await undo.text();
    expect(undone).toContain(`<hx-partial hx-target="#task-${id}" hx-swap="delete"></hx-partial>`);
    expect(undone).toContain(`<li id="task-${id}"`);
    expect(textOf(undone)).toContain("“Rent” is open again, due Mon 30 Nov 2026.");
    expect(await dbTask(t, id)).toMatchObject({ dueDate: "2026-11-30", occurrence: 1, status: "todo" });
    expect(await completionsOf(id)).toEqual([]);
  });

  it("on Upcoming the days are drawn again: the task under its next day's heading, the notice with Undo above them; undo moves it back", async () => {
    const { browser } = await signedIn(t);
    const id = await repeating(browser, { repeat: "daily", repeat_every: "2" }, "2026-12-01");
    const res = await browser.post(`/tasks/${id}/complete`, {}, { htmx: "/upcoming" });
    expect(res.status).toBe(200);
    expect(res.headers.get("HX-Retarget")).toBe("#view-results");
    expect(res.headers.get("HX-Reswap")).toBe("outerHTML");
    const html = await res.text();
    expect(html).toMatch(/^<section id="view-results"/);
    // The notice first, then the days: Tuesday is empty now, Thursday holds the task.
    expect(textOf(html).trim()).toMatch(/^“Rent” done; next on Thu 3 Dec 2026\. Undo Nothing due Tue 1 – Wed 2 December Thursday 3 December Rent/);
    expect(html.match(new RegExp(`id="task-${id}"`, "g"))).toHaveLength(1);
    // Its Undo swaps the notice under htmx, like a row's forms.
    expect(html).toMatch(/<ul class="tasks notices" hx-boost:inherited="true" hx-target:inherited="closest li"/);
    expect(html).toContain('data-announce="“Rent” done; next on Thu 3 Dec 2026."');

    const [completion] = await completionsOf(id);
    const undo = await browser.post(`/completions/${completion!.id}/undo`, {}, { htmx: "/upcoming" });
    expect(undo.status).toBe(200);
    expect(undo.headers.get("HX-Retarget")).toBe("#view-results");
    expect(textOf(await undo.text()).trim()).toMatch(/^“Rent” is open again, due Tue 1 Dec 2026\. Tuesday 1 December Rent/);
    expect(await dbTask(t, id)).toMatchObject({ dueDate: "2026-12-01", occurrence: 1, status: "todo" });
  });

  it("undo without JavaScript goes back where it came from", async () => {
    const { browser } = await signedIn(t);
    const id = await repeating(browser, { repeat: "weekly", repeat_days: ["MO", "TH"] });
    await browser.post(`/tasks/${id}/complete`, { next: `/tasks/${id}` });
    expect((await dbTask(t, id))!.dueDate).toBe("2026-12-03");
    const [completion] = await completionsOf(id);
    const res = await browser.post(`/completions/${completion!.id}/undo`, { next: "/done" });
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/done");
    expect((await dbTask(t, id))!.dueDate).toBe("2026-11-30");
  });

  it("skip moves on without recording a completion", async () => {
    const { browser } = await signedIn(t);
    const id = await repeating(browser, { repeat: "weekdays" }, "2026-12-04");
    const res = await browser.post(`/tasks/${id}/skip`, { next: `/tasks/${id}` });
    expect(res.status).toBe(303);
    expect(location(res)).toBe(`/tasks/${id}`);
    expect(await dbTask(t, id)).toMatchObject({ dueDate: "2026-12-07", occurrence: 2 });
    expect(await completionsOf(id)).toEqual([]);
    const htmx = await browser.post(`/tasks/${id}/skip`, {}, { htmx: "/tasks" });
    expect(await htmx.text()).toContain('data-announce="“Rent” skipped; next on Tue 8 Dec 2026."');
  });

  it("an overdue task lands after today, passing over the missed occurrences (counted, not recorded)", async () => {
    const { browser } = await signedIn(t);
    const id = await repeating(browser, { repeat: "daily" }, "2026-11-25");
    await browser.post(`/tasks/${id}/complete`);
    // Due 25 Nov (occurrence 1); today is 30 Nov: 26..30 are passed over, 1 Dec is the 7th.
    expect(await dbTask(t, id)).toMatchObject({ dueDate: "2026-12-01", occurrence: 7 });
    expect((await completionsOf(id)).map((c) => c.dueDate)).toEqual(["2026-11-25"]);
  });

  it("the last occurrence of a series (COUNT) is completed like a one-off", async () => {
    const { browser } = await signedIn(t);
    const id = await repeating(browser, { repeat: "daily", repeat_end: "count", repeat_count: "2" });
    expect((await dbTask(t, id))!.rrule).toBe("FREQ=DAILY;COUNT=2");
    await browser.post(`/tasks/${id}/complete`);
    expect(await dbTask(t, id)).toMatchObject({ status: "todo", dueDate: "2026-12-01", occurrence: 2 });
    t.clock.set("2026-12-01T10:00:00Z");
    await browser.post(`/tasks/${id}/complete`);
    expect(await dbTask(t, id)).toMatchObject({ status: "done", dueDate: "2026-12-01", occurrence: 2 });
    expect(await completionsOf(id)).toHaveLength(1);
  });

  it("on Upcoming the last occurrence of a series stays in place, done, where it can be reopened", async () => {
    const { browser } = await signedIn(t);
    const id = await repeating(browser, { repeat: "daily", repeat_end: "count", repeat_count: "2" }, "2026-12-02");
    await browser.post(`/tasks/${id}/complete`);
    expect(await dbTask(t, id)).toMatchObject({ status: "todo", dueDate: "2026-12-03", occurrence: 2 });
    const res = await browser.post(`/tasks/${id}/complete`, {}, { htmx: "/upcoming" });
    expect(res.headers.get("HX-Retarget")).toBeNull();
    const html = await res.text();
    expect(html).toMatch(new RegExp(`^<li id="task-${id}" class="[^"]*is-done`));
    expect(html).toContain(`aria-label="Reopen “Rent”"`);
    expect(await dbTask(t, id)).toMatchObject({ status: "done", occurrence: 2 });
  });

  it("a monthly task on the 31st falls on the last day of shorter months", async () => {
    t.clock.set("2027-01-30T10:00:00Z");
    const { browser } = await signedIn(t);
    const id = await repeating(browser, { repeat: "monthly", repeat_monthly: "day", repeat_month_day: "31" }, "2027-01-31");
    expect((await dbTask(t, id))!.rrule).toBe("FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1");
    t.clock.set("2027-01-31T10:00:00Z");
    await browser.post(`/tasks/${id}/complete`);
    expect((await dbTask(t, id))!.dueDate).toBe("2027-02-28");
    const page = await (await browser.get(`/tasks/${id}`)).text();
    expect(textOf(page)).toContain("Repeats on the 31st of every month (the last day in shorter months), from the due date");
  });
});

describe("recurrence: errors", () => {
  it("repeat without a due date is a 422 that keeps what was typed", async () => {
    const { browser } = await signedIn(t);
    const id = await browser.createTask({ title: "No date yet" });
    const res = await browser.post(`/tasks/${id}`, { title: "No date yet", notes: "typed", repeat: "weekly", repeat_days: ["TU"], repeat_end: "count", repeat_count: "4" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, "repeat", id)).toBe("A repeating task needs a due date: add the date it is first due.");
    expect(formValue(html, "notes")).toBe("typed");
    expect(formValue(html, "repeat")).toBe("weekly");
    expect(html).toMatch(/value="TU" checked/);
    expect(formValue(html, "repeat_count")).toBe("4");
    expect((await dbTask(t, id))!.rrule).toBeNull();
  });

  it("a bad interval, count or end date is a 422 with a message at that field", async () => {
    const { browser } = await signedIn(t);
    const id = await browser.createTask({ title: "Bad repeat", due_date: "2026-12-01" });
    const base = { title: "Bad repeat", due_date: "2026-12-01" };
    let html = await (await browser.post(`/tasks/${id}`, { ...base, repeat: "daily", repeat_every: "0" })).text();
    expect(fieldError(html, "repeat_every", id)).toBe("Repeat every 1 to 999.");
    html = await (await browser.post(`/tasks/${id}`, { ...base, repeat: "daily", repeat_end: "until", repeat_until: "2026-11-01" })).text();
    expect(fieldError(html, "repeat_until", id)).toBe("The last date cannot be before the due date.");
    const res = await browser.post(`/tasks/${id}`, { ...base, repeat: "custom", repeat_rule: "FREQ=HOURLY" });
    expect(res.status).toBe(422);
  });

  it("undo after the task moved on again answers 409 and changes nothing", async () => {
    const { browser } = await signedIn(t);
    const id = await repeating(browser, { repeat: "daily" });
    await browser.post(`/tasks/${id}/complete`);
    const [first] = await completionsOf(id);
    t.clock.set("2026-11-30T10:01:00Z");
    await browser.post(`/tasks/${id}/skip`);
    const res = await browser.post(`/completions/${first!.id}/undo`);
    expect(res.status).toBe(409);
    expect(textOf(await res.text())).toContain("cannot be undone");
    expect((await dbTask(t, id))!.dueDate).toBe("2026-12-02");
    expect(await completionsOf(id)).toHaveLength(1);
  });

  it("an unknown or malformed completion id is a 404", async () => {
    const { browser } = await signedIn(t);
    expect((await browser.post(`/completions/${crypto.randomUUID()}/undo`)).status).toBe(404);
    expect((await browser.post("/completions/not-a-uuid/undo")).status).toBe(404);
  });
});

describe("recurrence: security", () => {
  it("another user's task cannot be completed or skipped, nor their completion undone (404)", async () => {
    const owner = await signedIn(t);
    const id = await repeating(owner.browser, { repeat: "daily" });
    await owner.browser.post(`/tasks/${id}/complete`);
    const [completion] = await completionsOf(id);
    const other = await signedIn(t);
    expect((await other.browser.post(`/tasks/${id}/complete`)).status).toBe(404);
    expect((await other.browser.post(`/tasks/${id}/skip`)).status).toBe(404);
    expect((await other.browser.post(`/completions/${completion!.id}/undo`)).status).toBe(404);
    expect((await other.browser.post(`/completions/${completion!.id}/undo`, {}, { htmx: "/tasks" })).status).toBe(404);
    expect(await dbTask(t, id)).toMatchObject({ dueDate: "2026-12-01", occurrence: 2 });
    expect(await completionsOf(id)).toHaveLength(1);
  });
});

describe("recurrence: query budget", () => {
  async function roundTrips(request: () => Promise<Response>) {
    await settled();
    const before = t.database.roundTrips();
    const res = await request();
    await res.arrayBuffer();
    await settled();
    return { status: res.status, trips: t.database.roundTrips() - before };
  }

  it("completing, skipping and undoing a repeating task take at most 3 round trips, htmx counts included (Upcoming: 4, its days drawn again)", async () => {
    const { browser } = await signedIn(t);
    const id = await repeating(browser, { repeat: "daily" });
    for (const [name, status, budget, request] of [
      ["complete", 303, 3, () => browser.post(`/tasks/${id}/complete`)],
      ["complete (htmx, All)", 200, 3, () => browser.post(`/tasks/${id}/complete`, {}, { htmx: "/tasks?q=Rent" })],
      ["complete (htmx, Today)", 200, 3, () => browser.post(`/tasks/${id}/complete`, {}, { htmx: "/today" })],
      // Upcoming draws its days again: the view's own statement comes on top.
      ["complete (htmx, Upcoming)", 200, 4, () => browser.post(`/tasks/${id}/complete`, {}, { htmx: "/upcoming" })],
      ["skip (htmx)", 200, 3, () => browser.post(`/tasks/${id}/skip`, {}, { htmx: "/tasks" })],
      ["task page", 200, 3, () => browser.get(`/tasks/${id}`)],
    ] as const) {
      const { status: got, trips } = await roundTrips(request);
      expect(got, name).toBe(status);
      expect(trips, name).toBeLessThanOrEqual(budget);
    }
    await browser.post(`/tasks/${id}/complete`);
    const [latest] = (await completionsOf(id)).sort((a, b) => b.completedAt.getTime() - a.completedAt.getTime());
    const undo = await roundTrips(() => browser.post(`/completions/${latest!.id}/undo`, {}, { htmx: "/tasks" }));
    expect(undo.status).toBe(200);
    expect(undo.trips).toBeLessThanOrEqual(2);
  });
});
