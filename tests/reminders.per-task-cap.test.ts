import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { reminderScans, tasks } from "../src/db/schema.js";
import { emailSigner } from "../src/email/signing-key.js";
import { PER_TASK_DIGEST_LIMIT, PER_TASK_LIMIT, queueBatch, readBatch, scanReminders } from "../src/reminders/scan.js";
import { addTask, at, dateRanges, itemsOf, jobDeps, makeUser, outboxOf, plusDays, type FixtureUser } from "./support/reminder-jobs.js";
import { bulkTasks, bulkUsers, parameterMeter, watchedDatabase } from "./support/reminder-scale.js";
import { makeTestApp } from "./support/test-app.js";

// "Per-task reminder mails fall back to the digest past 20 in one day" (#11). Dates from 2050 on,
// which no other file uses, so on the shared PostgreSQL no other file's run reminds these users.
const t = await makeTestApp();
const nextRange = dateRanges("2050-03-01", 120);
const FIRST_USER = "00000000-0000-0000-0000-000000000000";
const BIG = 120_000;

/** `count` open tasks of `user` due on `dueDate`, with distinct titles. */
async function tasksDue(user: FixtureUser, count: number, dueDate: string, label = "Task") {
  const made = [];
  for (let i = 1; i <= count; i++) made.push(await addTask(t, user, { title: `${label} ${i} ${dueDate}`, dueDate }));
  return made;
}

/** The emails of a user's local day, and the tasks each names. */
async function day(user: FixtureUser, localDate: string) {
  const rows = (await outboxOf(t, user.id)).filter((r) => r.localDate === localDate);
  const items = await itemsOf(t, rows.map((r) => r.id));
  return { rows, kinds: rows.map((r) => r.kind), named: new Set(items.map((i) => i.taskId)), items };
}

describe("per-task delivery on a busy day", () => {
  it(`${PER_TASK_LIMIT} tasks to remind of: ${PER_TASK_LIMIT} emails, one per task`, async () => {
    const today = nextRange();
    const user = await makeUser(t, { reminderDelivery: "per_task" });
    const due = await tasksDue(user, PER_TASK_LIMIT, today);

    await scanReminders(jobDeps(t), at(`${today}T08:00`, "UTC"));

    const { rows, kinds, items } = await day(user, today);
    expect(kinds).toEqual(Array(PER_TASK_LIMIT).fill("task"));
    // Each email names its own task, and each task is named once.
    expect(items.map((i) => i.taskId).sort()).toEqual(due.map((d) => d.id).sort());
    expect(new Set(items.map((i) => i.outboxId)).size).toBe(PER_TASK_LIMIT);
    expect(rows.every((r) => r.subject.startsWith("Reminder: Task "))).toBe(true);
  });

  it(`${PER_TASK_LIMIT + 1} tasks (overdue, due today and soon): one digest naming all ${PER_TASK_LIMIT + 1}, and no per-task email`, async () => {
    const today = nextRange();
    const user = await makeUser(t, { reminderDelivery: "per_task" });
    const late = await tasksDue(user, 7, plusDays(today, -1), "Late");
    const now = await tasksDue(user, 7, today, "Now");
    const soon = await tasksDue(user, 7, plusDays(today, 1), "Soon");

    await scanReminders(jobDeps(t), at(`${today}T08:00`, "UTC"));

    const { rows, kinds, named } = await day(user, today);
    expect(kinds).toEqual(["digest"]);
    const digest = rows[0]!;
    expect(digest.subject).toBe("7 due today, 7 overdue, 7 due soon");
    expect(named).toEqual(new Set([...late, ...now, ...soon].map((task) => task.id)));
    for (const task of [...late, ...now, ...soon]) expect(digest.textBody).toContain(`- ${task.title} [`);
    expect(digest.textBody.match(/Mark done: /g)).toHaveLength(21);
    expect(digest.htmlBody.match(/>Mark done</g)).toHaveLength(21);
    expect(digest.textBody).not.toContain("more.");
  });

  it(`past ${PER_TASK_DIGEST_LIMIT} tasks the digest names the ${PER_TASK_DIGEST_LIMIT} most urgent and links to the rest`, async () => {
    const today = nextRange();
    const user = await makeUser(t, { reminderDelivery: "per_task" });
    await tasksDue(user, PER_TASK_DIGEST_LIMIT + 5, today);

    await scanReminders(jobDeps(t), at(`${today}T08:00`, "UTC"));

    const { rows, kinds, named } = await day(user, today);
    expect(kinds).toEqual(["digest"]);
    expect(rows[0]!.subject).toBe(`${PER_TASK_DIGEST_LIMIT + 5} due today`);
    expect(named.size).toBe(PER_TASK_DIGEST_LIMIT);
    expect(rows[0]!.textBody).toContain("…and 5 more. See all tasks due today:");
  });

  it("a digest reader with the same day is unaffected: one digest of the 20 most urgent, and the rest linked", async () => {
    const today = nextRange();
    const user = await makeUser(t, { reminderDelivery: "digest" });
    await tasksDue(user, PER_TASK_LIMIT + 1, today);

    await scanReminders(jobDeps(t), at(`${today}T08:00`, "UTC"));

    const { rows, kinds, named } = await day(user, today);
    expect(kinds).toEqual(["digest"]);
    expect(rows[0]!.subject).toBe("21 due today");
    expect(named.size).toBe(20);
    expect(rows[0]!.textBody).toContain("…and 1 more. See all tasks due today:");
  });
});

