import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { newAccountToken } from "../src/accounts/tokens.js";
import { ACCOUNT_LIMITS } from "../src/auth/account-limits.js";
import { insertAccountToken } from "../src/db/account-tokens.js";
import { users } from "../src/db/schema.js";
import { in64, location, setCookieLine, uniqueNetwork } from "./support/auth-helpers.js";
import { makeTestApp, textOf, uniqueEmail, type Browser } from "./support/test-app.js";
import { inboxOf, latestVerifyPath, tamperedPath, TAKEN_MESSAGE, TAKEN_SUBJECT, userByEmail } from "./support/verify-mail.js";

const NOW = "2026-06-15T12:00:00Z";
const t = await makeTestApp({ now: NOW });
beforeEach(() => t.clock.set(NOW));
const HOUR = 3600_000;
const PASSWORD = "correct horse battery";

async function newcomer() {
  const browser = t.browser();
  const { email } = await browser.register({ verified: false });
  return { browser, email, path: await latestVerifyPath(t, email) };
}

const text = async (res: Response) => textOf(await res.text());
const inputValue = (html: string, id: string) => new RegExp(`<input id="${id}"[^>]*?value="([^"]*)"`).exec(html)?.[1] ?? null;

describe("links that cannot be used", () => {
  it.each([
    ["a well-formed link that was never sent", `/verify/${"a".repeat(40)}.${"b".repeat(64)}`],
    ["a malformed link", "/verify/not-a-token"],
    ["a link with an extra part", `/verify/${"a".repeat(40)}.${"b".repeat(64)}.c`],
  ])("%s: GET and POST answer 404 with a plain page", async (_, path) => {
    const browser = t.browser();
    for (const res of [await browser.get(path), await browser.post(path)]) {
      expect(res.status).toBe(404);
      const page = await text(res);
      expect(page).toContain("This link does not work");
      // Signed out, the way to a new link is to log in.
      expect(page).toContain("log in and choose “Send the link again”");
    }
  });

  it("a second POST says the link was already used", async () => {
    const { browser, path } = await newcomer();
    expect((await browser.post(path)).status).toBe(303);
    for (const res of [await browser.post(path), await browser.get(path)]) {
      expect(res.status).toBe(410);
      const page = await text(res);
      expect(page).toContain("This link was already used");
      expect(page).toContain("Your address is confirmed.");
    }
  });

  it("expires after 24 hours: GET and POST say so and the address stays unverified; signed in, the banner offers a new link", async () => {
    const { browser, email, path } = await newcomer();
    t.clock.advance(24 * HOUR);
    for (const res of [await browser.get(path), await browser.post(path)]) {
      expect(res.status).toBe(410);
      const page = await text(res);
      expect(page).toContain("This link has expired");
      expect(page).toContain("Links work for 24 hours.");
      expect(page).toContain("Send the link again");
    }
    expect((await userByEmail(t, email)).emailVerifiedAt).toBeNull();
    // A new link works again.
    expect((await browser.post("/verify/resend")).status).toBe(303);
    expect((await browser.post(await latestVerifyPath(t, email))).status).toBe(303);
    expect((await userByEmail(t, email)).emailVerifiedAt).not.toBeNull();
  });

  it("a link for an address the account no longer has confirms nothing", async () => {
    const { browser, email, path } = await newcomer();
    const changed = uniqueEmail();
    await t.database.db.update(users).set({ email: changed }).where(eq(users.email, email));
    const res = await browser.post(path);
    expect(res.status).toBe(410);
    expect(await text(res)).toContain("This link is for another address");
    expect((await userByEmail(t, changed)).emailVerifiedAt).toBeNull();
  });

  it("the resend button of the problem page's banner is there only for a signed-in, unverified person", async () => {
    const { path } = await newcomer();
    const stranger = t.browser();
    const page = await (await stranger.get(tamperedPath(path))).text();
    expect(page).not.toContain('action="/verify/resend"');
    expect(textOf(page)).toContain("log in and choose “Send the link again”");
  });
});

describe("resending is limited per account", () => {
  const max = ACCOUNT_LIMITS.verifyMail.account.max;

  it(`refuses the resend past ${max} an hour with 429, Retry-After and a message; plain and htmx alike; then allows it again`, async () => {
    const { browser, email } = await newcomer();
    for (let i = 0; i < max; i++) expect((await browser.post("/verify/resend")).status).toBe(303);

    const plain = await browser.post("/verify/resend", {}, { headers: { referer: "http://smarttask.test/settings" } });
    expect(plain.status).toBe(429);
    expect(Number(plain.headers.get("retry-after"))).toBeGreaterThan(0);
    const page = await text(plain);
    expect(page).toContain("You have asked for several links in a short time. Please try again in 60 minutes");
    expect(page).toContain(`or use the last link we sent to ${email}`);

    const htmx = await browser.post("/verify/resend", {}, { htmx: "/tasks" });
    expect(htmx.status).toBe(429);
    expect(htmx.headers.get("retry-after")).toBeTruthy();
    const fragment = await htmx.text();
    expect(fragment).not.toContain("<html");
    expect(textOf(fragment)).toContain("Please try again in 60 minutes");

    // 1 (registration) + max resends: the refused ones sent nothing.
    const mails = await inboxOf(t, email);
    expect(mails).toHaveLength(1 + max);

    // Another account is not held back by this one's count.
    const other = await newcomer();
    expect((await other.browser.post("/verify/resend")).status).toBe(303);

    t.clock.advance(HOUR + 1000);
    expect((await browser.post("/verify/resend")).status).toBe(303);
  });

  it("needs a signed-in person: signed out it goes to the login page and sends nothing", async () => {
    const res = await t.browser().post("/verify/resend");
    expect(res.status).toBe(303);
    expect(location(res)).toMatch(/^\/login/);
  });

  it("does nothing for an address already verified", async () => {
    const browser = t.browser();
    const { email } = await browser.register();
    const res = await browser.post("/verify/resend");
    expect(res.status).toBe(303);
    expect(await inboxOf(t, email)).toHaveLength(1);
  });
});

