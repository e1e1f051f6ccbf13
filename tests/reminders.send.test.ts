import { describe, expect, it } from "vitest";
import { readActionToken, readUnsubscribeToken } from "../src/email/links.js";
import { emailSigner } from "../src/email/signing-key.js";
import { scanReminders } from "../src/reminders/scan.js";
import { sendPending } from "../src/reminders/send.js";
import { addTask, at, dateRanges, inbox, itemsOf, jobDeps, makeUser, outboxOf, plusDays, type FixtureUser } from "./support/reminder-jobs.js";
import { decode } from "./support/tasks.js";
import { APP_URL, makeTestApp, textOf } from "./support/test-app.js";

// What arrives in the inbox: the daily digest and per-task emails, as the dev mailer keeps them.
const t = await makeTestApp();
const deps = jobDeps(t);
const nextRange = dateRanges("2031-04-10", 120);

/** One scan then one send at `now`, sending only rows of these users. */
async function runAndSend(now: Date, ...users: FixtureUser[]) {
  t.clock.set(now); // the dev mailer stamps mail with the app clock
  await scanReminders(deps, now);
  const ids = (await outboxOf(t, ...users.map((u) => u.id))).filter((r) => r.status === "pending").map((r) => r.id);
  return sendPending(deps, now, { ids });
}

/** The HTML between one <h2> and the next (or the end of the list of sections). */
function htmlSection(html: string, title: string): string {
  const start = html.indexOf(`<h2>${title}</h2>`);
  if (start < 0) return "";
  const next = html.indexOf("<h2>", start + 1);
  return html.slice(start, next < 0 ? html.indexOf("<hr", start) : next);
}

/** The lines of the text part between a heading line and the next heading (or the footer). */
function textSection(text: string, heading: string): string {
  const lines = text.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) return "";
  let end = start + 1;
  while (end < lines.length && !/^[A-Z][A-Z ]+$/.test(lines[end]!) && !lines[end]!.startsWith("Reminder settings:")) end++;
  return lines.slice(start, end).join("\n");
}

