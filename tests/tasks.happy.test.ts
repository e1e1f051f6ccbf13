import { beforeEach, describe, expect, it } from "vitest";
import { dbTask, formValue, signedIn } from "./support/tasks.js";
import { makeTestApp, taskIdsIn, textOf } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });
const NOW = "2026-06-15T12:00:00.000Z";

describe("tasks: happy paths", () => {
  beforeEach(() => t.clock.set(NOW));

  it("creates a task and shows it in the list and on its own page", async () => {
    const b = t.browser();
    await b.register({ timezone: "Europe/Paris" });
    const res = await b.post("/tasks", { title: "Write report", notes: "Quarterly numbers", priority: "high", due_date: "2026-06-17", due_time: "09:30" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/tasks");

    const list = textOf(await (await b.get("/tasks")).text());
    expect(list).toContain("Write report");
    expect(list).toContain("High");
    expect(list).toContain("Wed 17 Jun 2026, 09:30");
    expect(list).toContain("in 2 days");

    const id = await b.createTask({ title: "Second" });
    const page = await b.get(`/tasks/${id}`);
    expect(page.status).toBe(200);
    expect(textOf(await page.text())).toContain("Second");
  });

  it("fills in the defaults and the timestamps when only a title is given", async () => {
    const { browser } = await signedIn(t);
    const id = await browser.createTask({ title: "  Just a title  " });
    const row = await dbTask(t, id);
    expect(row).toMatchObject({ title: "Just a title", notes: "", priority: "medium", status: "todo", dueDate: null, dueTime: null, dueAt: null, completedAt: null });
    expect(row!.createdAt.toISOString()).toBe(NOW);
    expect(row!.updatedAt.toISOString()).toBe(NOW);
    const page = textOf(await (await browser.get(`/tasks/${id}`)).text());
    expect(page).toContain("To do");
    expect(page).toContain("Medium");
    expect(page).toContain("No due date");
    expect(page).toContain("No notes.");
  });

  it("goes back to a safe `next` after creating, and to /tasks for an unsafe one", async () => {
    const { browser } = await signedIn(t);
    const safe = await browser.post("/tasks", { title: "Next safe", next: "/tasks?priority=high" });
    expect(safe.status).toBe(303);
    expect(safe.headers.get("location")).toBe("/tasks?priority=high");
    for (const next of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]) {
      const res = await browser.post("/tasks", { title: `Next ${next}`, next });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/tasks");
    }
  });

  const zones: [string, string, string, string][] = [
    // zone, date-only due_at (end of 2026-06-17 there), due_at of 09:30 that day
    ["America/New_York", "2026-06-18T03:59:59.999Z", "2026-06-17T13:30:00.000Z", "UTC-4 in June"],
    ["Asia/Kolkata", "2026-06-17T18:29:59.999Z", "2026-06-17T04:00:00.000Z", "half-hour offset"],
    ["Pacific/Kiritimati", "2026-06-17T09:59:59.999Z", "2026-06-16T19:30:00.000Z", "UTC+14"],
    ["Etc/GMT+12", "2026-06-18T11:59:59.999Z", "2026-06-17T21:30:00.000Z", "UTC-12"],
  ];
  it.each(zones)("reads due dates in the owner's zone: %s", async (zone, endOfDay, atNineThirty) => {
    const { browser } = await signedIn(t, zone);
    const dateOnly = await browser.createTask({ title: `Date only ${zone}`, due_date: "2026-06-17" });
    const timed = await browser.createTask({ title: `Timed ${zone}`, due_date: "2026-06-17", due_time: "09:30" });
    expect((await dbTask(t, dateOnly))!.dueAt!.toISOString()).toBe(endOfDay);
    expect(await dbTask(t, timed)).toMatchObject({ dueDate: "2026-06-17", dueTime: "09:30:00" });
    expect((await dbTask(t, timed))!.dueAt!.toISOString()).toBe(atNineThirty);
    const page = textOf(await (await browser.get(`/tasks/${timed}`)).text());
    expect(page).toContain("Wed 17 Jun 2026, 09:30");
  });

  it("shows a task's page and an edit form filled with its values", async () => {
    const { browser } = await signedIn(t, "Asia/Kolkata");
    const id = await browser.createTask({ title: "Edit me", notes: "Line one\nLine two", priority: "urgent", status: "in_progress", due_date: "2026-07-01", due_time: "08:15" });
    const page = textOf(await (await browser.get(`/tasks/${id}`)).text());
    for (const text of ["Edit me", "In progress", "Urgent", "Wed 1 Jul 2026, 08:15", "Line one", "Line two"]) expect(page).toContain(text);

    const edit = await browser.get(`/tasks/${id}/edit`);
    expect(edit.status).toBe(200);
    const html = await edit.text();
    expect(html).toContain(`action="/tasks/${id}"`);
    expect(formValue(html, "title")).toBe("Edit me");
    expect(formValue(html, "notes")).toBe("Line one\nLine two");
    expect(formValue(html, "priority")).toBe("urgent");
    expect(formValue(html, "status")).toBe("in_progress");
    expect(formValue(html, "due_date")).toBe("2026-07-01");
    expect(formValue(html, "due_time")).toBe("08:15");
  });

  it("updates with POST and PATCH, keeping created_at and moving updated_at", async () => {
    const { browser } = await signedIn(t, "America/New_York");
    const id = await browser.createTask({ title: "Before", due_date: "2026-06-20" });
    t.clock.advance(60_000);
    const res = await browser.post(`/tasks/${id}`, { title: "After", notes: "new notes", priority: "low", status: "in_progress", due_date: "2026-06-21", due_time: "17:45" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/tasks/${id}`);
    let row = (await dbTask(t, id))!;
    expect(row).toMatchObject({ title: "After", notes: "new notes", priority: "low", status: "in_progress", dueDate: "2026-06-21", dueTime: "17:45:00" });
    expect(row.dueAt!.toISOString()).toBe("2026-06-21T21:45:00.000Z");
    expect(row.createdAt.getTime()).toBe(t.clock.now().getTime() - 60_000);
    expect(row.updatedAt.getTime()).toBe(t.clock.now().getTime());

    t.clock.advance(60_000);
    const patch = await browser.request("PATCH", `/tasks/${id}`, { form: { title: "Patched", notes: "", priority: "urgent", status: "todo", due_date: "", due_time: "", next: "/tasks?sort=updated" } });
    expect(patch.status).toBe(303);
    expect(patch.headers.get("location")).toBe("/tasks?sort=updated");
    row = (await dbTask(t, id))!;
    // Clearing the date in the form clears the deadline.
    expect(row).toMatchObject({ title: "Patched", notes: "", priority: "urgent", status: "todo", dueDate: null, dueTime: null, dueAt: null });
    expect(row.updatedAt.getTime()).toBe(t.clock.now().getTime());
    expect(textOf(await (await browser.get(`/tasks/${id}`)).text())).toContain("Patched");
  });

  it("sets completed_at on entering done, keeps it while done, clears it on leaving", async () => {
    const { browser } = await signedIn(t);
    const id = await browser.createTask({ title: "Lifecycle" });
    const form = { title: "Lifecycle" };
    t.clock.set("2026-06-15T13:00:00Z");
    expect((await browser.post(`/tasks/${id}`, { ...form, status: "done" })).status).toBe(303);
    expect((await dbTask(t, id))!.completedAt?.toISOString()).toBe("2026-06-15T13:00:00.000Z");
    t.clock.set("2026-06-15T14:00:00Z");
    await browser.post(`/tasks/${id}`, { ...form, status: "done", notes: "still done" });
    expect((await dbTask(t, id))!.completedAt?.toISOString()).toBe("2026-06-15T13:00:00.000Z");
    await browser.post(`/tasks/${id}`, { ...form, status: "in_progress" });
    expect(await dbTask(t, id)).toMatchObject({ status: "in_progress", completedAt: null });

    t.clock.set("2026-06-15T15:00:00Z");
    const done = await browser.post(`/tasks/${id}/complete`, { next: `/tasks/${id}` });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(`/tasks/${id}`);
    expect(await dbTask(t, id)).toMatchObject({ status: "done", completedAt: new Date("2026-06-15T15:00:00Z") });
    t.clock.set("2026-06-15T16:00:00Z");
    expect((await browser.post(`/tasks/${id}/complete`)).status).toBe(303);
    expect((await dbTask(t, id))!.completedAt?.toISOString()).toBe("2026-06-15T15:00:00.000Z");
    expect(textOf(await (await browser.get(`/tasks/${id}`)).text())).toContain("Completed");
    const reopened = await browser.post(`/tasks/${id}/reopen`);
    expect(reopened.status).toBe(303);
    expect(reopened.headers.get("location")).toBe("/tasks");
    expect(await dbTask(t, id)).toMatchObject({ status: "todo", completedAt: null });
  });

  it("creates a task already done with completed_at set", async () => {
    const { browser } = await signedIn(t);
    const id = await browser.createTask({ title: "Born done", status: "done" });
    expect((await dbTask(t, id))!.completedAt?.toISOString()).toBe(NOW);
  });

  it("deletes with POST /delete and with DELETE", async () => {
    const { browser } = await signedIn(t);
    const a = await browser.createTask({ title: "Delete by post" });
    const b = await browser.createTask({ title: "Delete by method" });
    const res = await browser.post(`/tasks/${a}/delete`);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/tasks");
    const del = await browser.request("DELETE", `/tasks/${b}`);
    expect(del.status).toBe(303);
    expect(await dbTask(t, a)).toBeUndefined();
    expect(await dbTask(t, b)).toBeUndefined();
    expect(taskIdsIn(await (await browser.get("/tasks")).text())).toEqual([]);
    expect((await browser.get(`/tasks/${a}`)).status).toBe(404);
  });

  it("asks before deleting without JavaScript: the confirmation page (GET) changes nothing, its button deletes", async () => {
    const { browser } = await signedIn(t);
    const id = await browser.createTask({ title: "Think twice" });
    const page = await browser.get(`/tasks/${id}/delete?next=${encodeURIComponent("/tasks?priority=medium")}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(textOf(html)).toContain("Delete this task?");
    expect(html).toContain(`action="/tasks/${id}/delete"`);
    expect(formValue(html, "next")).toBe("/tasks?priority=medium");
    expect(await dbTask(t, id)).toBeDefined();
    const res = await browser.post(`/tasks/${id}/delete`, { next: "/tasks?priority=medium" });
    expect(res.headers.get("location")).toBe("/tasks?priority=medium");
    expect(await dbTask(t, id)).toBeUndefined();
  });

  it("returns a plain post from a list row to the list it came from (its Referer), since rows carry no hidden fields", async () => {
    const { browser } = await signedIn(t);
    const id = await browser.createTask({ title: "Back where I was", priority: "high" });
    const list = await (await browser.get("/tasks?priority=high&sort=created")).text();
    expect(list).not.toMatch(new RegExp(`<li id="task-${id}"[^]*?type="hidden"[^]*?</li>`));
    const referer = { referer: `${browser.origin}/tasks?priority=high&sort=created` };
    const done = await browser.post(`/tasks/${id}/complete`, {}, { headers: referer });
    expect(done.headers.get("location")).toBe("/tasks?priority=high&sort=created");
    // The no-JavaScript delete: the confirmation page remembers the list, and its button returns there.
    const confirm = await (await browser.get(`/tasks/${id}/delete`, { headers: referer })).text();
    expect(formValue(confirm, "next")).toBe("/tasks?priority=high&sort=created");
    // Another site's page, or none, is never a destination: the plain list instead.
    const foreign = await browser.post(`/tasks/${id}/reopen`, {}, { headers: { referer: "https://elsewhere.example/tasks?status=done" } });
    expect(foreign.headers.get("location")).toBe("/tasks");
    expect((await browser.post(`/tasks/${id}/complete`)).headers.get("location")).toBe("/tasks");
    // An explicit `next` (the task page's forms) still wins.
    const fromPage = await browser.post(`/tasks/${id}/reopen`, { next: `/tasks/${id}` }, { headers: referer });
    expect(fromPage.headers.get("location")).toBe(`/tasks/${id}`);
  });

  it("keeps date-only deadlines on their date and timed ones at their moment when the timezone changes", async () => {
    const { browser } = await signedIn(t, "UTC");
    const dateOnly = await browser.createTask({ title: "Date-only move", due_date: "2026-06-20" });
    const timed = await browser.createTask({ title: "Timed move", due_date: "2026-06-20", due_time: "22:00" });
    const undated = await browser.createTask({ title: "Undated move" });
    const moment = "2026-06-20T22:00:00.000Z";

    const res = await browser.post("/settings", { name: "Ada", timezone: "Asia/Kolkata" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/settings?saved=1");
    expect(textOf(await (await browser.get("/settings?saved=1")).text())).toContain("Settings saved.");
    let d = (await dbTask(t, dateOnly))!;
    expect(d.dueDate).toBe("2026-06-20");
    expect(d.dueAt!.toISOString()).toBe("2026-06-20T18:29:59.999Z");
    let tm = (await dbTask(t, timed))!;
    expect(tm.dueAt!.toISOString()).toBe(moment);
    // 22:00 UTC is 03:30 the next day in Kolkata, and the task says so.
    expect(tm).toMatchObject({ dueDate: "2026-06-21", dueTime: "03:30:00" });
    expect(textOf(await (await browser.get(`/tasks/${timed}`)).text())).toContain("Sun 21 Jun 2026, 03:30");
    expect(await dbTask(t, undated)).toMatchObject({ dueDate: null, dueAt: null });

    await browser.post("/settings", { name: "Ada", timezone: "America/New_York" });
    d = (await dbTask(t, dateOnly))!;
    expect(d.dueDate).toBe("2026-06-20");
    expect(d.dueAt!.toISOString()).toBe("2026-06-21T03:59:59.999Z");
    tm = (await dbTask(t, timed))!;
    expect(tm.dueAt!.toISOString()).toBe(moment);
    expect(tm).toMatchObject({ dueDate: "2026-06-20", dueTime: "18:00:00" });
    const list = textOf(await (await browser.get("/tasks")).text());
    expect(list).toContain("Sat 20 Jun 2026, 18:00");
    expect(list).toContain("Sat 20 Jun 2026 ");

    // Editing the timed task afterwards without touching its date keeps its moment.
    const edit = await (await browser.get(`/tasks/${timed}/edit`)).text();
    await browser.post(`/tasks/${timed}`, { title: "Timed move", due_date: formValue(edit, "due_date")!, due_time: formValue(edit, "due_time")! });
    expect((await dbTask(t, timed))!.dueAt!.toISOString()).toBe(moment);
  });

  it.each([
    ["Pacific/Kiritimati", "2026-06-20T09:59:59.999Z", "2026-06-21", "12:00:00"],
    ["Etc/GMT+12", "2026-06-21T11:59:59.999Z", "2026-06-20", "10:00:00"],
  ])("moves deadlines correctly into %s", async (zone, endOfDay, timedDate, timedTime) => {
    const { browser } = await signedIn(t, "UTC");
    const dateOnly = await browser.createTask({ title: `Into ${zone}`, due_date: "2026-06-20" });
    const timed = await browser.createTask({ title: `Timed into ${zone}`, due_date: "2026-06-20", due_time: "22:00" });
    expect((await browser.post("/settings", { name: "Ada", timezone: zone })).status).toBe(303);
    expect((await dbTask(t, dateOnly))!.dueAt!.toISOString()).toBe(endOfDay);
    expect((await dbTask(t, timed))!.dueAt!.toISOString()).toBe("2026-06-20T22:00:00.000Z");
    expect(await dbTask(t, timed)).toMatchObject({ dueDate: timedDate, dueTime: timedTime });
    expect(textOf(await (await browser.get("/settings")).text())).toContain(zone.replace(/_/g, " "));
  });

  it("rejects an unknown timezone in settings and changes nothing", async () => {
    const { browser } = await signedIn(t, "Asia/Kolkata");
    const id = await browser.createTask({ title: "Stays put", due_date: "2026-06-20" });
    const before = await dbTask(t, id);
    const res = await browser.post("/settings", { name: "Ada", timezone: "Mars/Olympus_Mons" });
    expect(res.status).toBe(422);
    expect(textOf(await res.text())).toContain("Choose a timezone from the list.");
    expect(await dbTask(t, id)).toEqual(before);
  });

  it("answers /healthz with JSON", async () => {
    const res = await t.browser().get("/healthz");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ status: "ok", database: "ok" });
  });
});