describe("registering an address that has an account", () => {
  it("answers 422 with the generic message and its links, every typed value but the password, and no session", async () => {
    const { email } = await t.browser().register();
    const password = `Unguessable-${crypto.randomUUID()}`;
    const res = await t.browser().post("/register", { name: "Someone Else", email: email.toUpperCase(), password, timezone: "Asia/Tokyo" });
    expect(res.status).toBe(422);
    expect(setCookieLine(res, "session")).toBeUndefined();
    const html = await res.text();
    expect(textOf(html).replace(/\s+\./g, ".")).toContain(TAKEN_MESSAGE);
    expect(html).toContain('<a href="/login">log in</a>');
    expect(html).toContain('<a href="/forgot">reset your password</a>');
    expect(inputValue(html, "name")).toBe("Someone Else");
    expect(inputValue(html, "email")).toBe(email.toUpperCase());
    expect(html).toMatch(/<option value="Asia\/Tokyo" selected/);
    expect(html).not.toContain(password);
  });

  it(`mails the owner's note at most ${ACCOUNT_LIMITS.takenNote.address.max} times a day; past that the same 422 and no mail`, async () => {
    const { email } = await t.browser().register();
    const max = ACCOUNT_LIMITS.takenNote.address.max;
    const attempt = () => t.browser().post("/register", { name: "Pat", email, password: PASSWORD, timezone: "UTC" });
    const first = await attempt();
    const firstPage = await first.text();
    for (let i = 1; i < max; i++) expect((await attempt()).status).toBe(422);
    const notes = async () => (await inboxOf(t, email)).filter((m) => m.subject === TAKEN_SUBJECT);
    expect(await notes()).toHaveLength(max);

    const past = await attempt();
    expect(past.status).toBe(422);
    expect(await past.text()).toBe(firstPage);
    expect(await notes()).toHaveLength(max);

    t.clock.advance(24 * HOUR + 1000);
    expect((await attempt()).status).toBe(422);
    expect(await notes()).toHaveLength(max + 1);
  });
});

describe("registration is limited per client network", () => {
  const max = ACCOUNT_LIMITS.register.network.max;

  async function registerFrom(browser: Browser, email = uniqueEmail()) {
    return browser.post("/register", { name: "Household Member", email, password: PASSWORD, timezone: "Europe/Paris" });
  }

  it(`lets one household create 30 accounts an hour, and stops the attempt past ${max}`, async () => {
    expect(max).toBeGreaterThanOrEqual(30);
    const net = uniqueNetwork();
    // Different addresses inside one IPv6 /64 are one network.
    const from = (n: number) => t.browser(in64(net, `${n.toString(16)}::1`));
    // Forms refused for their input are not counted.
    for (let i = 0; i < 5; i++) expect((await from(1000 + i).post("/register", { name: "", email: "x", password: "x", timezone: "UTC" })).status).toBe(422);
    for (let i = 0; i < 30; i++) {
      const res = await registerFrom(from(i));
      expect(res.status, `account ${i + 1}`).toBe(303);
    }
    // Attempts that fail on a taken address count too (every attempt that passes validation).
    const { email: taken } = await t.browser().register();
    for (let i = 30; i < max; i++) expect((await registerFrom(from(i), taken)).status).toBe(422);

    const refusedEmail = uniqueEmail();
    const refused = await registerFrom(from(999), refusedEmail);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(setCookieLine(refused, "session")).toBeUndefined();
    const html = await refused.text();
    expect(textOf(html)).toContain("Too many accounts were created from your network recently. Please try again in 60 minutes.");
    expect(inputValue(html, "email")).toBe(refusedEmail);
    expect(inputValue(html, "name")).toBe("Household Member");
    expect(html).not.toContain(PASSWORD);
    expect(await t.database.db.select().from(users).where(eq(users.email, refusedEmail))).toEqual([]);

    // Another network is not held back.
    expect((await registerFrom(t.browser())).status).toBe(303);

    t.clock.advance(HOUR + 1000);
    expect((await registerFrom(from(1001))).status).toBe(303);
  });
});

describe("a token of another purpose", () => {
  it("is refused at /verify like an unknown link", async () => {
    const { browser, email } = await newcomer();
    const user = await userByEmail(t, email);
    const { token, row } = await newAccountToken("reset", user.id, email, t.clock.now());
    await insertAccountToken(t.database.db, row);
    for (const res of [await browser.get(`/verify/${token}`), await browser.post(`/verify/${token}`)]) {
      expect(res.status).toBe(404);
      expect(await text(res)).toContain("This link does not work");
    }
    expect((await userByEmail(t, email)).emailVerifiedAt).toBeNull();
  });
});