describe("the daily digest", () => {
  it("arrives once with counts in the subject, tasks grouped overdue / today / soon, in the user's zone, with working links", async () => {
    const today = nextRange();
    expect(today).toBe("2031-04-10"); // a Thursday, as the dates below say
    const user = await makeUser(t, { name: "Ada", timezone: "Asia/Tokyo", reminderHour: 9 });
    const rent = await addTask(t, user, { title: "Pay rent", dueDate: plusDays(today, -1), priority: "high" });
    const report = await addTask(t, user, { title: "Submit report", dueDate: today, dueTime: "17:00", priority: "urgent" });
    const bank = await addTask(t, user, { title: "Call the bank <today> & co", dueDate: today, priority: "low" });
    const flights = await addTask(t, user, { title: "Book flights", dueDate: plusDays(today, 2) });
    await addTask(t, user, { title: "Not yet", dueDate: plusDays(today, 4) });

    await runAndSend(at(`${today}T09:00`, "Asia/Tokyo"), user);

    const mail = await inbox(t, user.email);
    expect(mail).toHaveLength(1);
    const { subject, htmlBody: html, textBody: text } = mail[0]!;
    expect(subject).toBe("2 due today, 1 overdue, 1 due soon");

    // HTML part: three sections in order, each task under its own.
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html.indexOf("<h2>Overdue</h2>")).toBeLessThan(html.indexOf("<h2>Due today</h2>"));
    expect(html.indexOf("<h2>Due today</h2>")).toBeLessThan(html.indexOf("<h2>Due soon</h2>"));
    const overdue = textOf(htmlSection(html, "Overdue"));
    const dueToday = textOf(htmlSection(html, "Due today"));
    const soon = textOf(htmlSection(html, "Due soon"));
    expect(overdue).toContain("Pay rent [High priority] Due Wed 9 Apr 2031 (overdue by 1 day)");
    // 17:00 in Tokyo, not 08:00 UTC; eight hours after the 09:00 digest.
    expect(dueToday).toContain("Submit report [Urgent priority] Due Thu 10 Apr 2031, 17:00 (today, in 8 hours)");
    expect(dueToday).toContain("Call the bank <today> & co [Low priority] Due Thu 10 Apr 2031 (today)");
    expect(soon).toContain("Book flights [Medium priority] Due Sat 12 Apr 2031 (in 2 days)");
    expect(textOf(html)).not.toContain("Not yet");
    expect(html).toContain("Call the bank &lt;today&gt; &amp; co");

    // Plain-text part: the same groups and facts.
    const textOverdue = textSection(text, "OVERDUE");
    const textToday = textSection(text, "DUE TODAY");
    const textSoon = textSection(text, "DUE SOON");
    expect(textOverdue).toContain("- Pay rent [High priority]\n  Due Wed 9 Apr 2031 (overdue by 1 day)");
    expect(textToday).toContain("- Submit report [Urgent priority]\n  Due Thu 10 Apr 2031, 17:00 (today, in 8 hours)");
    expect(textToday).toContain("- Call the bank <today> & co [Low priority]");
    expect(textSoon).toContain("- Book flights [Medium priority]\n  Due Sat 12 Apr 2031 (in 2 days)");
    expect(text).not.toContain("Not yet");
    expect(text).toContain("Hello Ada,");

    // Every task links to its page, and carries Mark done / Move to tomorrow links for itself.
    const signer = await emailSigner(t.database.db, undefined);
    for (const task of [rent, report, bank, flights]) {
      expect(html).toContain(`href="${APP_URL}/tasks/${task.id}"`);
      expect(text).toContain(`Open: ${APP_URL}/tasks/${task.id}`);
      const done = text.match(new RegExp(`Open: ${APP_URL}/tasks/${task.id}\\n  Mark done: (\\S+)\\n  Move to tomorrow: (\\S+)`));
      expect(done, task.title).not.toBeNull();
      for (const [link, action] of [[done![1]!, "done"], [done![2]!, "tomorrow"]] as const) {
        expect(link.startsWith(`${APP_URL}/email/action?token=`)).toBe(true);
        expect(html).toContain(`href="${link}"`);
        const claims = await readActionToken(signer, new URL(link).searchParams.get("token")!, t.clock.now());
        expect(claims).toMatchObject({ ok: true, action, taskId: task.id, userId: user.id });
      }
    }
    expect(textOf(html)).toContain("Mark done · Move to tomorrow");

    // Unsubscribe: in both parts and in the List-Unsubscribe header, for this user.
    const unsubscribe = text.match(/Unsubscribe from reminders: (\S+)/)![1]!;
    expect(unsubscribe.startsWith(`${APP_URL}/email/unsubscribe?token=`)).toBe(true);
    expect(decode(html)).toContain(`href="${unsubscribe}"`);
    expect(await readUnsubscribeToken(signer, new URL(unsubscribe).searchParams.get("token")!)).toEqual({ userId: user.id });
    expect(mail[0]!.headers).toEqual([
      { Name: "List-Unsubscribe", Value: `<${unsubscribe}>` },
      { Name: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click" },
    ]);
  });

  it("says so in the subject when only overdue tasks are due, and comes at most once a day", async () => {
    const today = nextRange();
    const user = await makeUser(t);
    await addTask(t, user, { title: "Late one", dueDate: plusDays(today, -3) });
    await addTask(t, user, { title: "Later one", dueDate: plusDays(today, -7) });
    await addTask(t, user, { title: "Forgotten one", dueDate: plusDays(today, -30) });

    for (const hour of ["08:00", "09:00", "15:00", "23:30"]) await runAndSend(at(`${today}T${hour}`, "UTC"), user);

    const mail = await inbox(t, user.email);
    expect(mail.map((m) => m.subject)).toEqual(["3 overdue"]);
    expect(mail[0]!.textBody).toContain("overdue by 3 days");
    expect(mail[0]!.textBody).toContain("overdue by 7 days");
    // The 30-day one is the last reminder it will ever get, and the digest says so, for it alone.
    expect(mail[0]!.textBody).toContain("- Forgotten one [Medium priority]\n  Due");
    expect(mail[0]!.textBody.match(/This is the last reminder for it/g)).toHaveLength(1);
    expect(textOf(mail[0]!.htmlBody)).toMatch(/Forgotten one .*overdue by 30 days\) This is the last reminder for it/);

    // The next day none is on its cadence (4, 8 and 31 days late): nothing.
    for (const hour of ["08:00", "20:00"]) await runAndSend(at(`${plusDays(today, 1)}T${hour}`, "UTC"), user);
    expect(await inbox(t, user.email)).toHaveLength(1);
  });

  it("puts a task due earlier today under Overdue once its moment has passed", async () => {
    const today = nextRange();
    const user = await makeUser(t, { reminderHour: 10 });
    await addTask(t, user, { title: "Morning stand-up notes", dueDate: today, dueTime: "09:00" });
    await runAndSend(at(`${today}T10:00`, "UTC"), user);
    const [mail] = await inbox(t, user.email);
    expect(mail!.subject).toBe("1 overdue");
    expect(textOf(htmlSection(mail!.htmlBody, "Overdue"))).toContain("Morning stand-up notes");
    expect(mail!.textBody).toContain("(overdue by 1 hour)");
  });
});

