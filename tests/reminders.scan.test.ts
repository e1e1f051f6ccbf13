import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { reminderScans } from "../src/db/schema.js";
import { scanReminders } from "../src/reminders/scan.js";
import { addTask, at, dateRanges, itemsOf, jobDeps, makeUser, outboxOf, plusDays } from "./support/reminder-jobs.js";
import { APP_URL, makeTestApp } from "./support/test-app.js";

// The scan: which tasks a user is reminded of on a given day, and who is left alone.
// Every test works in its own stretch of dates, far from other tests and files.
const t = await makeTestApp();
const deps = jobDeps(t);
const nextRange = dateRanges("2027-01-10", 120);

/** The reminders (slot names per task id) the outbox holds for a user on one local date. */
async function remindedOn(userId: string, localDate: string) {
  const rows = (await outboxOf(t, userId)).filter((r) => r.localDate === localDate);
  const items = await itemsOf(t, rows.map((r) => r.id));
  return { rows, slots: new Map(items.map((i) => [i.taskId, i.slot])) };
}

describe("which tasks are reminded on a day", () => {
  it("reminds on the due day and on each lead day, and not on other days before", async () => {
    const today = nextRange();
    const user = await makeUser(t);
    const due = await addTask(t, user, { title: "Due today", dueDate: today });
    const tomorrow = await addTask(t, user, { title: "Due tomorrow", dueDate: plusDays(today, 1) });
    const inTwo = await addTask(t, user, { title: "Due in two days", dueDate: plusDays(today, 2) });
    const inThree = await addTask(t, user, { title: "Due in three days", dueDate: plusDays(today, 3) });

    await scanReminders(deps, at(`${today}T08:00`, "UTC"));

    const { rows, slots } = await remindedOn(user.id, today);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.kind).toBe("digest");
    expect(Object.fromEntries(slots)).toEqual({ [due.id]: "due", [tomorrow.id]: "lead-1", [inTwo.id]: "lead-2" });
    expect(rows[0]!.textBody).toContain("Due today");
    expect(rows[0]!.textBody).not.toContain(inThree.title);
  });

  it("gives nothing at all on a day when every task is outside the lead days", async () => {
    const today = nextRange();
    const user = await makeUser(t, { leadDays: [2, 1] });
    await addTask(t, user, { dueDate: plusDays(today, 3) });
    await addTask(t, user, { dueDate: plusDays(today, 5) });

    await scanReminders(deps, at(`${today}T08:00`, "UTC"));

    expect(await outboxOf(t, user.id)).toEqual([]);
  });

  it("honours custom lead days: 7 and 3 days ahead, not 2 or 1", async () => {
    const today = nextRange();
    const user = await makeUser(t, { leadDays: [7, 3] });
    const seven = await addTask(t, user, { dueDate: plusDays(today, 7) });
    const three = await addTask(t, user, { dueDate: plusDays(today, 3) });
    await addTask(t, user, { dueDate: plusDays(today, 2) });
    await addTask(t, user, { dueDate: plusDays(today, 1) });

    await scanReminders(deps, at(`${today}T08:00`, "UTC"));

    const { slots } = await remindedOn(user.id, today);
    expect(Object.fromEntries(slots)).toEqual({ [seven.id]: "lead-7", [three.id]: "lead-3" });
  });

  it("follows one open task from two days before to 40 days late: 1, 3, 7, then weekly, a final at 30, then silence", async () => {
    const dueDate = plusDays(nextRange(), 5);
    const user = await makeUser(t, { reminderDelivery: "per_task" });
    const task = await addTask(t, user, { title: "Renew the passport", dueDate });

    const remindedDays: number[] = [];
    for (let offset = -5; offset <= 40; offset++) {
      const day = plusDays(dueDate, offset);
      await scanReminders(deps, at(`${day}T08:00`, "UTC"));
      if ((await remindedOn(user.id, day)).slots.has(task.id)) remindedDays.push(offset);
    }
    expect(remindedDays).toEqual([-2, -1, 0, 1, 3, 7, 14, 21, 28, 30]);

    const rows = await outboxOf(t, user.id);
    const final = rows.find((r) => r.localDate === plusDays(dueDate, 30))!;
    expect(final.subject).toContain("Still relevant?");
    expect(final.subject).toContain("Renew the passport");
    expect(final.textBody).toContain("This is the last reminder for it");
    // Only the last one says so.
    expect(rows.filter((r) => r.textBody.includes("last reminder"))).toHaveLength(1);
    expect(rows.find((r) => r.localDate === plusDays(dueDate, 28))!.subject).toMatch(/^Overdue: Renew the passport \(overdue by 28 days\)$/);
  });

  it("sends no overdue reminders to a user who turned them off, but still the due-day one", async () => {
    const today = nextRange();
    const user = await makeUser(t, { overdueReminders: false });
    const due = await addTask(t, user, { dueDate: today });
    for (const late of [1, 3, 7, 14, 30]) await addTask(t, user, { dueDate: plusDays(today, -late) });

    await scanReminders(deps, at(`${today}T08:00`, "UTC"));

    const { rows, slots } = await remindedOn(user.id, today);
    expect(Object.fromEntries(slots)).toEqual({ [due.id]: "due" });
    expect(rows[0]!.subject).toBe("1 due today");
    expect(rows[0]!.textBody).not.toMatch(/overdue/i);

    const onlyLate = await makeUser(t, { overdueReminders: false });
    await addTask(t, onlyLate, { dueDate: plusDays(today, -1) });
    await scanReminders(deps, at(`${today}T09:00`, "UTC"));
    expect(await outboxOf(t, onlyLate.id)).toEqual([]);
  });

  it("never reminds of a done task, a task with reminders off, nor a user with reminders off or paused", async () => {
    const today = nextRange();
    const user = await makeUser(t);
    const open = await addTask(t, user, { title: "Still open", dueDate: today });
    const done = await addTask(t, user, { title: "Already done", dueDate: today, status: "done" });
    const quiet = await addTask(t, user, { title: "No reminders please", dueDate: plusDays(today, -1), remindersEnabled: false });
    const off = await makeUser(t, { remindersEnabled: false });
    await addTask(t, off, { dueDate: today });
    const paused = await makeUser(t, { remindersPausedReason: "Postmark reported your address as inactive" });
    await addTask(t, paused, { dueDate: today });
    const onlyDone = await makeUser(t);
    await addTask(t, onlyDone, { dueDate: today, status: "done" });

    for (const hour of ["08:00", "12:00", "23:00"]) await scanReminders(deps, at(`${today}T${hour}`, "UTC"));

    const { rows, slots } = await remindedOn(user.id, today);
    expect([...slots.keys()]).toEqual([open.id]);
    expect(rows[0]!.textBody).not.toContain(done.title);
    expect(rows[0]!.textBody).not.toContain(quiet.title);
    expect(await outboxOf(t, off.id, paused.id, onlyDone.id)).toEqual([]);
  });
});

