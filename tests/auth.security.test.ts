import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../src/bytes.js";
import { sessions, tasks, users } from "../src/db/schema.js";
import { cookieAttributes, DAY, location, rawRequest, setCookieLine, uniqueIp } from "./support/auth-helpers.js";
import { makeTestApp, settled, uniqueEmail, type Browser } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });
const PASSWORD = "correct horse battery";

/** A browser signed in to a fresh account, with its token and account email. */
async function signedIn() {
  const b = t.browser(uniqueIp());
  const { email } = await b.register();
  return { b, email, token: b.cookies.get("session")! };
}

/** A browser holding only the given session cookie. */
function withToken(token: string): Browser {
  const b = t.browser(uniqueIp());
  b.cookies.set("session", token);
  return b;
}

const isSignedIn = async (b: Browser) => (await b.get("/tasks")).status === 200;
const sessionRow = async (id: string) => (await t.database.db.select().from(sessions).where(eq(sessions.id, id)))[0];

describe("session cookie and token", () => {
  it("is HttpOnly, SameSite=Lax, Path=/ and named `session` over http", async () => {
    const res = await t.browser().post("/register", { name: "Ada", email: uniqueEmail(), password: PASSWORD, timezone: "UTC" });
    const line = setCookieLine(res, "session")!;
    expect(line).toBeDefined();
    const attrs = cookieAttributes(line);
    expect(attrs).toHaveProperty("httponly");
    expect(attrs.samesite).toBe("Lax");
    expect(attrs.path).toBe("/");
    expect(attrs).not.toHaveProperty("domain");
    expect(new Date(attrs.expires!).getTime()).toBe(t.clock.now().getTime() + 30 * DAY);
  });

  it("holds id.secret from the CSPRNG, and the database only SHA-256 of the secret", async () => {
    const { token } = await signedIn();
    expect(token).toMatch(/^[0-9a-f]{40}\.[0-9a-f]{64}$/);
    const [id, secret] = token.split(".") as [string, string];
    const row = await sessionRow(id);
    expect(row).toBeDefined();
    expect(row!.secretHash).not.toBe(secret);
    expect(row!.secretHash).toBe(await sha256Hex(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
  });

  it("refuses a token with the right id and a different secret", async () => {
    const { b, token } = await signedIn();
    const [id, secret] = token.split(".") as [string, string];
    const forged = `${id}.${secret.slice(0, -1)}${secret.endsWith("0") ? "1" : "0"}`;
    const res = await withToken(forged).get("/tasks");
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/login?next=%2Ftasks");
    // Only the forger is turned away; the owner is still signed in.
    expect(await isSignedIn(b)).toBe(true);
  });

  it.each(["", "garbage", "a.b", ".", "x".repeat(5000), "%00", "..", "0".repeat(40) + "." + "0".repeat(64)])(
    "treats the malformed token %j as signed out",
    async (token) => {
      const res = await t.app.request("http://smarttask.test/tasks", { headers: { cookie: `session=${token}` }, redirect: "manual" });
      expect(res.status).toBe(303);
      expect(location(res)).toBe("/login?next=%2Ftasks");
    },
  );

  it("starts a new session on every login and ends the browser's previous one", async () => {
    const { email, token: first } = await signedIn();
    const b = t.browser(uniqueIp());
    expect((await b.post("/login", { email, password: PASSWORD })).status).toBe(303);
    const second = b.cookies.get("session")!;
    expect(second).not.toBe(first);
    expect(await isSignedIn(withToken(first))).toBe(true); // another browser's session is left alone

    expect((await b.post("/login", { email, password: PASSWORD })).status).toBe(303);
    const third = b.cookies.get("session")!;
    expect(third).not.toBe(second);
    expect(await isSignedIn(withToken(second))).toBe(false);
    expect(await sessionRow(second.split(".")[0]!)).toBeUndefined();
    expect(await isSignedIn(b)).toBe(true);
  });

  it("never lets a short password match its zero-padded twin", async () => {
    const b = t.browser();
    const { email } = await b.register({ password: "ab\u0000\u0000\u0000\u0000\u0000\u0000" });
    expect((await t.browser(uniqueIp()).post("/login", { email, password: "ab" })).status).toBe(422);
    expect((await t.browser(uniqueIp()).post("/login", { email, password: "ab\u0000\u0000\u0000\u0000\u0000\u0000" })).status).toBe(303);
  });
});

describe("logout", () => {
  it("deletes the session server-side, so a replayed cookie is refused", async () => {
    const { b, token } = await signedIn();
    expect((await b.post("/logout")).status).toBe(303);
    expect(await sessionRow(token.split(".")[0]!)).toBeUndefined();
    const replay = await withToken(token).get("/tasks");
    expect(replay.status).toBe(303);
    expect(location(replay)).toBe("/login?next=%2Ftasks");
  });
});

describe("session lifetime", () => {
  it("expires after 30 days without use", async () => {
    const { b, token } = await signedIn();
    t.clock.advance(30 * DAY + 1000);
    const res = await b.get("/tasks");
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/login?next=%2Ftasks");
    expect(setCookieLine(res, "session")).toMatch(/Max-Age=0/i);
    expect(await sessionRow(token.split(".")[0]!)).toBeUndefined();
  });

  it("slides: use after 16 days re-sends the cookie with a later expiry, and keeps it alive to day 40", async () => {
    const { b, token } = await signedIn();
    const start = t.clock.now().getTime();
    const id = token.split(".")[0]!;

    t.clock.advance(16 * DAY);
    const res = await b.get("/tasks");
    expect(res.status).toBe(200);
    const line = setCookieLine(res, "session")!;
    expect(line).toBeDefined();
    expect(line.startsWith(`session=${token};`)).toBe(true);
    expect(new Date(cookieAttributes(line).expires!).getTime()).toBe(start + 46 * DAY);
    expect((await sessionRow(id))!.expiresAt.getTime()).toBe(start + 46 * DAY);

    t.clock.advance(16 * DAY); // day 32: past the first 30 days
    expect(await isSignedIn(b)).toBe(true);
    t.clock.advance(8 * DAY); // day 40
    expect(await isSignedIn(b)).toBe(true);
  });

  it("ends 90 days after sign-in however active the user is", async () => {
    const { b, token } = await signedIn();
    const start = t.clock.now().getTime();
    for (let day = 10; day < 90; day += 10) {
      t.clock.set(new Date(start + day * DAY));
      const res = await b.get("/tasks");
      expect(res.status, `day ${day}`).toBe(200);
      const line = setCookieLine(res, "session");
      if (line) expect(new Date(cookieAttributes(line).expires!).getTime()).toBeLessThanOrEqual(start + 90 * DAY);
    }
    t.clock.set(new Date(start + 90 * DAY - 60_000));
    expect(await isSignedIn(b)).toBe(true);
    t.clock.set(new Date(start + 90 * DAY));
    expect(await isSignedIn(b)).toBe(false);
    expect(await isSignedIn(withToken(token))).toBe(false);
  });

  it("checks the session in one query and does not write the expiry on every request", async () => {
    const { b, token } = await signedIn();
    const before = (await sessionRow(token.split(".")[0]!))!.expiresAt.getTime();
    t.clock.advance(DAY);
    await settled(); // the registration's mail, sent after its response, is not this request's
    // The first request over an hour after the last recorded use records this one (one UPDATE, at most hourly);
    // the requests after it in that hour only read.
    let trips = t.database.roundTrips();
    expect(location(await b.get("/"))).toBe("/today");
    expect(t.database.roundTrips() - trips).toBe(2);

    trips = t.database.roundTrips();
    const home = await b.get("/");
    expect(location(home)).toBe("/today");
    expect(t.database.roundTrips() - trips).toBe(1);

    trips = t.database.roundTrips();
    const res = await b.get("/tasks");
    expect(res.status).toBe(200);
    expect(t.database.roundTrips() - trips).toBeLessThanOrEqual(2);
    expect(setCookieLine(res, "session")).toBeUndefined();
    expect((await sessionRow(token.split(".")[0]!))!.expiresAt.getTime()).toBe(before);
  });
});

describe("CSRF: state changes only from our own origin", () => {
  const forms = {
    form: ["application/x-www-form-urlencoded", "title=Forged"],
    json: ["application/json", '{"title":"Forged"}'],
    text: ["text/plain", "title=Forged"],
  } as const;
  const foreign: Record<string, Record<string, string>> = {
    "a foreign Origin": { origin: "https://evil.example" },
    "our host over another scheme": { origin: "https://smarttask.test" },
    "our host on another port": { origin: "http://smarttask.test:8080" },
    "Origin: null": { origin: "null" },
    "no Origin and Sec-Fetch-Site: cross-site": { "sec-fetch-site": "cross-site" },
    "no Origin and Sec-Fetch-Site: same-site": { "sec-fetch-site": "same-site" },
    "no Origin at all": {},
  };
  const cases = Object.entries(foreign).flatMap(([label, headers]) => Object.entries(forms).map(([kind, [type, body]]) => ({ label, headers, kind, type, body })));

  it.each(cases)("refuses logout with $label ($kind) and the session lives on", async ({ headers, type, body }) => {
    const { b, token } = await signedIn();
    const res = await rawRequest(t, "POST", "/logout", { headers: { ...headers, cookie: `session=${token}`, "content-type": type }, body });
    expect(res.status).toBe(403);
    expect(await isSignedIn(b)).toBe(true);
  });

  it.each(cases)("refuses a task from $label ($kind) and creates nothing", async ({ headers, type, body }) => {
    const { token, email } = await signedIn();
    const res = await rawRequest(t, "POST", "/tasks", { headers: { ...headers, cookie: `session=${token}`, "content-type": type }, body });
    expect(res.status).toBe(403);
    const [user] = await t.database.db.select().from(users).where(eq(users.email, email));
    expect(await t.database.db.select().from(tasks).where(and(eq(tasks.userId, user!.id)))).toHaveLength(0);
  });

  it("refuses a cross-site login (login CSRF) and a cross-site registration", async () => {
    const { email } = await t.browser().register();
    const login = await t.browser(uniqueIp()).post("/login", { email, password: PASSWORD }, { headers: { origin: "https://evil.example" } });
    expect(login.status).toBe(403);
    expect(setCookieLine(login, "session")).toBeUndefined();

    const victim = uniqueEmail();
    const reg = await t.browser().post("/register", { name: "X", email: victim, password: PASSWORD, timezone: "UTC" }, { headers: { origin: "https://evil.example" } });
    expect(reg.status).toBe(403);
    expect(await t.database.db.select().from(users).where(eq(users.email, victim))).toHaveLength(0);
  });

  it("refuses a cross-site settings change", async () => {
    const { b, token } = await signedIn();
    const res = await rawRequest(t, "POST", "/settings", {
      headers: { origin: "https://evil.example", cookie: `session=${token}`, "content-type": "application/x-www-form-urlencoded" },
      body: "name=Hacked&timezone=UTC",
    });
    expect(res.status).toBe(403);
    expect(await (await b.get("/settings")).text()).not.toContain("Hacked");
  });

  it("accepts a same-origin post, with Origin or with Sec-Fetch-Site: same-origin", async () => {
    const { token, b } = await signedIn();
    const res = await rawRequest(t, "POST", "/tasks", {
      headers: { "sec-fetch-site": "same-origin", cookie: `session=${token}`, "content-type": "application/x-www-form-urlencoded" },
      body: "title=Mine",
    });
    expect(res.status).toBe(303);
    expect((await b.post("/logout")).status).toBe(303);
    expect(await isSignedIn(b)).toBe(false);
  });

  it("never changes state on GET: GET /logout is 404 and the session still works", async () => {
    const { b } = await signedIn();
    const res = await b.get("/logout");
    expect(res.status).toBe(404);
    expect(setCookieLine(res, "session")).toBeUndefined();
    expect(await isSignedIn(b)).toBe(true);
  });
});

describe("passwords never go into a page", () => {
  it("registration errors bring back every field but the password", async () => {
    const secret = `Unguessable-${crypto.randomUUID()}`;
    const res = await t.browser().post("/register", { name: "Ada", email: "not-an-email", password: secret, timezone: "UTC" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('value="not-an-email"');
    expect(html).not.toContain(secret);
  });

  it("a taken address answers without the password either", async () => {
    const { email } = await t.browser(uniqueIp()).register();
    const secret = `Unguessable-${crypto.randomUUID()}`;
    const res = await t.browser().post("/register", { name: "Ada", email, password: secret, timezone: "UTC" });
    expect(res.status).toBe(422);
    expect(await res.text()).not.toContain(secret);
  });

  it("a failed or refused login page keeps the email and drops the password", async () => {
    const b = t.browser(uniqueIp());
    const email = uniqueEmail();
    const secret = `Unguessable-${crypto.randomUUID()}`;
    for (let i = 0; i < 10; i++) {
      const res = await b.post("/login", { email, password: secret });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain(`value="${email}"`);
      expect(html).not.toContain(secret);
    }
    const limited = await b.post("/login", { email, password: secret });
    expect(limited.status).toBe(429);
    expect(await limited.text()).not.toContain(secret);
  });
});
