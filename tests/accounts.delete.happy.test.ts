import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queueAccountMail } from "../src/accounts/mail.js";
import { composeAccountMessage } from "../src/accounts/message.js";
import { newAccountToken } from "../src/accounts/tokens.js";
import { addressSubject, takeAccountAction } from "../src/auth/account-limits.js";
import { insertAccountToken } from "../src/db/account-tokens.js";
import { accountMail, actionLimits, devMailbox, loginFailures, reminderItems, reminderOutbox, reminderScans, sessions, tasks } from "../src/db/schema.js";
import { scanReminders } from "../src/reminders/scan.js";
import { rowsNaming, userIdOf } from "./support/account-deletion.js";
import { location, setCookieLine, uniqueIp } from "./support/auth-helpers.js";
import { jobDeps } from "./support/reminder-jobs.js";
import { makeTestApp, settled, textOf, type Browser } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });
const PASSWORD = "correct horse battery";
const TODAY = "2026-06-15";

/**
 * A person with something in every table that can name them: tasks (one due today), reminders
 * queued for it (outbox, items, scan marker), a second session, a failed login, a pending mail
 * link and its mail, a note to the address without a user id, and counted account actions.
 */
async function personWithEverything(): Promise<{ b: Browser; email: string; id: string }> {
  const b = t.browser(uniqueIp());
  const { email } = await b.register({ password: PASSWORD });
  const id = await userIdOf(t, email);
  await b.createTask({ title: `Due today ${crypto.randomUUID()}`, due_date: TODAY });
  await b.createTask({ title: `Someday ${crypto.randomUUID()}`, notes: `mail ${email} about it` });
  // Another device signed in, and someone failing to sign in to the account.
  expect((await t.browser(uniqueIp()).post("/login", { email, password: PASSWORD })).status).toBe(303);
  expect((await t.browser(uniqueIp()).post("/login", { email, password: "not the password" })).status).toBe(422);
  const { row } = await newAccountToken("verify", id, email, t.clock.now());
  await insertAccountToken(t.database.db, row);
  const note = composeAccountMessage({ subject: "Pending", paragraphs: ["Not sent yet."] });
  await queueAccountMail(
    t.database.db,
    [
      { userId: id, purpose: "verify", to: email, message: note },
      { userId: null, purpose: "taken", to: email, message: note },
    ],
    // Due later: it stays pending through the test's sends.
    new Date(t.clock.now().getTime() + 3_600_000),
  );
  const deps = { database: t.database, config: { appUrl: new URL("http://smarttask.test") } };
  expect(await takeAccountAction(deps, "reset", { address: email, network: uniqueIp() }, t.clock.now())).toBeNull();
  expect(await takeAccountAction(deps, "verifyMail", { account: id }, t.clock.now())).toBeNull();
  return { b, email, id };
}

async function countsOf(id: string) {
  const db = t.database.db;
  const outbox = await db.select({ id: reminderOutbox.id }).from(reminderOutbox).where(eq(reminderOutbox.userId, id));
  return {
    tasks: (await db.select().from(tasks).where(eq(tasks.userId, id))).length,
    sessions: (await db.select().from(sessions).where(eq(sessions.userId, id))).length,
    outbox: outbox.length,
    items: outbox.length ? (await db.select().from(reminderItems).where(inArray(reminderItems.outboxId, outbox.map((o) => o.id)))).length : 0,
    scans: (await db.select().from(reminderScans).where(eq(reminderScans.userId, id))).length,
  };
}

describe("the delete account page", () => {
  it("says what will be removed, asks for the password and has a clearly labelled destructive button", async () => {
    const b = t.browser(uniqueIp());
    const { email } = await b.register();
    await b.createTask({ title: "One" });
    await b.createTask({ title: "Two" });
    const res = await b.get("/settings/delete");
    expect(res.status).toBe(200);
    const html = await res.text();
    const text = textOf(html);
    expect(text).toContain("Delete your account");
    expect(text).toContain("2 tasks");
    expect(text).toMatch(/reminder history/);
    expect(text).toMatch(/every session/);
    expect(text).toContain(`email to ${email}`);
    expect(text).toContain("cannot be undone");
    expect(html).toMatch(/<form method="post" action="\/settings\/delete"/);
    expect(html).toMatch(/<input id="current_password" name="current_password" type="password" autocomplete="current-password"/);
    expect(html).toMatch(/<label for="current_password">Your password<\/label>/);
    expect(html).toMatch(/<button type="submit" class="danger">\s*Delete my account and all my tasks\s*<\/button>/);
    // The settings page links here.
    expect(await (await b.get("/settings")).text()).toContain('href="/settings/delete"');
  });
});

