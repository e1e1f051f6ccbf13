import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { reminderOutbox, users } from "../src/db/schema.js";
import { createPostmarkMailer } from "../src/email/postmark-mailer.js";
import { sendPending } from "../src/reminders/send.js";
import { location } from "./support/auth-helpers.js";
import { checkedValues, isChecked, mailbox, nextReminderText, onlyMail, openMail, person, runJobs, addTask } from "./support/reminder-mail.js";
import { formValue } from "./support/tasks.js";
import { APP_URL, makeTestApp, textOf, type Browser } from "./support/test-app.js";

const t = await makeTestApp({ now: "2021-06-14T12:00:00Z" });
// The same app, but sending through Postmark (a closed port: nothing is ever sent in these tests).
const postmark = await makeTestApp({ now: "2021-06-14T12:00:00Z", mailer: () => createPostmarkMailer({ serverToken: "x", apiUrl: "http://127.0.0.1:9" }) });
const PAUSE = "Postmark reported your address as inactive (a hard bounce or a spam complaint), so reminders are paused.";

async function settingsPage(browser: Browser) {
  const res = await browser.get("/settings");
  expect(res.status).toBe(200);
  return res.text();
}

/** What the settings page shows for reminders, as a person reads it. */
function shownPrefs(html: string) {
  return {
    reminders: isChecked(html, "reminders", "on"),
    hour: formValue(html, "reminder_hour"),
    leadDays: checkedValues(html, "lead_days"),
    overdue: isChecked(html, "overdue", "on"),
    delivery: checkedValues(html, "delivery"),
  };
}

const fullForm = (over: Record<string, string | string[]> = {}) => ({
  name: "Grace Hopper",
  timezone: "Europe/Paris",
  reminders: ["off", "on"],
  reminder_hour: "8",
  lead_days_sent: "1",
  lead_days: ["2", "1"],
  overdue: ["off", "on"],
  delivery: "digest",
  ...over,
});