describe("the digest", () => {
  it("lists at most 20 tasks, most urgent first, then says how many more and links to the list where they start", async () => {
    const today = nextRange();
    const user = await makeUser(t);
    for (let i = 0; i < 5; i++) await addTask(t, user, { title: `Late ${i}`, dueDate: plusDays(today, -1), priority: "low" });
    const lowEarly = await addTask(t, user, { title: "Low at nine", dueDate: today, dueTime: "09:00", priority: "low" });
    const urgentLate = await addTask(t, user, { title: "Urgent at five", dueDate: today, dueTime: "17:00", priority: "urgent" });
    const urgentEarly = await addTask(t, user, { title: "Urgent at noon", dueDate: today, dueTime: "12:00", priority: "urgent" });
    for (let i = 0; i < 15; i++) await addTask(t, user, { title: `Today ${i}`, dueDate: today, dueTime: "18:00", priority: "medium" });

    await scanReminders(deps, at(`${today}T08:00`, "UTC"));

    const { rows, slots } = await remindedOn(user.id, today);
    expect(rows).toHaveLength(1);
    const digest = rows[0]!;
    expect(digest.subject).toBe("18 due today, 5 overdue");
    // Shown and recorded: the 5 overdue, then 15 of today's 18, urgent first, then by due time.
    expect(slots.size).toBe(20);
    expect(slots.has(lowEarly.id)).toBe(false);
    const text = digest.textBody;
    expect(text.indexOf("Late 4")).toBeLessThan(text.indexOf("DUE TODAY"));
    expect(text.indexOf(urgentEarly.title)).toBeLessThan(text.indexOf(urgentLate.title));
    // The 15 medium tasks share a due moment, so which 13 are shown depends on their ids: any of them.
    expect(text.search(/Today \d+/)).toBeGreaterThan(-1);
    expect(text.indexOf(urgentLate.title)).toBeLessThan(text.search(/Today \d+/));
    const list = `${APP_URL}/tasks?status=todo&status=in_progress&due=today&sort=priority`;
    expect(text).toContain(`…and 3 more. See all tasks due today: ${list}`);
    expect(digest.htmlBody).toContain(`…and 3 more. <a href="${list.replace(/&/g, "&amp;")}">See all tasks due today</a>`);
  });
});

