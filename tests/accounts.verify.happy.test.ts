import { beforeEach, describe, expect, it } from "vitest";
import { scanReminders } from "../src/reminders/scan.js";
import { sendPending } from "../src/reminders/send.js";
import { location, setCookieLine } from "./support/auth-helpers.js";
import { addTask, inbox, jobDeps, outboxOf, type FixtureUser } from "./support/reminder-jobs.js";
import { makeTestApp, settled, textOf, uniqueEmail, type Browser } from "./support/test-app.js";
import { inboxOf, latestVerifyPath, REGISTER_SUBJECT, userByEmail, verificationMails, verifyPathOf } from "./support/verify-mail.js";

// 2019: the reminder scan below runs at this file's own moments, apart from the other files'
// (2021 and 2026) on the shared PostgreSQL database.
const NOW = "2019-03-10T12:00:00Z";
const t = await makeTestApp({ now: NOW });
beforeEach(() => t.clock.set(NOW));
const HOUR = 3600_000;
const BANNER = "Confirm your address to get reminders.";

/** Registers through the form, leaving the address unverified as a real person's is. */
async function newcomer(fields: { name?: string; timezone?: string } = {}) {
  const browser = t.browser();
  const { email } = await browser.register({ verified: false, ...fields });
  return { browser, email };
}

const pageText = async (browser: Browser, path: string) => textOf(await (await browser.get(path)).text());

