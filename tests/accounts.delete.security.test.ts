import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { devMailbox, users } from "../src/db/schema.js";
import { rawRequest, uniqueIp } from "./support/auth-helpers.js";
import { makeTestApp, settled } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });
const PASSWORD = "correct horse battery";

const userExists = async (email: string) => (await t.database.db.select().from(users).where(eq(users.email, email))).length === 1;
const cookieHeader = (cookies: Map<string, string>) => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");

describe("cross-site requests", () => {
  it.each([
    ["without Origin", {}],
    ["from another origin", { origin: "https://evil.example" }],
  ])("a post %s is refused with 403 and deletes nothing", async (_case, extra) => {
    const b = t.browser(uniqueIp());
    const { email } = await b.register({ password: PASSWORD });
    const res = await rawRequest(t, "POST", "/settings/delete", {
      headers: { cookie: cookieHeader(b.cookies), "content-type": "application/x-www-form-urlencoded", ...extra },
      body: new URLSearchParams({ current_password: PASSWORD }),
    });
    expect(res.status).toBe(403);
    expect(await userExists(email)).toBe(true);
    expect((await b.get("/tasks")).status).toBe(200);
  });
});

describe("whose account", () => {
  it("deletes only the signed-in person's account, whatever the form names", async () => {
    const victim = t.browser(uniqueIp());
    const { email: victimEmail } = await victim.register({ password: PASSWORD });
    const b = t.browser(uniqueIp());
    const { email } = await b.register({ password: PASSWORD });
    // Fields a forged form might add are not read: the account is the session's.
    const res = await b.post("/settings/delete", { current_password: PASSWORD, email: victimEmail, user_id: "x" });
    expect(res.status).toBe(303);
    expect(await userExists(email)).toBe(false);
    expect(await userExists(victimEmail)).toBe(true);
    expect((await victim.get("/tasks")).status).toBe(200);
    await settled();
  });

  it("a stolen session without the password cannot delete the account", async () => {
    const owner = t.browser(uniqueIp());
    const { email } = await owner.register({ password: PASSWORD });
    const thief = t.browser(uniqueIp());
    thief.cookies.set("session", owner.cookies.get("session")!);
    expect((await thief.post("/settings/delete", { current_password: "the thief's own password" })).status).toBe(422);
    expect(await userExists(email)).toBe(true);
  });
});

describe("twice at once", () => {
  it("two posts of the form (a double click) delete once and send one confirmation", async () => {
    const b = t.browser(uniqueIp());
    const { email } = await b.register({ password: PASSWORD });
    const cookie = cookieHeader(b.cookies);
    const post = () =>
      rawRequest(t, "POST", "/settings/delete", {
        headers: { cookie, origin: b.origin, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ current_password: PASSWORD }),
      });
    const answers = await Promise.all([post(), post()]);
    expect(answers.map((r) => r.status)).toEqual([303, 303]);
    await settled();
    expect(await userExists(email)).toBe(false);
    const confirmations = (await t.database.db.select().from(devMailbox).where(eq(devMailbox.toAddress, email))).filter(
      (m) => m.subject === "Your SmartTask account has been deleted",
    );
    expect(confirmations).toHaveLength(1);
  });
});
