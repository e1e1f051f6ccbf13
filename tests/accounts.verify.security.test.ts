import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { accountMail, accountTokens, sessions } from "../src/db/schema.js";
import { scanReminders } from "../src/reminders/scan.js";
import { location, setCookieLine, uniqueIp } from "./support/auth-helpers.js";
import { addTask, jobDeps, outboxOf } from "./support/reminder-jobs.js";
import { makeTestApp, textOf, uniqueEmail } from "./support/test-app.js";
import { inboxOf, latestVerifyPath, REGISTER_SUBJECT, tamperedPath, TAKEN_SUBJECT, userByEmail, verificationMails, verifyPathOf } from "./support/verify-mail.js";

// 2019, like the happy file: its reminder scan stays apart from the other files' moments.
const NOW = "2019-05-20T12:00:00Z";
const t = await makeTestApp({ now: NOW });
beforeEach(() => t.clock.set(NOW));
const PASSWORD = "correct horse battery";

async function newcomer() {
  const browser = t.browser();
  const { email } = await browser.register({ verified: false });
  return { browser, email, path: await latestVerifyPath(t, email) };
}

describe("the link", () => {
  it("is stored only as a hash: the database holds no copy of the secret once the mail is sent", async () => {
    const { email, path } = await newcomer();
    const [id, secret] = path.slice("/verify/".length).split(".") as [string, string];
    const [row] = await t.database.db.select().from(accountTokens).where(eq(accountTokens.id, id));
    expect(row).toMatchObject({ purpose: "verify", email, usedAt: null });
    expect(row!.secretHash).not.toContain(secret);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(24 * 3600_000);
    // The queued mail carried the link; sent, it is gone from the outbox.
    expect(await t.database.db.select().from(accountMail).where(eq(accountMail.toAddress, email))).toEqual([]);
  });

  it("with one character of its secret changed is refused like an unknown one, and the real link still works", async () => {
    const { browser, email, path } = await newcomer();
    for (const res of [await browser.get(tamperedPath(path)), await browser.post(tamperedPath(path))]) expect(res.status).toBe(404);
    expect((await userByEmail(t, email)).emailVerifiedAt).toBeNull();
    expect((await browser.post(path)).status).toBe(303);
  });

  it("is used by exactly one of two posts sent at once", async () => {
    const { email, path } = await newcomer();
    const answers = await Promise.all([t.browser().post(path), t.browser().post(path)]);
    expect(answers.map((r) => r.status).sort()).toEqual([303, 410]);
    expect((await userByEmail(t, email)).emailVerifiedAt).not.toBeNull();
  });

  it("needs the page's own origin to be posted (a cross-site form cannot use it)", async () => {
    const { email, path } = await newcomer();
    const res = await t.browser().post(path, {}, { headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    expect((await userByEmail(t, email)).emailVerifiedAt).toBeNull();
  });

  it("a new link retires the earlier one", async () => {
    const { browser, email, path } = await newcomer();
    // A minute later, so the mailbox orders the two mails by when they came.
    t.clock.advance(60_000);
    expect((await browser.post("/verify/resend")).status).toBe(303);
    const newer = await latestVerifyPath(t, email);
    expect((await browser.get(path)).status).toBe(404);
    expect((await browser.post(path)).status).toBe(404);
    expect((await userByEmail(t, email)).emailVerifiedAt).toBeNull();
    expect((await browser.post(newer)).status).toBe(303);
  });

  it("opened while someone else is signed in confirms its own address, not theirs", async () => {
    const { email, path } = await newcomer();
    const other = await newcomer();
    const res = await other.browser.post(path);
    expect(res.status).toBe(200);
    expect(textOf(await res.text())).toContain(`The address ${email} is confirmed.`);
    expect((await userByEmail(t, email)).emailVerifiedAt).not.toBeNull();
    expect((await userByEmail(t, other.email)).emailVerifiedAt).toBeNull();
  });
});

describe("an address that already has an account", () => {
  it("is left as it was: no new account, no session, no link; the password still works; the owner gets a note", async () => {
    const owner = t.browser();
    const { email } = await owner.register({ name: "Original Owner" });
    const before = await userByEmail(t, email);
    const sessionsBefore = await t.database.db.select().from(sessions).where(eq(sessions.userId, before.id));

    t.clock.advance(60_000);
    const res = await t.browser().post("/register", { name: "Intruder", email, password: "intruder password 1", timezone: "Asia/Tokyo" });
    expect(res.status).toBe(422);
    expect(setCookieLine(res, "session")).toBeUndefined();
    expect(res.headers.getSetCookie()).toEqual([]);

    expect(await userByEmail(t, email)).toEqual(before);
    expect(await t.database.db.select().from(sessions).where(eq(sessions.userId, before.id))).toEqual(sessionsBefore);
    expect(await t.database.db.select().from(accountTokens).where(eq(accountTokens.userId, before.id))).toHaveLength(1);
    expect((await t.browser(uniqueIp()).post("/login", { email, password: "intruder password 1" })).status).toBe(422);
    expect((await t.browser(uniqueIp()).post("/login", { email, password: PASSWORD })).status).toBe(303);

    const mails = await inboxOf(t, email);
    expect(mails.map((m) => m.subject)).toEqual([REGISTER_SUBJECT, TAKEN_SUBJECT]);
    const note = mails[1]!;
    expect(note.textBody).toContain(`Someone just tried to create a new SmartTask account with ${email}.`);
    expect(note.textBody).toContain("http://smarttask.test/login");
    expect(note.textBody).toContain("Reset my password: http://smarttask.test/forgot");
    expect(note.htmlBody).toContain('href="http://smarttask.test/forgot"');
    // Nothing in the note can be used to get in: no token, no verification link.
    expect(note.textBody).not.toMatch(/\/verify\//);
    expect(note.textBody).not.toContain("Intruder");
  });
});

describe("someone registers another person's address", () => {
  it("the address's owner is sent the link (and how to take the account over), and gets no reminders until it is followed", async () => {
    const victim = uniqueEmail();
    const attacker = t.browser();
    const res = await attacker.post("/register", { name: "Mallory", email: victim, password: "mallory's password", timezone: "UTC" });
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/today");
    const account = await userByEmail(t, victim);
    expect(account.emailVerifiedAt).toBeNull();

    // The attacker can use the app, but the victim's inbox receives nothing but the link.
    expect((await attacker.post("/tasks", { title: "Spam the victim", due_date: "2019-05-21" })).status).toBe(303);
    await addTask(t, { id: account.id, email: victim, timezone: "UTC" }, { title: "Another", dueDate: "2019-05-22" });
    const deps = jobDeps(t);
    for (const hour of ["2019-05-20T08:00:00Z", "2019-05-21T08:00:00Z", "2019-05-22T08:00:00Z", "2019-05-23T08:00:00Z"]) await scanReminders(deps, new Date(hour));
    expect(await outboxOf(t, account.id)).toEqual([]);

    const mails = await inboxOf(t, victim);
    expect(mails.map((m) => m.subject)).toEqual([REGISTER_SUBJECT]);
    expect(mails[0]!.textBody).toContain("If you did not sign up for SmartTask");
    expect(mails[0]!.textBody).toContain("reset its password at http://smarttask.test/forgot");

    // Resending cannot be turned into a stream of mail to the victim.
    for (let i = 0; i < 10; i++) await attacker.post("/verify/resend");
    expect((await verificationMails(t, victim)).length).toBeLessThanOrEqual(6);
    // The attacker never sees the link: it is only in the victim's mail.
    const page = await (await attacker.get("/tasks")).text();
    expect(page).not.toMatch(/\/verify\/[0-9a-f]{40}\./);
    expect(verifyPathOf(mails[0]!)).toMatch(/^\/verify\//);
  });
});

describe("the notice cookie", () => {
  it("shows only the app's own notices: any other value shows nothing and is cleared", async () => {
    const { browser } = await newcomer();
    const html = await (await browser.get("/tasks", { headers: { cookie: `${[...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ")}; notice=%3Cscript%3Ealert(1)%3C%2Fscript%3E` } })).text();
    expect(html).not.toContain("<script>alert(1)");
    expect(html).not.toContain("alert(1)");
    expect(textOf(html)).not.toContain("Your address is confirmed.");
  });
});