describe("registration mails a verification link", () => {
  it("signs the person in at once and delivers a mail with a text and an HTML part and a single /verify link", async () => {
    const browser = t.browser();
    const email = uniqueEmail();
    const res = await browser.post("/register", { name: "Ada Lovelace", email, password: "correct horse battery", timezone: "UTC" });
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/today");
    expect(setCookieLine(res, "session")).toBeDefined();
    expect((await browser.get("/tasks")).status).toBe(200);

    const mails = await inboxOf(t, email);
    expect(mails.map((m) => m.subject)).toEqual([REGISTER_SUBJECT]);
    const mail = mails[0]!;
    const path = verifyPathOf(mail);
    expect(path).toMatch(/^\/verify\//);
    expect(mail.textBody).toContain(`Please confirm that ${email} is your address`);
    expect(mail.textBody).toContain("works once, for 24 hours");
    expect(mail.textBody).toContain("If you did not sign up for SmartTask");
    expect(mail.textBody).toContain("http://smarttask.test/forgot");
    expect(mail.htmlBody).toContain("Confirm my address");
    expect(mail.htmlBody).toContain("24 hours");
    expect(mail.messageStream).toBe("outbound");
    // The account is there, not yet verified.
    expect((await userByEmail(t, email)).emailVerifiedAt).toBeNull();
  });

  it("shows the banner with the address and a resend button on every page until the address is confirmed", async () => {
    const { browser, email } = await newcomer();
    for (const path of ["/tasks", "/settings"]) {
      const html = await (await browser.get(path)).text();
      expect(textOf(html)).toContain(`${BANNER} We sent a link to ${email}.`);
      expect(html).toMatch(/<form method="post" action="\/verify\/resend"[^>]*>\s*<button type="submit">Send the link again<\/button>/);
    }
    // A person who has verified sees no banner.
    const verified = t.browser();
    await verified.register();
    expect(await pageText(verified, "/tasks")).not.toContain(BANNER);
  });
});

describe("following the link", () => {
  it("GET shows the address and a button and changes nothing; POST confirms it", async () => {
    const { browser, email } = await newcomer();
    const path = await latestVerifyPath(t, email);

    const page = await browser.get(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(textOf(html)).toContain(`Confirm that ${email} is your address`);
    expect(html).toContain(`<form method="post" action="${path}">`);
    expect(html).toMatch(/<button type="submit" class="primary">\s*Confirm my address\s*<\/button>/);
    // Opening the link (as a mail scanner does) verifies nothing.
    expect((await userByEmail(t, email)).emailVerifiedAt).toBeNull();
    expect(await pageText(browser, "/tasks")).toContain(BANNER);

    t.clock.advance(HOUR);
    const confirmed = await browser.post(path);
    expect(confirmed.status).toBe(303);
    // Where signing in lands.
    expect(location(confirmed)).toBe("/today");
    expect((await userByEmail(t, email)).emailVerifiedAt).toEqual(t.clock.now());

    const next = await pageText(browser, "/today");
    expect(next).toContain("Your address is confirmed.");
    expect(next).not.toContain(BANNER);
    // The notice is shown once.
    expect(await pageText(browser, "/tasks")).not.toContain("Your address is confirmed.");
  });

  it("works signed out: the link is the credential, and the login page says it worked", async () => {
    const { email } = await newcomer();
    const path = await latestVerifyPath(t, email);
    const elsewhere = t.browser();
    expect((await elsewhere.get(path)).status).toBe(200);
    const res = await elsewhere.post(path);
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/today");
    const login = await elsewhere.get("/today");
    expect(location(login)).toBe("/login?next=%2Ftoday");
    expect(await pageText(elsewhere, "/login?next=%2Ftoday")).toContain("Your address is confirmed. Log in to continue.");
    expect((await userByEmail(t, email)).emailVerifiedAt).not.toBeNull();
  });

  it("still works just before 24 hours have passed", async () => {
    const { browser, email } = await newcomer();
    const path = await latestVerifyPath(t, email);
    t.clock.advance(24 * HOUR - 60_000);
    expect((await browser.get(path)).status).toBe(200);
    expect((await browser.post(path)).status).toBe(303);
    expect((await userByEmail(t, email)).emailVerifiedAt).not.toBeNull();
  });
});

describe("sending the link again", () => {
  it("mails a new link and goes back to the page it came from with a notice; the new link works", async () => {
    const { browser, email } = await newcomer();
    const first = await latestVerifyPath(t, email);

    // A minute later, so the mailbox orders the two mails by when they came.
    t.clock.advance(60_000);
    const res = await browser.post("/verify/resend", {}, { headers: { referer: "http://smarttask.test/settings" } });
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/settings");
    expect(await pageText(browser, "/settings")).toContain(`We sent a new link to ${email}. It works for 24 hours; earlier links no longer do.`);
    // Shown once; afterwards the banner's usual words.
    expect(await pageText(browser, "/settings")).toContain(`${BANNER} We sent a link to ${email}.`);

    const mails = await verificationMails(t, email);
    expect(mails).toHaveLength(2);
    const second = verifyPathOf(mails[1]!);
    expect(second).not.toBe(first);
    expect((await browser.post(second)).status).toBe(303);
    expect((await userByEmail(t, email)).emailVerifiedAt).not.toBeNull();
  });

  it("without a Referer goes back to the task list", async () => {
    const { browser } = await newcomer();
    const res = await browser.post("/verify/resend");
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/tasks");
  });

  it("with htmx answers the banner's new sentence alone", async () => {
    const { browser, email } = await newcomer();
    const res = await browser.post("/verify/resend", {}, { htmx: "/tasks" });
    expect(res.status).toBe(200);
    expect(res.headers.get("vary")).toContain("HX-Request");
    const html = await res.text();
    expect(html).not.toContain("<html");
    expect(textOf(html).trim()).toBe(`We sent a new link to ${email}. It works for 24 hours; earlier links no longer do.`);
    expect(await verificationMails(t, email)).toHaveLength(2);
  });
});

describe("reminders wait for a verified address", () => {
  it("none goes to an unverified address; after the link is followed they do", async () => {
    const { browser, email } = await newcomer({ timezone: "UTC" });
    const user = await userByEmail(t, email);
    const fixture: FixtureUser = { id: user.id, email, timezone: "UTC" };
    await addTask(t, fixture, { title: "Pay the rent", dueDate: "2019-03-13" });
    const deps = jobDeps(t);

    // Two days before (08:00 local, the default hour): nothing is queued for the unverified address.
    await scanReminders(deps, new Date("2019-03-11T08:00:00Z"));
    expect(await outboxOf(t, user.id)).toEqual([]);

    t.clock.set("2019-03-11T09:00:00Z");
    expect((await browser.post(await latestVerifyPath(t, email))).status).toBe(303);

    // The day before: the digest is queued and delivered.
    await scanReminders(deps, new Date("2019-03-12T08:00:00Z"));
    const rows = await outboxOf(t, user.id);
    expect(rows).toHaveLength(1);
    await sendPending(deps, new Date("2019-03-12T08:00:00Z"), { ids: rows.map((r) => r.id), housekeeping: false });
    await settled();
    const delivered = (await inbox(t, email)).filter((m) => m.subject !== REGISTER_SUBJECT);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.textBody).toContain("Pay the rent");
  });
});
