import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { reminderItems, reminderOutbox, reminderScans, tasks } from "../src/db/schema.js";
import { scanReminders } from "../src/reminders/scan.js";
import { nextReminder, slotOn } from "../src/reminders/slots.js";
import { addTask, at, dateRanges, itemsOf, jobDeps, makeUser, outboxOf, plusDays } from "./support/reminder-jobs.js";
import { bulkTasks, bulkUsers, parameterMeter, watchedDatabase } from "./support/reminder-scale.js";
import { APP_URL, makeTestApp } from "./support/test-app.js";

// The scan at realistic scale: big batches, heavy users, a crash inside a batch. Dates are in
// 2019, before every other file's, so no other file's run ever picks up these users' tasks.
const t = await makeTestApp();
const nextRange = dateRanges("2019-01-05", 45);
const BIG = 120_000;

const markersOf = (userIds: string[], localDate: string) =>
  t.database.db
    .select({ userId: reminderScans.userId })
    .from(reminderScans)
    .where(and(inArray(reminderScans.userId, userIds), eq(reminderScans.localDate, localDate)));

async function itemCount(userIds: string[]) {
  const [row] = await t.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(reminderItems)
    .innerJoin(reminderOutbox, eq(reminderOutbox.id, reminderItems.outboxId))
    .where(inArray(reminderOutbox.userId, userIds));
  return Number(row!.n);
}

describe("no statement near the bind-parameter limit, whatever the data", () => {
  it("one user with 32,000 tasks due: one digest of the 20 most urgent, and 31,980 more linked to the overdue list", { timeout: BIG }, async () => {
    const today = nextRange();
    const [heavy] = await bulkUsers(t, 1);
    await bulkTasks(t, [heavy!], 12_000, plusDays(today, -1));
    await bulkTasks(t, [heavy!], 12_000, today);
    await bulkTasks(t, [heavy!], 8_000, plusDays(today, 1));
    const meter = parameterMeter();

    const result = await scanReminders({ ...jobDeps(t), database: watchedDatabase(t, meter.watch) }, at(`${today}T08:00`, "UTC"));

    expect(result).toMatchObject({ usersScanned: 1, emailsQueued: 1, more: false });
    expect(meter.maxParams).toBeLessThanOrEqual(12);
    const [digest, ...others] = await outboxOf(t, heavy!);
    expect(others).toEqual([]);
    expect(digest!.subject).toBe("12,000 due today, 12,000 overdue, 8,000 due soon");
    // The 20 shown: overdue first, urgent first within it; only they are recorded and signed.
    const items = await itemsOf(t, [digest!.id]);
    expect(items).toHaveLength(20);
    expect(new Set(items.map((i) => i.grp))).toEqual(new Set(["overdue"]));
    const shown = await t.database.db.select().from(tasks).where(inArray(tasks.id, items.map((i) => i.taskId)));
    expect(shown.every((task) => task.priority === "urgent" && task.dueDate === plusDays(today, -1))).toBe(true);
    expect(digest!.textBody.match(/Mark done: /g)).toHaveLength(20);
    expect(digest!.htmlBody.match(/>Mark done</g)).toHaveLength(20);
    const list = `${APP_URL}/tasks?status=todo&status=in_progress&due=overdue&sort=priority`;
    expect(digest!.textBody).toContain(`…and 31,980 more. See all overdue tasks: ${list}`);
    expect(digest!.htmlBody).toContain(`…and 31,980 more. <a href="${list.replace(/&/g, "&amp;")}">See all overdue tasks</a>`);
  });

  it("a batch of 1,100 users with 20 tasks due each (22,000 items) queues every digest in one batch", { timeout: BIG }, async () => {
    const today = nextRange();
    const crowd = await bulkUsers(t, 1_100, { timezone: "Europe/Berlin" });
    await bulkTasks(t, crowd, 20, today, "Europe/Berlin");
    const meter = parameterMeter();

    const result = await scanReminders({ ...jobDeps(t), database: watchedDatabase(t, meter.watch) }, at(`${today}T09:00`, "Europe/Berlin"), {
      batchSize: 1_100,
    });

    expect(result).toMatchObject({ usersScanned: 1_100, emailsQueued: 1_100, more: false, batches: 1 });
    // Emails go 1,000 rows (10 parameters each) per statement; everything else in one parameter.
    expect(meter.maxParams).toBeLessThanOrEqual(10_002);
    const rows = await outboxOf(t, ...crowd);
    expect(rows.map((r) => r.userId).sort()).toEqual([...crowd].sort());
    expect(new Set(rows.map((r) => r.subject))).toEqual(new Set(["20 due today"]));
    expect(rows.every((r) => r.localDate === today && (r.textBody.match(/Mark done: /g) ?? []).length === 20)).toBe(true);
    expect(rows.some((r) => r.textBody.includes("more."))).toBe(false);
    expect(await itemCount(crowd)).toBe(22_000);
  });

  it("per-task delivery sends one email per task, but a digest on a day with more than 20", { timeout: BIG }, async () => {
    const today = nextRange();
    const [few, many] = await Promise.all([bulkUsers(t, 1, { delivery: "per_task" }), bulkUsers(t, 1, { delivery: "per_task" })]);
    await bulkTasks(t, few!, 3, today);
    await bulkTasks(t, many!, 25, today);

    await scanReminders(jobDeps(t), at(`${today}T08:00`, "UTC"));

    const fewRows = await outboxOf(t, ...few!);
    expect(fewRows.map((r) => r.kind)).toEqual(["task", "task", "task"]);
    const manyRows = await outboxOf(t, ...many!);
    expect(manyRows.map((r) => [r.kind, r.subject])).toEqual([["digest", "25 due today"]]);
    // That digest names all 25 (PER_TASK_DIGEST_LIMIT): each task its owner asked to hear of.
    expect(manyRows[0]!.textBody.match(/Mark done: /g)).toHaveLength(25);
    expect(manyRows[0]!.textBody).not.toContain("more.");
  });

  it("1,200 per-task emails in one batch go 1,000 to a statement", { timeout: BIG }, async () => {
    const today = nextRange();
    const people = await bulkUsers(t, 60, { delivery: "per_task" });
    await bulkTasks(t, people, 20, today);
    const meter = parameterMeter();

    const result = await scanReminders({ ...jobDeps(t), database: watchedDatabase(t, meter.watch) }, at(`${today}T08:00`, "UTC"), { batchSize: 60 });

    expect(result).toMatchObject({ usersScanned: 60, emailsQueued: 1_200, batches: 1 });
    expect(meter.maxParams).toBeLessThanOrEqual(10_002);
    expect((await outboxOf(t, ...people)).filter((r) => r.kind === "task")).toHaveLength(1_200);
    expect(await itemCount(people)).toBe(1_200);
  });
});