describe("bounded work per run", () => {
  it("handles at most batchSize × maxBatches users per run and continues where it stopped", async () => {
    const today = nextRange();
    const due = await Promise.all(Array.from({ length: 5 }, () => makeUser(t)));
    for (const u of due) await addTask(t, u, { dueDate: today });
    const now = at(`${today}T08:00`, "UTC");

    const first = await scanReminders(deps, now, { batchSize: 2, maxBatches: 1 });
    expect(first).toMatchObject({ usersScanned: 2, emailsQueued: 2, more: true });
    expect(await outboxOf(t, ...due.map((u) => u.id))).toHaveLength(2);

    const second = await scanReminders(deps, now, { batchSize: 2, maxBatches: 1 });
    expect(second).toMatchObject({ usersScanned: 2, emailsQueued: 2, more: true });
    const third = await scanReminders(deps, now, { batchSize: 2, maxBatches: 1 });
    expect(third).toMatchObject({ usersScanned: 1, emailsQueued: 1, more: false });
    expect(await scanReminders(deps, now, { batchSize: 2, maxBatches: 1 })).toMatchObject({ usersScanned: 0, more: false });

    const rows = await outboxOf(t, ...due.map((u) => u.id));
    expect(rows.map((r) => r.userId).sort()).toEqual(due.map((u) => u.id).sort());
  });

  it("reads only users with a reminder today: a deadline outside the lead days, or 60 days away, marks and mails no one", async () => {
    const today = nextRange();
    const far = await makeUser(t);
    await addTask(t, far, { dueDate: plusDays(today, 60) });
    const near = await makeUser(t);
    await addTask(t, near, { dueDate: plusDays(today, 4) });
    const due = await makeUser(t);
    await addTask(t, due, { dueDate: today });

    await scanReminders(deps, at(`${today}T08:00`, "UTC"));

    const scanned = await t.database.db
      .select({ userId: reminderScans.userId })
      .from(reminderScans)
      .where(and(inArray(reminderScans.userId, [far.id, near.id, due.id]), eq(reminderScans.localDate, today)));
    // Only the user with something to remind is handled (and marked); the others cost a few index probes per run.
    expect(scanned.map((s) => s.userId)).toEqual([due.id]);
    expect(await outboxOf(t, far.id, near.id)).toEqual([]);
    expect(await outboxOf(t, due.id)).toHaveLength(1);
  });
});