describe("per-task delivery", () => {
  it("sends one email per task and reminder, and a second run the same day adds none", async () => {
    const today = nextRange();
    const user = await makeUser(t, { reminderDelivery: "per_task" });
    const due = await addTask(t, user, { title: "Water the plants", dueDate: today });
    const soon = await addTask(t, user, { title: "Buy a gift", dueDate: plusDays(today, 1) });
    const late = await addTask(t, user, { title: "Return the book", dueDate: plusDays(today, -1) });

    await runAndSend(at(`${today}T08:00`, "UTC"), user);
    await runAndSend(at(`${today}T08:30`, "UTC"), user);
    await runAndSend(at(`${today}T17:00`, "UTC"), user);

    const mail = await inbox(t, user.email);
    expect(mail.map((m) => m.subject).sort()).toEqual([
      "Overdue: Return the book (overdue by 1 day)",
      "Reminder: Buy a gift (tomorrow)",
      "Reminder: Water the plants (today)",
    ]);
    for (const [m, task] of [
      [mail.find((x) => x.subject.includes("plants"))!, due],
      [mail.find((x) => x.subject.includes("gift"))!, soon],
      [mail.find((x) => x.subject.includes("book"))!, late],
    ] as const) {
      // Each email is about its one task only.
      expect(m.textBody.match(/Open: /g)).toHaveLength(1);
      expect(m.textBody).toContain(`${APP_URL}/tasks/${task.id}`);
      expect(m.htmlBody).toContain("Unsubscribe from reminders");
    }
    const rows = await outboxOf(t, user.id);
    expect(rows.every((r) => r.kind === "task")).toBe(true);
    expect((await itemsOf(t, rows.map((r) => r.id))).map((i) => i.slot).sort()).toEqual(["due", "late-1", "lead-1"]);

    // The next day brings each task's next reminder: due → late-1, lead-1 → due; late-2 is not a slot.
    await runAndSend(at(`${plusDays(today, 1)}T08:00`, "UTC"), user);
    await runAndSend(at(`${plusDays(today, 1)}T09:00`, "UTC"), user);
    const next = (await inbox(t, user.email)).slice(3).map((m) => m.subject).sort();
    expect(next).toEqual(["Overdue: Water the plants (overdue by 1 day)", "Reminder: Buy a gift (today)"]);
  });
});