describe("deleting the account", () => {
  it("removes every row naming the person, sends the confirmation mail, signs every session out and leaves others alone", async () => {
    const person = await personWithEverything();
    const other = await personWithEverything();
    await scanReminders(jobDeps(t), t.clock.now());
    const before = await countsOf(person.id);
    expect(before).toMatchObject({ tasks: 2, sessions: 2, outbox: 1, items: 1, scans: 1 });
    const otherBefore = await countsOf(other.id);
    // Everything above names the person somewhere, so the search below has something to miss.
    expect(Object.keys(await rowsNaming(t, [person.id, person.email], ["dev_mailbox"])).sort()).toEqual(
      ["account_mail", "account_tokens", "action_limits", "login_failures", "reminder_outbox", "reminder_scans", "sessions", "tasks", "user_task_counts", "users"].sort(),
    );
    const oldCookie = person.b.cookies.get("session")!;
    expect(person.b.cookies.get("device")).toBeDefined();

    const res = await person.b.post("/settings/delete", { current_password: PASSWORD });
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/");
    expect(setCookieLine(res, "session")).toMatch(/^session=;.*Max-Age=0/i);
    expect(setCookieLine(res, "device")).toMatch(/^device=;.*Max-Age=0/i);
    expect(person.b.cookies.has("session")).toBe(false);
    await settled();

    expect(await rowsNaming(t, [person.id, person.email], ["dev_mailbox"])).toEqual({});
    // Counted actions are kept under a keyed digest of the address, which no text search finds.
    const subjects = [await addressSubject({ database: t.database, config: { appUrl: new URL("http://smarttask.test") } }, person.email), `u:${person.id}`];
    expect(await t.database.db.select().from(actionLimits).where(inArray(actionLimits.subject, subjects))).toEqual([]);
    expect(await t.database.db.select().from(accountMail).where(eq(accountMail.toAddress, person.email))).toEqual([]);

    // "/" goes on to the login page; the old cookie, and the other device's, open nothing.
    expect(location(await person.b.get("/"))).toBe("/login");
    const stale = t.browser(uniqueIp());
    stale.cookies.set("session", oldCookie);
    expect(location(await stale.get("/tasks"))).toBe("/login?next=%2Ftasks");
    expect(location(await t.browser(uniqueIp()).post("/login", { email: person.email, password: PASSWORD }))).toBeNull();

    // The other person: every row still there, still signed in, failures and limits kept.
    expect(await countsOf(other.id)).toEqual(otherBefore);
    expect((await other.b.get("/tasks")).status).toBe(200);
    expect(await t.database.db.select().from(loginFailures).where(eq(loginFailures.account, other.email))).toHaveLength(1);
    const otherSubject = await addressSubject({ database: t.database, config: { appUrl: new URL("http://smarttask.test") } }, other.email);
    expect(await t.database.db.select().from(actionLimits).where(inArray(actionLimits.subject, [otherSubject, `u:${other.id}`]))).toHaveLength(2);
    expect(Object.keys(await rowsNaming(t, [other.id, other.email], ["dev_mailbox"]))).toContain("account_mail");
  });

  it("mails a confirmation with text and HTML, which the address finds in /dev/mailbox after registering again", async () => {
    const b = t.browser(uniqueIp());
    const { email } = await b.register({ password: PASSWORD });
    await b.createTask({ title: "Old task" });
    expect((await b.post("/settings/delete", { current_password: PASSWORD })).status).toBe(303);
    await settled();

    const delivered = await t.database.db.select().from(devMailbox).where(eq(devMailbox.toAddress, email));
    const confirmations = delivered.filter((m) => m.subject === "Your SmartTask account has been deleted");
    expect(confirmations).toHaveLength(1);
    const mail = confirmations[0];
    expect(mail!.textBody).toContain("has been deleted");
    expect(mail!.htmlBody).toMatch(/<p>Your SmartTask account has been deleted/);
    expect(mail!.messageStream).toBe("outbound");

    // The same address can register again: a fresh, empty account.
    const again = t.browser(uniqueIp());
    await again.register({ email, password: "another fine password" });
    const list = textOf(await (await again.get("/tasks")).text());
    expect(list).not.toContain("Old task");
    const mailbox = await (await again.get("/dev/mailbox")).text();
    expect(textOf(mailbox)).toContain("Your SmartTask account has been deleted");
    const opened = await again.get(`/dev/mailbox/${mail!.id}`);
    expect(opened.status).toBe(200);
  });

  it("answers an htmx post with HX-Redirect to /", async () => {
    const b = t.browser(uniqueIp());
    await b.register({ password: PASSWORD });
    const res = await b.post("/settings/delete", { current_password: PASSWORD }, { htmx: "/settings/delete" });
    expect(res.status).toBe(200);
    expect(res.headers.get("HX-Redirect")).toBe("/");
    expect(b.cookies.has("session")).toBe(false);
    await settled();
  });

  it("leaves another account's device cookie in the browser alone", async () => {
    // Someone else signed in on this browser last: the device cookie names their account, not this one.
    const shared = t.browser(uniqueIp());
    await shared.register({ password: PASSWORD });
    const theirs = shared.cookies.get("device")!;
    const mine = t.browser(shared.ip);
    await mine.register({ password: PASSWORD });
    mine.cookies.set("device", theirs);
    const res = await mine.post("/settings/delete", { current_password: PASSWORD });
    expect(res.status).toBe(303);
    expect(setCookieLine(res, "device")).toBeUndefined();
    expect(mine.cookies.get("device")).toBe(theirs);
    await settled();
  });
});