describe("settings: reminder preferences", () => {
  it("start at reminders on, 08:00, 2 and 1 days before, overdue on, daily digest", async () => {
    const { browser } = await person(t);
    const html = await settingsPage(browser);
    expect(shownPrefs(html)).toEqual({ reminders: true, hour: "8", leadDays: ["1", "2"], overdue: true, delivery: ["digest"] });
    expect(html).toMatch(/<option value="8" selected="">08:00<\/option>/);
  });

  it("are saved and shown again on reload", async () => {
    const { browser } = await person(t);
    const res = await browser.post(
      "/settings",
      fullForm({ reminders: ["off"], reminder_hour: "17", lead_days: ["7", "3"], overdue: ["off"], delivery: "per_task" }),
    );
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/settings?saved=1");
    const saved = await (await browser.get("/settings?saved=1")).text();
    expect(textOf(saved)).toContain("Settings saved.");
    expect(shownPrefs(saved)).toEqual({ reminders: false, hour: "17", leadDays: ["3", "7"], overdue: false, delivery: ["per_task"] });

    // Ticking reminders again and no lead day at all (only the due day) is also kept.
    expect((await browser.post("/settings", fullForm({ lead_days: [], reminder_hour: "0" }))).status).toBe(303);
    expect(shownPrefs(await settingsPage(browser))).toEqual({ reminders: true, hour: "0", leadDays: [], overdue: true, delivery: ["digest"] });
  });

  it.each<[string, Record<string, string | string[]>, string, RegExp]>([
    ["hour 24", { reminder_hour: "24" }, "reminder_hour", /00:00 to 23:00/],
    ["hour abc", { reminder_hour: "abc" }, "reminder_hour", /00:00 to 23:00/],
    ["lead day 0", { lead_days: ["3", "0"] }, "lead_days", /from 1 to 7/],
    ["lead day 9", { lead_days: ["3", "9"] }, "lead_days", /from 1 to 7/],
    ["delivery sms", { delivery: "sms" }, "delivery", /digest or one email per task/],
  ])("refuse %s with 422, keep what was typed and say why beside the field", async (_name, bad, fieldName, message) => {
    const { browser } = await person(t);
    const before = await settingsPage(browser);
    const typed = { reminders: ["off"], lead_days: ["3"], overdue: ["off"], reminder_hour: "6", delivery: "per_task" };
    const res = await browser.post("/settings", fullForm({ ...typed, name: "Typed Name", ...bad }));
    expect(res.status).toBe(422);
    const html = await res.text();
    // The form again, with what was typed…
    expect(formValue(html, "name")).toBe("Typed Name");
    expect(formValue(html, "timezone")).toBe("Europe/Paris");
    expect(isChecked(html, "reminders", "on")).toBe(false);
    expect(isChecked(html, "overdue", "on")).toBe(false);
    expect(isChecked(html, "lead_days", "3")).toBe(true);
    if (fieldName !== "reminder_hour") expect(formValue(html, "reminder_hour")).toBe("6");
    if (fieldName !== "delivery") expect(checkedValues(html, "delivery")).toEqual(["per_task"]);
    // …and the message beside the field, tied to it for screen readers.
    const error = html.match(new RegExp(`<small id="${fieldName}-error" class="error">([^<]*)</small>`));
    expect(error?.[1]).toMatch(message);
    expect(html).toMatch(new RegExp(`aria-describedby="${fieldName}-error"`));
    expect(textOf(html)).toContain("Please correct the fields marked below.");
    // Nothing was saved.
    expect(shownPrefs(await settingsPage(browser))).toEqual(shownPrefs(before));
    expect(formValue(await settingsPage(browser), "name")).toBe("Ada Lovelace");
  });

  it("a post with only name and timezone leaves the reminder preferences as they were", async () => {
    const { browser } = await person(t);
    await browser.post("/settings", fullForm({ reminders: ["off"], reminder_hour: "6", lead_days: ["5"], overdue: ["off"], delivery: "per_task" }));
    const res = await browser.post("/settings", { name: "Only Name", timezone: "Asia/Tokyo" });
    expect(res.status).toBe(303);
    const html = await settingsPage(browser);
    expect(formValue(html, "name")).toBe("Only Name");
    expect(shownPrefs(html)).toEqual({ reminders: false, hour: "6", leadDays: ["5"], overdue: false, delivery: ["per_task"] });

    // Lead days sent without the form's hidden marker still count: checked, and saved when good.
    expect((await browser.post("/settings", { name: "Only Name", timezone: "Asia/Tokyo", lead_days: "9" })).status).toBe(422);
    expect((await browser.post("/settings", { name: "Only Name", timezone: "Asia/Tokyo", lead_days: "4" })).status).toBe(303);
    expect(shownPrefs(await settingsPage(browser))).toEqual({ reminders: false, hour: "6", leadDays: ["4"], overdue: false, delivery: ["per_task"] });
  });

  it("a pause by the mail provider is explained, kept by unrelated saves, and lifted by saving with reminders on", async () => {
    const { browser, userId } = await person(t);
    await t.database.db.update(users).set({ remindersPausedReason: PAUSE }).where(eq(users.id, userId));
    expect(textOf(await settingsPage(browser))).toContain(`Reminders are paused: ${PAUSE}`);

    // Saving only the name says nothing about the address working again.
    expect((await browser.post("/settings", { name: "Renamed", timezone: "UTC" })).status).toBe(303);
    expect(textOf(await settingsPage(browser))).toContain(`Reminders are paused: ${PAUSE}`);
    // Nor does saving with reminders off.
    expect((await browser.post("/settings", fullForm({ reminders: ["off"] }))).status).toBe(303);
    expect(textOf(await settingsPage(browser))).toContain("Reminders are paused");

    expect((await browser.post("/settings", fullForm())).status).toBe(303);
    const html = await settingsPage(browser);
    expect(textOf(html)).not.toContain("Reminders are paused");
    expect(isChecked(html, "reminders", "on")).toBe(true);
    const [row] = await t.database.db.select().from(users).where(eq(users.id, userId));
    expect(row!.remindersPausedReason).toBeNull();
  });
});

describe("per-task reminders", () => {
  it("are on by default; unticked they are stored off, the task page says so, and the scan leaves the task out", async () => {
    t.clock.set("2021-06-14T08:30:00Z");
    const { browser } = await person(t);
    const newForm = await (await browser.get("/tasks")).text();
    expect(isChecked(newForm, "reminders", "on")).toBe(true);

    const kept = await addTask(browser, { title: "Reminded report", due_date: "2021-06-14", reminders: ["off", "on"] });
    const quiet = await addTask(browser, { title: "Quiet report", due_date: "2021-06-14", reminders: ["off"] });
    expect(isChecked(await (await browser.get(`/tasks/${quiet}/edit`)).text(), "reminders", "on")).toBe(false);
    expect(isChecked(await (await browser.get(`/tasks/${kept}/edit`)).text(), "reminders", "on")).toBe(true);
    expect(await nextReminderText(browser, quiet)).toBe("None: reminders are off for this task.");

    await runJobs(t);
    const mail = await onlyMail(browser);
    expect(mail.html).toContain("Reminded report");
    expect(mail.html).not.toContain("Quiet report");
    expect(mail.subject).toBe("1 due today");
  });

  it("stay as they were when an edit does not carry the checkbox at all (a client other than our form)", async () => {
    const { browser } = await person(t);
    const quiet = await addTask(browser, { title: "Stays quiet", due_date: "2021-06-20", reminders: ["off"] });
    expect((await browser.post(`/tasks/${quiet}`, { title: "Stays quiet, renamed", due_date: "2021-06-20" })).status).toBe(303);
    expect(await nextReminderText(browser, quiet)).toBe("None: reminders are off for this task.");
    expect((await browser.post(`/tasks/${quiet}`, { title: "Now reminded", due_date: "2021-06-20", reminders: ["off", "on"] })).status).toBe(303);
    expect(await nextReminderText(browser, quiet)).not.toMatch(/^None/);
  });
});

