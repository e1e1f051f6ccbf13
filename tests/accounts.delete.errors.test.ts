import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { LOGIN_LIMITS } from "../src/auth/rate-limit.js";
import { loginFailures, sessions, tasks, users } from "../src/db/schema.js";
import { userIdOf } from "./support/account-deletion.js";
import { location, uniqueIp } from "./support/auth-helpers.js";
import { makeTestApp, settled, textOf } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });
const PASSWORD = "correct horse battery";

async function stillThere(email: string) {
  const id = await userIdOf(t, email);
  const db = t.database.db;
  return {
    user: (await db.select().from(users).where(eq(users.id, id))).length,
    tasks: (await db.select().from(tasks).where(eq(tasks.userId, id))).length,
    sessions: (await db.select().from(sessions).where(eq(sessions.userId, id))).length,
  };
}

const failuresOf = (email: string) => t.database.db.select().from(loginFailures).where(eq(loginFailures.account, email));

describe("a wrong password", () => {
  it("answers 422 with the form and a message beside the field, deletes nothing, and never echoes the password", async () => {
    const b = t.browser(uniqueIp());
    const { email } = await b.register({ password: PASSWORD });
    await b.createTask({ title: "Keep me" });
    const before = await stillThere(email);

    const res = await b.post("/settings/delete", { current_password: "my secret guess" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/<small id="current_password-error" class="error">That is not your current password\.<\/small>/);
    expect(html).toContain('aria-invalid="true"');
    expect(textOf(html)).toContain("Your account was not deleted.");
    expect(html).not.toContain("my secret guess");
    expect(html).toMatch(/<form method="post" action="\/settings\/delete"/);

    expect(await stillThere(email)).toEqual(before);
    expect(before).toMatchObject({ user: 1, tasks: 1, sessions: 1 });
    expect((await b.get("/tasks")).status).toBe(200);
    await settled();
  });

  it("counts as a failed login under the address; the deletion later removes it", async () => {
    const b = t.browser(uniqueIp());
    const { email } = await b.register({ password: PASSWORD });
    expect((await b.post("/settings/delete", { current_password: "wrong password" })).status).toBe(422);
    expect(await failuresOf(email)).toHaveLength(1);
    expect((await b.post("/settings/delete", { current_password: PASSWORD })).status).toBe(303);
    expect(await failuresOf(email)).toEqual([]);
    await settled();
  });

  it("an empty field is asked again without counting a guess", async () => {
    const b = t.browser(uniqueIp());
    const { email } = await b.register({ password: PASSWORD });
    const res = await b.post("/settings/delete", { current_password: "" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Enter your password to delete your account.");
    expect(await failuresOf(email)).toEqual([]);
    expect((await stillThere(email)).user).toBe(1);
  });

  it("stops guessing at the login limit: 429 with Retry-After, even for the right password, and the login form is limited too", async () => {
    const ip = uniqueIp();
    const b = t.browser(ip);
    const { email } = await b.register({ password: PASSWORD });
    // This browser holds a device cookie for the account, so the per-device limit is the one that applies.
    for (let i = 0; i < LOGIN_LIMITS.device.max; i++) expect((await b.post("/settings/delete", { current_password: `guess ${i}` })).status).toBe(422);

    const limited = await b.post("/settings/delete", { current_password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(textOf(await limited.text())).toMatch(/Too many wrong passwords\. For your account's safety, try again in \d+ minutes?\./);
    expect((await stillThere(email)).user).toBe(1);
    // The same guesses count against signing in from this network.
    expect((await t.browser(ip).post("/login", { email, password: PASSWORD })).status).toBe(429);

    // Once the window has passed, the owner can delete the account.
    t.clock.advance(LOGIN_LIMITS.pair.windowMs + 1000);
    try {
      expect((await b.post("/settings/delete", { current_password: PASSWORD })).status).toBe(303);
    } finally {
      t.clock.advance(-(LOGIN_LIMITS.pair.windowMs + 1000));
    }
    await settled();
  });
});

describe("signed out", () => {
  it("sends GET to the login page and back, and a POST to the login page, deleting nothing", async () => {
    const anon = t.browser(uniqueIp());
    expect(location(await anon.get("/settings/delete"))).toBe("/login?next=%2Fsettings%2Fdelete");
    expect(location(await anon.post("/settings/delete", { current_password: PASSWORD }))).toBe("/login");
  });
});
