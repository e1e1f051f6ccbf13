import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { reminderItems, reminderOutbox, tasks, type Task } from "../src/db/schema.js";
import { completeTask } from "../src/recurrence/advance.js";
import { scanReminders } from "../src/reminders/scan.js";
import { slotOn } from "../src/reminders/slots.js";
import { dueMoment } from "../src/tasks/due.js";
import { at, jobDeps, makeUser, plusDays, type FixtureUser } from "./support/reminder-jobs.js";
import { makeTestApp } from "./support/test-app.js";

// Reminders for repeating tasks over 60 simulated days (issue #13): each occurrence gets its lead,
// due-day and overdue reminders at most once each, and none once it is completed; moving on to the
// next occurrence ends the previous one's overdue escalation. The scan runs three times a day (a
// rerun of the day must add nothing), and the owner completes some occurrences on time, some
// before their reminder, some days late and some not until the next one.
const t = await makeTestApp();
const deps = jobDeps(t);

const PREFS = { leadDays: [1], overdueReminders: true };
// Dates no other test file uses: the scan marks every due user's day as handled.
const START = "2033-02-20"; // a Sunday; New York's clocks change on 13 March 2033
const DAYS = 60;

interface Reminder {
  taskId: string;
  dueDate: string;
  slot: string;
  createdAt: Date;
}

/** What the model expects: the slot each task's current occurrence has on the day of a scan. */
function expectedToday(task: Task, date: string): Omit<Reminder, "createdAt"> | null {
  if (task.status === "done" || !task.remindersEnabled) return null;
  const slot = slotOn(task.dueDate!, date, PREFS);
  return slot ? { taskId: task.id, dueDate: task.dueDate!, slot: slot.name } : null;
}

async function repeatingTask(user: FixtureUser, title: string, rrule: string, dueDate: string) {
  const [row] = await t.database.db
    .insert(tasks)
    .values({ userId: user.id, title, dueDate, dueTime: "18:00", dueAt: dueMoment(dueDate, "18:00", user.timezone), rrule, repeatFrom: "due", createdAt: new Date(0), updatedAt: new Date(0) })
    .returning();
  return row!;
}

async function current(id: string): Promise<Task> {
  const [row] = await t.database.db.select().from(tasks).where(eq(tasks.id, id));
  return row!;
}

async function remindersOf(user: FixtureUser): Promise<Reminder[]> {
  const rows = await t.database.db
    .select({ taskId: reminderItems.taskId, dueDate: reminderItems.dueDate, slot: reminderItems.slot, createdAt: reminderOutbox.createdAt })
    .from(reminderItems)
    .innerJoin(reminderOutbox, eq(reminderOutbox.id, reminderItems.outboxId))
    .where(inArray(reminderOutbox.userId, [user.id]));
  return rows.map((r) => ({ ...r, dueDate: r.dueDate! }));
}

const key = (r: { taskId: string; dueDate: string; slot: string }) => `${r.taskId} ${r.dueDate} ${r.slot}`;

describe.each(["digest", "per_task"] as const)("a daily and a weekly task over 60 days, %s delivery", (delivery) => {
  it("reminds each occurrence once per slot, never after its completion, and ends its overdue reminders when it moves on", async () => {
    const zone = delivery === "digest" ? "Europe/Berlin" : "America/New_York";
    const user = await makeUser(t, { timezone: zone, reminderHour: 8, leadDays: PREFS.leadDays, overdueReminders: true, reminderDelivery: delivery });
    const daily = await repeatingTask(user, "Medicine", "FREQ=DAILY", START);
    const weekly = await repeatingTask(user, "Report", "FREQ=WEEKLY;BYDAY=MO", plusDays(START, 1));

    const expected: Omit<Reminder, "createdAt">[] = [];
    /** Each occurrence left behind: which, and when the task moved on from it. */
    const left: { taskId: string; dueDate: string; at: Date }[] = [];
    const complete = async (task: Task, when: Date) => {
      const result = await completeTask(t.database.db, user, task.id, when);
      expect(result?.moved).toBe(true);
      left.push({ taskId: task.id, dueDate: task.dueDate!, at: when });
    };

    for (let day = 0; day < DAYS; day++) {
      const date = plusDays(START, day);
      // 07:00, before the day's reminders: some daily doses are taken early, and on even weeks the
      // report is done the morning after it was due.
      let [d, w] = [await current(daily.id), await current(weekly.id)];
      if (day % 7 === 5 && d.dueDate === date) await complete(d, at(`${date}T07:00`, zone));
      const week = Math.floor(day / 7);
      if (week % 2 === 0 && w.dueDate === plusDays(date, -1)) await complete(w, at(`${date}T07:00`, zone));

      // 08:00 the reminders go out; 09:00 and 21:00 runs of the same day must add nothing.
      [d, w] = [await current(daily.id), await current(weekly.id)];
      for (const task of [d, w]) {
        const slot = expectedToday(task, date);
        if (slot) expected.push(slot);
      }
      await scanReminders(deps, at(`${date}T08:00`, zone));
      await scanReminders(deps, at(`${date}T09:00`, zone));

      // 20:00: the daily dose is taken most days (every fourth day it is forgotten until the next
      // evening); on odd weeks the report waits ten days.
      [d, w] = [await current(daily.id), await current(weekly.id)];
      if (day % 4 !== 3 && d.dueDate! <= date) await complete(d, at(`${date}T20:00`, zone));
      if (w.dueDate === plusDays(date, -10)) await complete(w, at(`${date}T20:00`, zone));
      await scanReminders(deps, at(`${date}T21:00`, zone));
    }

    const actual = await remindersOf(user);
    // Exactly once: no (occurrence, slot) twice, and exactly the ones the model expects.
    expect(new Set(actual.map(key)).size).toBe(actual.length);
    expect(actual.map(key).sort()).toEqual(expected.map(key).sort());
    // The simulation covered every kind of reminder (so the checks above can fail).
    const slots = new Set(actual.map((r) => r.slot));
    for (const slot of ["due", "lead-1", "late-1", "late-3", "late-7"]) expect(slots, slot).toContain(slot);
    expect(left.length).toBeGreaterThan(40);

    // None for an occurrence once the task left it (completed): its escalation ended there.
    for (const gone of left) {
      const after = actual.filter((r) => r.taskId === gone.taskId && r.dueDate === gone.dueDate && r.createdAt > gone.at);
      expect(after, `${gone.taskId} ${gone.dueDate}`).toEqual([]);
    }
    // Overdue reminders name the occurrence they are about, never one the task had moved on from.
    const lateForEarlyDone = actual.filter((r) => r.slot.startsWith("late") && left.some((g) => g.taskId === r.taskId && g.dueDate === r.dueDate && g.at < r.createdAt));
    expect(lateForEarlyDone).toEqual([]);
    // Occurrences completed at 07:00 on their own day had no due-day reminder.
    const early = left.filter((g) => g.taskId === daily.id && g.at.toISOString() === at(`${g.dueDate}T07:00`, zone).toISOString());
    expect(early.length).toBeGreaterThan(0);
    for (const g of early) expect(actual.some((r) => r.taskId === daily.id && r.dueDate === g.dueDate)).toBe(false);
  });
});