describe("one decision a day, never both", () => {
  it("tasks falling due after the day's run add nothing that day: no digest follows the per-task emails; the next day decides afresh", async () => {
    const today = nextRange();
    const user = await makeUser(t, { reminderDelivery: "per_task" });
    await tasksDue(user, PER_TASK_LIMIT, today, "Early");
    await scanReminders(jobDeps(t), at(`${today}T08:00`, "UTC"));
    expect((await day(user, today)).kinds).toEqual(Array(PER_TASK_LIMIT).fill("task"));

    await tasksDue(user, 5, today, "Later");
    for (const hour of ["09:00", "13:00", "23:00"]) await scanReminders(jobDeps(t), at(`${today}T${hour}`, "UTC"));
    expect((await day(user, today)).kinds).toEqual(Array(PER_TASK_LIMIT).fill("task"));

    // The next day all 25 are a day late: more than 20, so one digest names them all.
    const tomorrow = plusDays(today, 1);
    await scanReminders(jobDeps(t), at(`${tomorrow}T08:00`, "UTC"));
    const next = await day(user, tomorrow);
    expect(next.kinds).toEqual(["digest"]);
    expect(next.named.size).toBe(25);
  });

  it.each([
    ["20 read first (per-task emails), 21 by the overlapping run (a digest)", 20, +1],
    ["21 read first (a digest), 20 by the overlapping run (per-task emails)", 21, -1],
  ])("overlapping runs that read the same day differently queue only the first one's: %s", async (_case, first, change) => {
    const today = nextRange();
    const user = await makeUser(t, { reminderDelivery: "per_task" });
    const due = await tasksDue(user, first, today);
    const now = at(`${today}T08:00`, "UTC");
    const signer = await emailSigner(t.database.db, undefined);
    const mine = async () => {
      const read = await readBatch(t.database.db, now, FIRST_USER, 1000);
      return { ...read, users: read.users.filter((u) => u.id === user.id) };
    };

    // Run A reads the day; a task is added or done; run B reads before A has written anything.
    const readA = await mine();
    if (change > 0) await addTask(t, user, { title: "One more", dueDate: today });
    else await t.database.db.update(tasks).set({ status: "done", completedAt: now }).where(eq(tasks.id, due[0]!.id));
    const readB = await mine();
    expect([readA.users.length, readB.users.length]).toEqual([1, 1]);

    const queuedA = await queueBatch(jobDeps(t), signer, t.database.db, readA, now);
    const queuedB = await queueBatch(jobDeps(t), signer, t.database.db, readB, now);

    expect(queuedB).toEqual([]);
    const { kinds } = await day(user, today);
    expect(kinds).toEqual(first > PER_TASK_LIMIT ? ["digest"] : Array(first).fill("task"));
    expect(queuedA).toHaveLength(kinds.length);
  });
});

describe("at scale", () => {
  it("300 per-task users past the limit in one batch: one transaction, no statement near the parameter limit", { timeout: BIG }, async () => {
    const today = nextRange();
    const people = await bulkUsers(t, 300, { delivery: "per_task" });
    await bulkTasks(t, people, PER_TASK_DIGEST_LIMIT + 5, today);
    const meter = parameterMeter();

    const result = await scanReminders({ ...jobDeps(t), database: watchedDatabase(t, meter.watch) }, at(`${today}T08:00`, "UTC"), { batchSize: 300 });

    expect(result).toMatchObject({ usersScanned: 300, emailsQueued: 300, batches: 1, more: false });
    expect(meter.maxParams).toBeLessThanOrEqual(10_002);
    const rows = await outboxOf(t, ...people);
    expect(rows.every((r) => r.kind === "digest")).toBe(true);
    expect((await itemsOf(t, rows.map((r) => r.id))).length).toBe(300 * PER_TASK_DIGEST_LIMIT);
    expect(await t.database.db.select().from(reminderScans).where(and(inArray(reminderScans.userId, people), eq(reminderScans.localDate, today)))).toHaveLength(300);
  });

  it("a crash writing the digests leaves no scan marker, so the next run sends the day's digest", { timeout: BIG }, async () => {
    const today = nextRange();
    const user = await makeUser(t, { reminderDelivery: "per_task" });
    await tasksDue(user, PER_TASK_LIMIT + 1, today);
    const now = at(`${today}T08:00`, "UTC");
    const crashing = watchedDatabase(t, (query) => {
      if (/insert into reminder_outbox/.test(query)) throw new Error("connection terminated unexpectedly");
    });

    await expect(scanReminders({ ...jobDeps(t), database: crashing }, now)).rejects.toThrow();
    expect(await t.database.db.select().from(reminderScans).where(eq(reminderScans.userId, user.id))).toEqual([]);
    expect((await day(user, today)).kinds).toEqual([]);

    await scanReminders(jobDeps(t), now);
    const { kinds, named } = await day(user, today);
    expect(kinds).toEqual(["digest"]);
    expect(named.size).toBe(21);
  });
});