describe("task page: reminder panel", () => {
  it("shows the next reminder in the user's own zone and hour", async () => {
    const { browser } = await person(t, "Europe/Paris");
    t.clock.set("2021-06-14T05:00:00Z"); // 07:00 in Paris: today's 08:00 reminder is still ahead
    const id = await addTask(browser, { title: "Paris deadline", due_date: "2021-06-16" });
    expect(await nextReminderText(browser, id)).toBe("14 Jun 2021, 08:00, in that day's digest");
    t.clock.set("2021-06-14T06:30:00Z"); // 08:30 in Paris: the next one is tomorrow's
    expect(await nextReminderText(browser, id)).toBe("15 Jun 2021, 08:00, in that day's digest");
  });

  it("says None for a done task, a task without due date, reminders off for the task or for the user", async () => {
    t.clock.set("2021-06-14T12:00:00Z");
    const { browser } = await person(t, "Europe/Paris");
    const done = await addTask(browser, { title: "Finished", due_date: "2021-06-16", status: "done" });
    const undated = await addTask(browser, { title: "Someday" });
    const off = await addTask(browser, { title: "Muted", due_date: "2021-06-16", reminders: ["off"] });
    const normal = await addTask(browser, { title: "Normal", due_date: "2021-06-16" });
    expect(await nextReminderText(browser, done)).toBe("None: the task is done.");
    expect(await nextReminderText(browser, undated)).toBe("None: the task has no due date.");
    expect(await nextReminderText(browser, off)).toBe("None: reminders are off for this task.");
    await browser.post("/settings", fullForm({ reminders: ["off"] }));
    expect(await nextReminderText(browser, normal)).toBe("None: your email reminders are off (see Settings).");
  });

  it("lists, after a run, when each reminder went, in which email, and how its delivery went", async () => {
    t.clock.set("2021-06-14T06:30:00Z"); // 08:30 in Paris
    const { browser } = await person(t, "Europe/Paris");
    const id = await addTask(browser, { title: "Quarterly filing", due_date: "2021-06-16" });
    const before = textOf(await (await browser.get(`/tasks/${id}`)).text());
    expect(before).toContain("No reminder has been sent for this task yet.");

    await runJobs(t);
    const mail = await onlyMail(browser);
    expect(mail.subject).toBe("1 due soon");
    const page = textOf(await (await browser.get(`/tasks/${id}`)).text());
    expect(page).toContain("Reminders sent for this task");
    expect(page).toMatch(/When Email Delivery 14 Jun 2021, 08:30 Daily digest: “1 due soon” delivered to the mail service/);
    expect(page).toContain("Next reminder: 15 Jun 2021, 08:00");
  });
});