describe("each batch in one transaction", () => {
  // A statement that fails as a dropped connection would, once; everything else goes through.
  function crashOn(pattern: RegExp, occurrence: number) {
    let seen = 0;
    return watchedDatabase(t, (query) => {
      if (pattern.test(query) && ++seen === occurrence) throw new Error("connection terminated unexpectedly");
    });
  }

  it.each([
    ["the tasks it names, just after the emails", /insert into reminder_items/],
    ["the scan markers, its first write (before the emails)", /insert into reminder_scans/],
  ])("a crash writing %s leaves earlier batches whole, the failed one absent, and the next run completes it", { timeout: BIG }, async (_what, statement) => {
    const today = nextRange();
    const people = await Promise.all(Array.from({ length: 4 }, () => makeUser(t)));
    for (const p of people) {
      await addTask(t, p, { dueDate: today });
      await addTask(t, p, { dueDate: plusDays(today, -3) });
    }
    const ids = people.map((p) => p.id).sort();
    const now = at(`${today}T08:00`, "UTC");

    // Batches of two: the first commits, the second fails on its second write (a third, started
    // while the second was being written, finds nobody left).
    await expect(scanReminders({ ...jobDeps(t), database: crashOn(statement, 2) }, now, { batchSize: 2 })).rejects.toThrow();

    const first = ids.slice(0, 2);
    const rest = ids.slice(2);
    expect((await outboxOf(t, ...first)).map((r) => r.userId).sort()).toEqual(first);
    expect(await itemCount(first)).toBe(4);
    // Nothing of the failed batch: no email, no item, no marker.
    expect(await outboxOf(t, ...rest)).toEqual([]);
    expect(await markersOf(rest, today)).toEqual([]);

    const again = await scanReminders(jobDeps(t), now, { batchSize: 2 });
    expect(again.emailsQueued).toBe(2);
    const rows = await outboxOf(t, ...ids);
    expect(rows.map((r) => r.userId).sort()).toEqual(ids);
    expect(new Set(rows.map((r) => r.subject))).toEqual(new Set(["1 due today, 1 overdue"]));
    expect(await itemCount(ids)).toBe(8);
  });
});

describe("one slot rule", () => {
  it("the scan's SQL reminds exactly the tasks slotOn names, and the task page's next reminder agrees", { timeout: BIG }, async () => {
    const today = nextRange();
    const prefs = [
      { leadDays: [2, 1], overdueReminders: true },
      { leadDays: [7, 3], overdueReminders: true },
      { leadDays: [], overdueReminders: false },
      { leadDays: [7, 6, 5, 4, 3, 2, 1], overdueReminders: false },
    ];
    const offsets = Array.from({ length: 48 }, (_, i) => i - 38); // 38 days late … 9 days ahead
    const people = [];
    for (const p of prefs) {
      const user = await makeUser(t, { ...p, timezone: "America/New_York", reminderDelivery: "per_task" });
      const byDate = new Map<string, string>();
      for (const offset of offsets) {
        const dueDate = plusDays(today, offset);
        byDate.set((await addTask(t, user, { dueDate, dueTime: offset % 2 ? "07:30" : undefined })).id, dueDate);
      }
      people.push({ user, prefs: p, byDate });
    }
    const now = at(`${today}T08:00`, "America/New_York");
    const before = at(`${today}T07:59`, "America/New_York");

    await scanReminders(jobDeps(t), now);

    for (const { user, prefs: p, byDate } of people) {
      const rows = await outboxOf(t, user.id);
      const items = await itemsOf(t, rows.map((r) => r.id));
      const reminded = items.map((i) => [byDate.get(i.taskId), i.slot]).sort();
      const expected = [...byDate.values()].flatMap((d) => {
        const slot = slotOn(d, today, p);
        return slot ? [[d, slot.name]] : [];
      });
      expect(reminded, JSON.stringify(p)).toEqual(expected.sort());
      // A minute before the hour, the task page promises today's reminder for exactly these tasks.
      const promised = [...byDate.values()].filter((d) => nextReminder(d, before, { ...p, timezone: "America/New_York", reminderHour: 8 })?.date === today);
      expect(promised.sort(), JSON.stringify(p)).toEqual(expected.map(([d]) => d).sort());
    }
  });
});
