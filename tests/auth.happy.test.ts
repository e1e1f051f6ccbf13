import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "../src/db/schema.js";
import { location, setCookieLine, uniqueIp } from "./support/auth-helpers.js";
import { makeTestApp, textOf, uniqueEmail } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });
const PASSWORD = "correct horse battery";

/** A fresh mixed-case address, as a user might type it, and the canonical spelling the app keeps. */
function typedEmail() {
  const canonical = uniqueEmail();
  return { typed: `  ${canonical.replace("user", "Ada").replace("example.com", "Example.COM")}  `, canonical: canonical.replace("user", "ada") };
}

describe("registration", () => {
  it("creates the account, signs the user in and lands on Today", async () => {
    const b = t.browser();
    const { typed, canonical } = typedEmail();
    const res = await b.post("/register", { name: "Ada Lovelace", email: typed, password: PASSWORD, timezone: "Europe/London" });
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/today");
    expect(setCookieLine(res, "session")).toBeDefined();

    const tasks = await b.get("/tasks");
    expect(tasks.status).toBe(200);
    expect(textOf(await tasks.text())).toContain("Log out Ada Lovelace");

    const [row] = await t.database.db.select().from(users).where(eq(users.email, canonical));
    expect(row?.email).toBe(canonical);
    expect(row?.timezone).toBe("Europe/London");
    // The password is stored as an argon2id hash, never as typed.
    expect(row?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row?.passwordHash).not.toContain(PASSWORD);
  });

  it("trims and lower-cases the email, so the canonical spelling logs in", async () => {
    const { typed, canonical } = typedEmail();
    await t.browser().post("/register", { name: "Ada", email: typed, password: PASSWORD, timezone: "UTC" });

    const b = t.browser(uniqueIp());
    const res = await b.post("/login", { email: canonical, password: PASSWORD });
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/today");
    expect((await b.get("/tasks")).status).toBe(200);
  });

  it("lets any spelling of the address log in, since it is one mailbox", async () => {
    const { typed, canonical } = typedEmail();
    await t.browser().register({ email: canonical });
    const res = await t.browser(uniqueIp()).post("/login", { email: typed.toUpperCase(), password: PASSWORD });
    expect(res.status).toBe(303);
  });

  it("sends a signed-in user away from the register and login forms", async () => {
    const b = t.browser();
    await b.register();
    expect(location(await b.get("/register"))).toBe("/today");
    expect(location(await b.get("/login"))).toBe("/today");
    expect(location(await b.get("/login?next=%2Ftasks%3Fstatus%3Ddone"))).toBe("/tasks?status=done");
    expect(location(await b.get("/login?next=%2F%2Fevil.com"))).toBe("/today");
  });

  it("shows empty forms to a visitor", async () => {
    const b = t.browser();
    const register = await b.get("/register");
    expect(register.status).toBe(200);
    expect(await register.text()).toContain('action="/register"');
    const login = await b.get("/login");
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('action="/login"');
  });
});

describe("the home page", () => {
  it("sends a visitor to the login page", async () => {
    const res = await t.browser().get("/");
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/login");
  });

  it("sends a signed-in user to Today", async () => {
    const b = t.browser();
    await b.register();
    const res = await b.get("/");
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/today");
  });
});

describe("logging in", () => {
  async function account() {
    const { email } = await t.browser().register();
    return email;
  }

  it("answers 303 to Today with a session cookie", async () => {
    const email = await account();
    const b = t.browser(uniqueIp());
    const res = await b.post("/login", { email, password: PASSWORD });
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/today");
    expect(setCookieLine(res, "session")).toBeDefined();
    expect((await b.get("/tasks")).status).toBe(200);
  });

  it("returns to a safe relative `next` path", async () => {
    const email = await account();
    const res = await t.browser(uniqueIp()).post("/login", { email, password: PASSWORD, next: "/tasks?status=done" });
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/tasks?status=done");
  });

  it.each([
    "//evil.com",
    "//evil.com/tasks",
    "https://evil.com",
    "http://evil.com/tasks",
    "/\\evil.com",
    "\\\\evil.com",
    "/\t/evil.com",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "evil.com",
    " //evil.com",
  ])("ignores the unsafe `next` %j and goes to Today", async (next) => {
    const email = await account();
    const res = await t.browser(uniqueIp()).post("/login", { email, password: PASSWORD, next });
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/today");
  });

  it("takes a visitor to the login page and back to where they were going", async () => {
    const email = await account();
    const b = t.browser(uniqueIp());
    const res = await b.get("/tasks?status=done");
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/login?next=%2Ftasks%3Fstatus%3Ddone");

    const form = await (await b.get(location(res)!)).text();
    expect(form).toMatch(/<input type="hidden" name="next" value="\/tasks\?status=done"/);

    const login = await b.post("/login", { email, password: PASSWORD, next: "/tasks?status=done" });
    expect(location(login)).toBe("/tasks?status=done");
    expect((await b.get("/tasks?status=done")).status).toBe(200);
  });

  it("sends a plain visitor of /tasks to /login?next=%2Ftasks", async () => {
    const res = await t.browser().get("/tasks");
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/login?next=%2Ftasks");
  });

  it("tells htmx to redirect (200 + HX-Redirect) instead of answering a 303 it would follow silently", async () => {
    const res = await t.browser().get("/tasks?status=todo", { htmx: "/tasks?status=todo&sort=due" });
    expect(res.status).toBe(200);
    expect(location(res)).toBeNull();
    expect(res.headers.get("hx-redirect")).toBe("/login?next=%2Ftasks%3Fstatus%3Dtodo%26sort%3Ddue");
    expect(await res.text()).toBe("");
  });
});

describe("logging out", () => {
  it("ends the session and clears the cookie", async () => {
    const b = t.browser();
    await b.register();
    const res = await b.post("/logout");
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/login");
    expect(setCookieLine(res, "session")).toMatch(/^session=;.*Max-Age=0/i);
    expect(b.cookies.has("session")).toBe(false);
    expect(location(await b.get("/tasks"))).toBe("/login?next=%2Ftasks");
    expect(location(await b.get("/"))).toBe("/login");
  });
});

describe("health check", () => {
  it("answers 200 JSON with the database ok", async () => {
    const res = await t.browser().get("/healthz");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toMatchObject({ status: "ok", database: "ok" });
  });
});