describe("task page: delivery problems in plain words", () => {
  /** The Delivery cell of the task page's only reminder row. */
  async function deliveryShown(browser: Browser, taskId: string) {
    const html = await (await browser.get(`/tasks/${taskId}`)).text();
    const cells = [...html.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]!);
    return { delivery: cells.at(-1), text: textOf(html) };
  }

  async function queuedReminder() {
    t.clock.set("2021-06-14T08:30:00Z");
    const { browser, userId } = await person(t);
    const id = await addTask(browser, { title: "Renew lease", due_date: "2021-06-14" });
    await runJobs(t, t.clock.now(), { send: false });
    const [row] = await t.database.db.select({ id: reminderOutbox.id }).from(reminderOutbox).where(eq(reminderOutbox.userId, userId));
    return { browser, taskId: id, outboxId: row!.id };
  }

  it("a failed connection says it will retry, without the error's wording", async () => {
    const { browser, taskId, outboxId } = await queuedReminder();
    // Only this row, through a Postmark client pointed at a closed port: the connection is refused.
    const unreachable = { database: t.database, mailer: postmark.mailer, config: { appUrl: new URL(APP_URL) } };
    const log = vi.spyOn(console, "log");
    let logged: unknown[];
    try {
      expect((await sendPending(unreachable, t.clock.now(), { ids: [outboxId] })).retrying).toBe(1);
    } finally {
      logged = log.mock.calls.map(([line]) => JSON.parse(String(line)));
      log.mockRestore();
    }
    const [row] = await t.database.db.select().from(reminderOutbox).where(eq(reminderOutbox.id, outboxId));
    expect(row!.lastError, "the detail is kept for operators").toMatch(/^Postmark request failed: /);
    const batch = logged.find((entry) => (entry as { event?: string }).event === "reminders.batch_sent");
    expect(batch, "the detail is logged").toMatchObject({ size: 1, pending: 1, errors: [row!.lastError] });

    const shown = await deliveryShown(browser, taskId);
    expect(shown.delivery).toBe("sending failed, will retry");
    expect(shown.text).not.toContain(row!.lastError!);
    expect(shown.text).not.toMatch(/Postmark|fetch failed|127\.0\.0\.1|ECONNREFUSED/);
  });

  it.each<[string, "pending" | "sending" | "sent" | "failed" | "suppressed" | "expired", string | null, string]>([
    ["waiting", "pending", null, "waiting to send"],
    ["a retry after a server error", "pending", "Postmark request failed (HTTP 503): upstream relay-7.mail.internal refused", "sending failed, will retry"],
    ["being sent", "sending", null, "sending"],
    ["sent", "sent", null, "delivered to the mail service"],
    ["retries exhausted", "failed", "gave up after 6 attempts: Postmark request failed: connect ETIMEDOUT 10.20.0.7:443", "sending failed; gave up after several tries"],
    ["a message Postmark refused", "failed", "Postmark 300: Invalid 'To' address: 'ada@mail.internal'", "not sent: the mail service refused this email"],
    ["a refused request", "failed", "Postmark request failed (HTTP 401): Request does not contain a valid Server token.", "not sent: the mail service refused this email"],
    ["an inactive recipient", "suppressed", "Postmark 406: You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: ada@mail.internal.", "not sent: the address refused mail"],
    ["reminders paused", "suppressed", "not sent: reminders are paused for this address", "not sent: reminders are paused for this address"],
    ["reminders turned off", "failed", "not sent: reminders were turned off", "not sent: reminders were turned off"],
    ["a day that ended during retries", "expired", "Postmark request failed: socket hang up at 10.20.0.7", "not sent before its day ended"],
  ])("%s is shown as a plain status, never the stored error", async (_, status, lastError, expected) => {
    const { browser, taskId, outboxId } = await queuedReminder();
    await t.database.db.update(reminderOutbox).set({ status, lastError }).where(eq(reminderOutbox.id, outboxId));
    const shown = await deliveryShown(browser, taskId);
    expect(shown.delivery).toBe(expected);
    expect(shown.text).not.toMatch(/Postmark|HTTP \d|10\.20\.0\.7|mail\.internal|ETIMEDOUT|token|socket/);
  });
});

describe("/dev/mailbox", () => {
  it("exists only when mail is kept locally (no Postmark token)", async () => {
    const { browser } = await person(postmark);
    expect((await browser.get("/dev/mailbox")).status).toBe(404);
    expect((await browser.get(`/dev/mailbox/${crypto.randomUUID()}`)).status).toBe(404);
    const { browser: local } = await person(t);
    expect((await local.get("/dev/mailbox")).status).toBe(200);
  });

  it("asks for sign-in", async () => {
    for (const path of ["/dev/mailbox", `/dev/mailbox/${crypto.randomUUID()}`]) {
      const res = await t.browser().get(path);
      expect(res.status).toBe(303);
      expect(location(res)).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
  });

  it("shows each person only their own mail", async () => {
    t.clock.set("2021-06-14T08:30:00Z");
    const a = await person(t);
    const b = await person(t);
    await addTask(a.browser, { title: "Alice secret plan", due_date: "2021-06-14" });
    await addTask(b.browser, { title: "Bob secret plan", due_date: "2021-06-14" });
    await runJobs(t);
    const [aMail] = await mailbox(a.browser);
    const [bMail] = await mailbox(b.browser);
    expect((await openMail(a.browser, aMail!.id)).html).toContain("Alice secret plan");
    expect((await mailbox(a.browser)).map((m) => m.id)).toEqual([aMail!.id]);
    const res = await a.browser.get(`/dev/mailbox/${bMail!.id}`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("Bob secret plan");
    expect((await openMail(b.browser, bMail!.id)).pageText).toContain(`To ${b.email}`);
  });
});
