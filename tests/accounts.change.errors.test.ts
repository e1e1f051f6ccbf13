import { describe, expect, it } from "vitest";
import { ACCOUNT_LIMITS } from "../src/auth/account-limits.js";
import { LOGIN_LIMITS } from "../src/auth/rate-limit.js";
import { location, uniqueIp } from "./support/auth-helpers.js";
import { latestLink, mailTo, sessionCount, userByEmail } from "./support/account-links.js";
import { makeTestApp, textOf, uniqueEmail } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });
const NEW_PASSWORD = "a brand new passphrase";
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const logsIn = async (email: string, password: string) => location(await t.browser(uniqueIp()).post("/login", { email, password })) === "/today";

/** The message shown beside a field, by its id. */
const fieldError = (html: string, id: string) => html.match(new RegExp(`<small id="${id}-error" class="error">([^<]*)</small>`))?.[1];

describe("change password refuses", () => {
  it("a wrong current password with 422 beside that field, changing nothing", async () => {
    const here = t.browser(uniqueIp());
    const { email, password } = await here.register();
    const elsewhere = t.browser(uniqueIp());
    await elsewhere.post("/login", { email, password });

    const res = await here.post("/settings/password", { current_password: "not my password", password: NEW_PASSWORD });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, "current_password")).toBe("That is not your current password.");
    expect(html).not.toContain("not my password");
    expect(html).not.toContain(NEW_PASSWORD);
    expect((await elsewhere.get("/tasks")).status).toBe(200);
    expect(await logsIn(email, password)).toBe(true);
  });

  it("a missing current password and a new one against the rules", async () => {
    const here = t.browser(uniqueIp());
    const { email, password } = await here.register();
    const res = await here.post("/settings/password", { current_password: "", password: "short" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, "current_password")).toBe("Enter your current password.");
    expect(fieldError(html, "password")).toBe("Use at least 8 characters.");
    const common = await here.post("/settings/password", { current_password: password, password: "password123" });
    expect(common.status).toBe(422);
    expect(fieldError(await common.text(), "password")).toContain("most common");
    expect(await logsIn(email, password)).toBe(true);
  });

  it("endless guessing: past the login limits it answers 429 with Retry-After, even for the right password", async () => {
    const here = t.browser(uniqueIp());
    const { password } = await here.register();
    for (let i = 0; i < LOGIN_LIMITS.pair.max; i++) {
      expect((await here.post("/settings/password", { current_password: `guess ${i}`, password: NEW_PASSWORD })).status).toBe(422);
    }
    const limited = await here.post("/settings/password", { current_password: password, password: NEW_PASSWORD });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(fieldError(await limited.text(), "current_password")).toContain("Too many wrong passwords");
    t.clock.advance(16 * MINUTE);
    expect((await here.post("/settings/password", { current_password: password, password: NEW_PASSWORD })).status).toBe(303);
  });

  it("anyone not signed in", async () => {
    const b = t.browser(uniqueIp());
    expect(location(await b.get("/settings/password"))).toBe("/login?next=%2Fsettings%2Fpassword");
    expect(location(await b.get("/settings/email"))).toBe("/login?next=%2Fsettings%2Femail");
    expect(location(await b.post("/settings/password", { current_password: "x", password: NEW_PASSWORD }))).toBe("/login");
    expect(location(await b.post("/settings/email", { email: uniqueEmail(), current_password: "x" }))).toBe("/login");
  });
});

