import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { MAX_TASKS_PER_USER } from "../src/db/task-cap.js";
import { reminderItems, reminderOutbox, tasks, userTaskCounts, users } from "../src/db/schema.js";
import { bulkTasks, countOf, person, titlesCsv, upload } from "./support/transfer.js";
import { insertTasks } from "./support/tasks.js";
import { makeTestApp } from "./support/test-app.js";

// The 10,000-task cap reads user_task_counts, which triggers keep (migration 0006), and a
// deleted task's reminder history goes with it through a trigger (also 0006): these hold the
// counter to the real number of tasks and the history to the tasks that exist.

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });

async function counter(userId: string): Promise<number> {
  const [row] = await t.database.db.select({ n: sql<number>`coalesce(sum(${userTaskCounts.n}), 0)::int` }).from(userTaskCounts).where(eq(userTaskCounts.userId, userId));
  return Number(row!.n);
}

describe("the task counter behind the cap", () => {
  it("follows every way tasks come and go: the form, a bulk insert, an import, deleting one, deleting many", async () => {
    const who = await person(t);
    expect(await counter(who.userId)).toBe(0);
    const id = await who.browser.createTask({ title: "Counted once" });
    await bulkTasks(t, who.userId, 250);
    expect((await upload(who.browser, titlesCsv(30))).status).toBe(200);
    expect(await counter(who.userId)).toBe(281);
    expect(await counter(who.userId)).toBe(await countOf(t, who.userId));

    expect((await who.browser.post(`/tasks/${id}/delete`)).status).toBe(303);
    await t.database.db.execute(sql`delete from tasks where user_id = ${who.userId} and title like 'Bulk 1%'`);
    expect(await counter(who.userId)).toBe(await countOf(t, who.userId));
    expect(await countOf(t, who.userId)).toBeLessThan(280);
  });

  it("keeps each person's count apart when one statement writes tasks for several people", async () => {
    const [a, b] = [await person(t), await person(t)];
    await t.database.db.execute(sql`insert into tasks (user_id, title, created_at, updated_at)
      select u, 'Shared statement ' || g, now(), now() from unnest(array[${a.userId}, ${b.userId}, ${b.userId}]::uuid[]) u, generate_series(1, 2) g`);
    expect([await counter(a.userId), await counter(b.userId)]).toEqual([2, 4]);
  });

  it("lets a person at the cap add again once they delete a task", async () => {
    const who = await person(t);
    await bulkTasks(t, who.userId, MAX_TASKS_PER_USER);
    expect((await who.browser.post("/tasks", { title: "One too many" })).status).toBe(422);
    const [oldest] = await t.database.db.select({ id: tasks.id }).from(tasks).where(eq(tasks.userId, who.userId)).limit(1);
    expect((await who.browser.post(`/tasks/${oldest!.id}/delete`)).status).toBe(303);
    expect((await who.browser.post("/tasks", { title: "Room again" })).status).toBe(303);
    expect((await who.browser.post("/tasks", { title: "And full again" })).status).toBe(422);
    expect(await counter(who.userId)).toBe(MAX_TASKS_PER_USER);
  });

  it("goes with the account: deleting a person with tasks leaves no counter behind", async () => {
    const who = await person(t);
    await bulkTasks(t, who.userId, 3);
    await t.database.db.delete(users).where(eq(users.id, who.userId));
    expect(await counter(who.userId)).toBe(0);
    expect(await t.database.db.select().from(userTaskCounts).where(eq(userTaskCounts.userId, who.userId))).toEqual([]);
  });
});

describe("a deleted task's reminder history", () => {
  it("is deleted with the task, and the email it was part of keeps the other tasks' lines", async () => {
    const who = await person(t);
    const [gone, kept] = await insertTasks(t, who.userId, [{ title: "Deleted later" }, { title: "Stays" }]);
    const [mail] = await t.database.db
      .insert(reminderOutbox)
      .values({
        userId: who.userId,
        kind: "digest",
        dedupeKey: `digest:${who.userId}:2026-06-15`,
        localDate: "2026-06-15",
        nextAttemptAt: t.clock.now(),
        expiresAt: t.clock.now(),
        toAddress: who.email,
        subject: "Today",
        htmlBody: "",
        textBody: "",
        unsubscribeUrl: "",
        createdAt: t.clock.now(),
      })
      .returning();
    await t.database.db.insert(reminderItems).values([
      { outboxId: mail!.id, taskId: gone!.id, grp: "today", slot: "due" },
      { outboxId: mail!.id, taskId: kept!.id, grp: "today", slot: "due" },
    ]);
    expect((await who.browser.post(`/tasks/${gone!.id}/delete`)).status).toBe(303);
    const left = await t.database.db.select({ taskId: reminderItems.taskId }).from(reminderItems).where(eq(reminderItems.outboxId, mail!.id));
    expect(left.map((r) => r.taskId)).toEqual([kept!.id]);
  });
});
