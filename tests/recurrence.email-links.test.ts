import { describe, expect, it } from "vitest";
import { onlyMail, person, runJobs, taskLink } from "./support/reminder-mail.js";
import { dbTask } from "./support/tasks.js";
import { makeTestApp, textOf } from "./support/test-app.js";

// A reminder email's "Mark done" and "Move to tomorrow" act on the occurrence the email was about:
// once a repeating task has moved on, an old email's links change nothing.

const t = await makeTestApp({ now: "2026-03-02T07:00:00Z" });

async function dailyTask() {
  const who = await person(t, "UTC");
  const add = await who.browser.post("/tasks/quick", { text: "Take the pills every day 9am" });
  expect(add.status).toBe(303);
  const list = await (await who.browser.get("/today")).text();
  const id = list.match(/<li id="task-([0-9a-f-]{36})"/)?.[1];
  expect(id, "the task on Today").toBeTruthy();
  return { ...who, id: id! };
}

describe("an old reminder email of a repeating task", () => {
  it("completes the occurrence it was about, and refuses once that occurrence is done, leaving the next one alone", async () => {
    const who = await dailyTask();
    expect((await dbTask(t, who.id))!.dueDate).toBe("2026-03-02");
    t.clock.set(new Date("2026-03-02T08:05:00Z"));
    await runJobs(t);
    const mail = await onlyMail(who.browser);
    const done = taskLink(mail, who.id, "Mark done");
    const tomorrow = taskLink(mail, who.id, "Move to tomorrow");

    // The person completes today's pills in the app; the email stays in their inbox.
    expect((await who.browser.post(`/tasks/${who.id}/complete`)).status).toBe(303);
    const moved = (await dbTask(t, who.id))!;
    expect([moved.dueDate, moved.occurrence]).toEqual(["2026-03-03", 2]);

    for (const link of [done, tomorrow]) {
      const page = await who.browser.get(link);
      expect(page.status).toBe(409);
      expect(textOf(await page.text())).toContain("This reminder is out of date");
      const token = new URL(link, "http://x").searchParams.get("token")!;
      const post = await who.browser.post("/email/action", { token });
      expect(post.status).toBe(409);
      expect(textOf(await post.text())).toContain("It is now due Tue 3 Mar 2026. Nothing was changed.");
    }
    expect(await dbTask(t, who.id)).toEqual(moved);
  });

  it("still completes the current occurrence from its own email, moving the task on once", async () => {
    const who = await dailyTask();
    t.clock.set(new Date("2026-03-02T08:05:00Z"));
    await runJobs(t);
    const token = new URL(taskLink(await onlyMail(who.browser), who.id, "Mark done"), "http://x").searchParams.get("token")!;
    const res = await who.browser.post("/email/action", { token });
    expect(res.status).toBe(200);
    expect(textOf(await res.text())).toContain("“Take the pills” done; next on");
    const after = (await dbTask(t, who.id))!;
    expect([after.dueDate, after.occurrence, after.status]).toEqual(["2026-03-03", 2, "todo"]);
    // The link works once.
    expect((await who.browser.post("/email/action", { token })).status).toBe(409);
    expect((await dbTask(t, who.id))!.occurrence).toBe(2);
  });
});