describe("change email refuses", () => {
  it("a bad address, the same address, and a wrong password, keeping what was typed", async () => {
    const b = t.browser(uniqueIp());
    const { email, password } = await b.register();
    for (const [typed, message] of [
      ["", "Enter your email address."],
      ["not an address", "Enter a valid email address, like name@example.com."],
      [` ${email.toUpperCase()}`, "That is already your address."],
    ] as const) {
      const res = await b.post("/settings/email", { email: typed, current_password: password });
      expect(res.status, typed).toBe(422);
      const html = await res.text();
      expect(fieldError(html, "email")).toBe(message);
      if (typed.trim()) expect(html).toContain(`value="${typed}"`);
    }
    const fresh = uniqueEmail();
    const wrong = await b.post("/settings/email", { email: fresh, current_password: "not my password" });
    expect(wrong.status).toBe(422);
    const html = await wrong.text();
    expect(fieldError(html, "current_password")).toBe("That is not your current password.");
    expect(html).toContain(`value="${fresh}"`);
    expect(await mailTo(t, fresh)).toEqual([]);
    expect((await userByEmail(t, email))).not.toBeNull();
  });

  it(`more than ${ACCOUNT_LIMITS.emailChange.account.max} requests an hour with 429 and Retry-After`, async () => {
    const b = t.browser(uniqueIp());
    const { password } = await b.register();
    for (let i = 0; i < ACCOUNT_LIMITS.emailChange.account.max; i++) {
      expect((await b.post("/settings/email", { email: uniqueEmail(), current_password: password })).status).toBe(303);
    }
    const fresh = uniqueEmail();
    const res = await b.post("/settings/email", { email: fresh, current_password: password });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(textOf(await res.text())).toContain("Try again in");
    expect(await mailTo(t, fresh)).toEqual([]);
  });
});

describe("address change links", () => {
  async function changeRequested() {
    const b = t.browser(uniqueIp());
    const { email: old, password } = await b.register();
    const fresh = uniqueEmail();
    await b.post("/settings/email", { email: fresh, current_password: password });
    return { b, old, fresh, password, confirm: (await latestLink(t, fresh, "/email-change/confirm/"))! };
  }

  it("a confirmation link works once and for 24 hours", async () => {
    const once = await changeRequested();
    expect((await t.browser().post(once.confirm)).status).toBe(303);
    const again = await t.browser().post(once.confirm);
    expect(again.status).toBe(410);
    expect(textOf(await again.text())).toContain("This link was already used");
    expect((await t.browser().get(once.confirm)).status).toBe(410);

    const late = await changeRequested();
    t.clock.advance(DAY);
    const res = await t.browser().post(late.confirm);
    expect(res.status).toBe(410);
    expect(textOf(await res.text())).toContain("This link has expired");
    expect((await userByEmail(t, late.old))).not.toBeNull();
    expect(await userByEmail(t, late.fresh)).toBeNull();
  });

  it("only the latest request's link works", async () => {
    const { b, old, password, confirm: first } = await changeRequested();
    const second = uniqueEmail();
    await b.post("/settings/email", { email: second, current_password: password });
    expect((await t.browser().post(first)).status).toBe(404);
    expect((await t.browser().post((await latestLink(t, second, "/email-change/confirm/"))!)).status).toBe(303);
    expect((await userByEmail(t, second))).not.toBeNull();
    expect(await userByEmail(t, old)).toBeNull();
  });

  it("an undo link works once, and not after 7 days", async () => {
    const once = await changeRequested();
    await t.browser().post(once.confirm);
    const undo = (await latestLink(t, once.old, "/email-change/undo/"))!;
    expect((await t.browser().post(undo)).status).toBe(303);
    const again = await t.browser().post(undo);
    expect(again.status).toBe(410);
    expect(textOf(await again.text())).toContain("This link was already used");

    const late = await changeRequested();
    await t.browser().post(late.confirm);
    const lateUndo = (await latestLink(t, late.old, "/email-change/undo/"))!;
    t.clock.advance(7 * DAY);
    const res = await t.browser().post(lateUndo);
    expect(res.status).toBe(410);
    expect(textOf(await res.text())).toContain("This link has expired");
    expect((await t.browser().get(lateUndo)).status).toBe(410);
    // Refused means nothing happened: the new address stays, and so does the session.
    expect((await userByEmail(t, late.fresh))).not.toBeNull();
    expect((await late.b.get("/tasks")).status).toBe(200);
    expect(await sessionCount(t, (await userByEmail(t, late.fresh))!.id)).toBe(1);
  });

  it("links of one kind do not work as another", async () => {
    const { old, confirm } = await changeRequested();
    expect((await t.browser().post(confirm.replace("/confirm/", "/undo/"))).status).toBe(404);
    expect((await t.browser().post(confirm.replace("/email-change/confirm/", "/reset/"), { password: NEW_PASSWORD })).status).toBe(404);
    expect((await t.browser().post("/email-change/confirm/junk")).status).toBe(404);
    expect((await t.browser().get("/email-change/undo/junk")).status).toBe(404);
    expect((await userByEmail(t, old))).not.toBeNull();
  });
});
