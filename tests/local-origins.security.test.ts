import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "../src/db/schema.js";
import { sameOrigins } from "../src/http/same-origin.js";
import { uniqueIp } from "./support/auth-helpers.js";
import { Browser, makeTestApp, uniqueEmail } from "./support/test-app.js";

// `npm start` and `npm run dev` print 127.0.0.1 while APP_URL says localhost: a person who opens
// the printed address must be able to register and add a task (issue #12, item 12).
const local = await makeTestApp({ appUrl: "http://localhost:3000" });
const production = await makeTestApp({ appUrl: "https://tasks.example.com" });

/** A browser that opened the app at `origin` (its requests go there and carry that Origin). */
const at = (t: typeof local, origin: string) => new Browser(t.app, origin, uniqueIp());

describe("local origins: happy", () => {
  it.each(["http://127.0.0.1:3000", "http://[::1]:3000", "http://localhost:3000"])(
    "with APP_URL http://localhost:3000, a person at %s registers and adds a task",
    async (origin) => {
      const b = at(local, origin);
      await b.register();
      const id = await b.createTask({ title: `Water plants ${crypto.randomUUID().slice(0, 8)}` });
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect((await b.post("/logout")).status).toBe(303);
    },
  );

  it("names the three loopback spellings of a loopback origin, same scheme and port", () => {
    expect(sameOrigins("http://localhost:8787")).toEqual(["http://localhost:8787", "http://127.0.0.1:8787", "http://[::1]:8787"]);
    expect(sameOrigins("http://127.0.0.1")).toEqual(["http://localhost", "http://127.0.0.1", "http://[::1]"]);
  });
});

describe("local origins: security", () => {
  it.each([
    ["another port", "http://127.0.0.1:3001"],
    ["another scheme", "https://127.0.0.1:3000"],
    ["a look-alike host", "http://localhost.evil.example:3000"],
    ["another private address", "http://192.168.1.10:3000"],
  ])("with a loopback APP_URL, a registration from %s is refused", async (_label, origin) => {
    const email = uniqueEmail();
    const res = await local.browser(uniqueIp()).post("/register", { name: "X", email, password: "correct horse battery", timezone: "UTC" }, { headers: { origin } });
    expect(res.status).toBe(403);
    expect(await local.database.db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
  });

  it.each(["http://127.0.0.1:3000", "http://localhost:3000", "http://[::1]:3000", "http://tasks.example.com"])(
    "with a public APP_URL (https://tasks.example.com), a registration from %s is refused",
    async (origin) => {
      const email = uniqueEmail();
      const res = await production.browser(uniqueIp()).post("/register", { name: "X", email, password: "correct horse battery", timezone: "UTC" }, { headers: { origin } });
      expect(res.status).toBe(403);
      expect(await production.database.db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
    },
  );

  it("a public origin has no aliases", () => {
    expect(sameOrigins("https://tasks.example.com")).toEqual(["https://tasks.example.com"]);
  });
});
