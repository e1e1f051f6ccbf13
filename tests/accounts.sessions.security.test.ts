import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions } from "../src/db/schema.js";
import { location, rawRequest, uniqueIp } from "./support/auth-helpers.js";
import { makeTestApp, textOf, type Browser } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });

const sessionId = (b: Browser) => b.cookies.get("session")!.split(".")[0]!;
const signedIn = async (b: Browser) => (await b.get("/tasks")).status === 200;
const stillStored = async (id: string) => (await t.database.db.select().from(sessions).where(eq(sessions.id, id))).length === 1;

/** One account signed in on two browsers. */
async function twoBrowsers() {
  const a = t.browser(uniqueIp());
  const { email, password } = await a.register();
  const b = t.browser(uniqueIp());
  expect((await b.post("/login", { email, password })).status).toBe(303);
  return { a, b };
}

describe("only the user's own sessions", () => {
  it("answers 404 for another user's session id, like a missing one, and ends nothing", async () => {
    const mallory = t.browser(uniqueIp());
    await mallory.register();
    const victim = await twoBrowsers();
    const target = sessionId(victim.b);

    const res = await mallory.post(`/settings/sessions/${target}/revoke`);
    expect(res.status).toBe(404);
    const missing = await mallory.post(`/settings/sessions/${"0".repeat(40)}/revoke`);
    expect(missing.status).toBe(404);
    expect(textOf(await res.text())).toBe(textOf(await missing.text()));

    expect(await stillStored(target)).toBe(true);
    expect(await signedIn(victim.b)).toBe(true);
    expect(await signedIn(mallory)).toBe(true);
  });

  it("never lists another user's sessions, and signing out elsewhere leaves other users alone", async () => {
    const mallory = t.browser(uniqueIp());
    await mallory.register();
    const victim = await twoBrowsers();
    const page = await (await mallory.get("/settings/sessions")).text();
    expect(page).not.toContain(sessionId(victim.a));
    expect(page).not.toContain(sessionId(victim.b));
    expect(page.match(/<li id="session-/g)).toHaveLength(1);

    expect((await mallory.post("/settings/sessions/revoke-others")).status).toBe(303);
    expect(await signedIn(victim.a)).toBe(true);
    expect(await signedIn(victim.b)).toBe(true);
  });

  it("answers 404 for an id that is not a session id at all", async () => {
    const { a } = await twoBrowsers();
    for (const id of ["x", "A".repeat(40), `${"0".repeat(40)}.${"0".repeat(64)}`, "%27%20or%201=1"]) {
      expect((await a.post(`/settings/sessions/${id}/revoke`)).status, id).toBe(404);
    }
  });

  it("sends a signed-out visitor to the login page and changes nothing", async () => {
    const { b } = await twoBrowsers();
    const page = await t.browser().get("/settings/sessions");
    expect(page.status).toBe(303);
    expect(location(page)).toBe("/login?next=%2Fsettings%2Fsessions");
    const post = await t.browser().post(`/settings/sessions/${sessionId(b)}/revoke`);
    expect(location(post)).toMatch(/^\/login/);
    expect(await signedIn(b)).toBe(true);
  });
});

describe("CSRF: ending sessions only from our own origin", () => {
  const foreign: Record<string, Record<string, string>> = {
    "no Origin": {},
    "a foreign Origin": { origin: "https://evil.example" },
    "Sec-Fetch-Site: cross-site": { "sec-fetch-site": "cross-site" },
  };
  for (const [label, headers] of Object.entries(foreign)) {
    it(`refuses to end one session or all others with ${label}`, async () => {
      const { a, b } = await twoBrowsers();
      const cookie = `session=${a.cookies.get("session")}`;
      const form = { ...headers, cookie, "content-type": "application/x-www-form-urlencoded" };
      const one = await rawRequest(t, "POST", `/settings/sessions/${sessionId(b)}/revoke`, { headers: form, body: "" });
      expect(one.status).toBe(403);
      const others = await rawRequest(t, "POST", "/settings/sessions/revoke-others", { headers: form, body: "" });
      expect(others.status).toBe(403);
      const own = await rawRequest(t, "POST", `/settings/sessions/${sessionId(a)}/revoke`, { headers: form, body: "" });
      expect(own.status).toBe(403);
      expect(await signedIn(a)).toBe(true);
      expect(await signedIn(b)).toBe(true);
    });
  }
});
