import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { loadArgon2ForNode } from "../src/auth/argon2-node.js";
import { networkKey } from "../src/auth/network-key.js";
import { createPasswordHasher } from "../src/auth/password.js";
import { LOGIN_LIMITS } from "../src/auth/rate-limit.js";
import { pruneFailuresBefore } from "../src/db/login-failures.js";
import { loginFailures } from "../src/db/schema.js";
import { runReminderJobs } from "../src/entries/reminder-jobs.js";
import { in64, location, MINUTE, setCookieLine, uniqueIp, uniqueNetwork } from "./support/auth-helpers.js";
import { APP_URL, Browser, makeTestApp, textOf, uniqueEmail } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });
// For the prune: far in the past, so pruning never touches the rows of other files sharing a PostgreSQL database.
const past = await makeTestApp({ now: "1985-03-01T12:00:00Z" });
const PASSWORD = "correct horse battery";
const WRONG = "wrong password!";

async function account() {
  const { email } = await t.browser(uniqueIp()).register();
  return email;
}

async function failLogins(b: Browser, email: string, times: number) {
  for (let i = 0; i < times; i++) {
    const res = await b.post("/login", { email, password: `${WRONG}${i}` });
    expect(res.status, `failed attempt ${i + 1}`).toBe(422);
  }
}

function expectLimited(res: Response, maxSeconds: number) {
  expect(res.status).toBe(429);
  const retryAfter = res.headers.get("retry-after");
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThan(0);
  expect(Number(retryAfter)).toBeLessThanOrEqual(maxSeconds);
  expect(setCookieLine(res, "session")).toBeUndefined();
}

describe("the limits are the documented ones", () => {
  it("allows 10 failures per account and network in 15 minutes, 100 per account in an hour, 30 per network and 10 per device in 15 minutes", () => {
    expect(LOGIN_LIMITS.pair).toEqual({ max: 10, windowMs: 15 * MINUTE });
    expect(LOGIN_LIMITS.account).toEqual({ max: 100, windowMs: 60 * MINUTE });
    expect(LOGIN_LIMITS.network).toEqual({ max: 30, windowMs: 15 * MINUTE });
    expect(LOGIN_LIMITS.device).toEqual({ max: 10, windowMs: 15 * MINUTE });
  });
});

describe("per account and address", () => {
  it("answers the 11th attempt with 429 and Retry-After, even with the right password", async () => {
    const email = await account();
    const attacker = t.browser(uniqueIp());
    await failLogins(attacker, email, 10);

    const res = await attacker.post("/login", { email, password: PASSWORD });
    expectLimited(res, 15 * 60);
    expect(textOf(await res.text())).toMatch(/Too many failed attempts.*try again in 15 minutes/);
    expect(attacker.cookies.has("session")).toBe(false);
  });

  it("counts every spelling of the address as the same account", async () => {
    const email = await account();
    const attacker = t.browser(uniqueIp());
    for (let i = 0; i < 10; i++) {
      const spelling = i % 2 ? ` ${email.toUpperCase()}` : email.replace("user", "USER");
      expect((await attacker.post("/login", { email: spelling, password: WRONG })).status).toBe(422);
    }
    expectLimited(await attacker.post("/login", { email, password: PASSWORD }), 15 * 60);
  });

  it("lets the real owner in from another address meanwhile", async () => {
    const email = await account();
    await failLogins(t.browser(uniqueIp()), email, 10);
    const owner = t.browser(uniqueIp());
    const res = await owner.post("/login", { email, password: PASSWORD });
    expect(res.status).toBe(303);
    expect((await owner.get("/tasks")).status).toBe(200);
  });

  it("lifts once the 15-minute window has passed", async () => {
    const email = await account();
    const b = t.browser(uniqueIp());
    await failLogins(b, email, 10);
    t.clock.advance(14 * MINUTE);
    const waiting = await b.post("/login", { email, password: PASSWORD });
    expectLimited(waiting, 60);
    expect(textOf(await waiting.text())).toMatch(/try again in 1 minute\b/);
    // Retrying while refused does not push the wait further out.
    for (let i = 0; i < 12; i++) expectLimited(await b.post("/login", { email, password: PASSWORD }), 60);

    t.clock.advance(1 * MINUTE);
    const res = await b.post("/login", { email, password: PASSWORD });
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/today");
  });

  it("is cleared for that address by a successful login", async () => {
    const email = await account();
    const b = t.browser(uniqueIp());
    await failLogins(b, email, 9);
    expect((await b.post("/login", { email, password: PASSWORD })).status).toBe(303);
    // The slate is clean: ten more failures are allowed before the limit applies again.
    await failLogins(b, email, 10);
    expectLimited(await b.post("/login", { email, password: PASSWORD }), 15 * 60);
  });

  it("does not let a burst of parallel guesses through the limit", async () => {
    const email = await account();
    const ip = uniqueIp();
    const burst = await Promise.all(Array.from({ length: 25 }, (_, i) => t.browser(ip).post("/login", { email, password: `${WRONG}${i}` })));
    expect(burst.every((r) => r.status === 422 || r.status === 429)).toBe(true);
    let guesses = burst.filter((r) => r.status === 422).length;
    // Then one at a time until refused: all told, no more than 10 guesses in the window.
    for (let i = 0; i < 20; i++) {
      const res = await t.browser(ip).post("/login", { email, password: `${WRONG}-${i}` });
      if (res.status === 429) break;
      expect(res.status).toBe(422);
      guesses += 1;
    }
    expect(guesses).toBe(LOGIN_LIMITS.pair.max);
    expectLimited(await t.browser(ip).post("/login", { email, password: PASSWORD }), 15 * 60);
  });

  it("does not let a burst of parallel guesses past the per-account cap either", async () => {
    const email = await account();
    const burst = await Promise.all(
      Array.from({ length: LOGIN_LIMITS.account.max + 20 }, (_, i) => t.browser(uniqueIp()).post("/login", { email, password: `${WRONG}${i}` })),
    );
    expect(burst.filter((r) => r.status === 422).length).toBeLessThanOrEqual(LOGIN_LIMITS.account.max);
  });
});

describe("per account, across addresses", () => {
  it("answers 429 from any address after 100 failures in an hour, then lifts", async () => {
    const email = await account();
    for (let i = 0; i < LOGIN_LIMITS.account.max; i++) {
      const res = await t.browser(uniqueIp()).post("/login", { email, password: WRONG });
      expect(res.status, `attempt ${i + 1}`).toBe(422);
    }
    for (let i = 0; i < 3; i++) expectLimited(await t.browser(uniqueIp()).post("/login", { email, password: PASSWORD }), 60 * 60);

    t.clock.advance(60 * MINUTE);
    expect((await t.browser(uniqueIp()).post("/login", { email, password: PASSWORD })).status).toBe(303);
  });
});

describe("counted in the database", () => {
  it("holds across app instances on the same database", async () => {
    const second = createApp({
      database: t.database,
      clock: t.clock,
      mailer: t.mailer,
      config: { appUrl: new URL(APP_URL) },
      passwords: createPasswordHasher(loadArgon2ForNode),
      clientIp: (c) => c.req.header("x-test-client-ip") ?? "127.0.0.1",
    });
    const email = await account();
    const ip = uniqueIp();
    await failLogins(t.browser(ip), email, 5);
    await failLogins(new Browser(second, new URL(APP_URL).origin, ip), email, 5);

    expectLimited(await new Browser(second, new URL(APP_URL).origin, ip).post("/login", { email, password: PASSWORD }), 15 * 60);
    expectLimited(await t.browser(ip).post("/login", { email, password: PASSWORD }), 15 * 60);
  });
});

describe("network keys", () => {
  it.each([
    ["203.0.113.9", "203.0.113.9"],
    ["203.000.113.009", "203.0.113.9"],
    ["2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"],
    ["2001:0DB8:0001:0002::1", "2001:db8:1:2::/64"],
    ["[2001:db8:1:2::1]", "2001:db8:1:2::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["2001:db8::", "2001:db8:0:0::/64"],
    ["::ffff:198.51.100.7", "198.51.100.7"],
    ["::ffff:c633:6407", "198.51.100.7"],
    ["::1", "0:0:0:0::/64"],
    ["unknown", "unknown"],
    ["1::2::3", "1::2::3"],
    ["2001:db8:1:2:3:4:5:6:7", "2001:db8:1:2:3:4:5:6:7"],
    ["999.1.1.1", "999.1.1.1"],
  ])("keys %s as %s", (address, key) => {
    expect(networkKey(address)).toBe(key);
  });

  it("caps an unparseable address, so junk cannot bloat the table", () => {
    expect(networkKey("x".repeat(5000))).toHaveLength(64);
  });
});

describe("per network: an IPv6 /64, or an IPv4 address", () => {
  it("counts two addresses of one /64 as one network, and another /64 apart", async () => {
    const email = await account();
    const net = uniqueNetwork();
    await failLogins(t.browser(in64(net, "0:0:0:1")), email, 5);
    await failLogins(t.browser(in64(net, "ffff:1234:5678:9abc")), email, 5);
    expectLimited(await t.browser(in64(net, "dead:beef:0:7")).post("/login", { email, password: PASSWORD }), 15 * 60);

    const neighbour = t.browser(`${uniqueNetwork()}:0:0:0:1`);
    expect((await neighbour.post("/login", { email, password: PASSWORD })).status).toBe(303);
  });

  it("counts an IPv4-mapped IPv6 address as its IPv4 address", async () => {
    const email = await account();
    const v4 = `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
    await failLogins(t.browser(`::ffff:${v4}`), email, 10);
    expectLimited(await t.browser(v4).post("/login", { email, password: PASSWORD }), 15 * 60);
  });

  it("answers 429 to the 31st failure in 15 minutes from one network, whichever accounts it tries, then lifts", async () => {
    const net = uniqueNetwork();
    const owner = await account();
    // Credential stuffing: one guess per account, each from another address of the same /64.
    for (let i = 0; i < LOGIN_LIMITS.network.max; i++) {
      const res = await t.browser(in64(net, `0:0:0:${(i + 1).toString(16)}`)).post("/login", { email: uniqueEmail(), password: WRONG });
      expect(res.status, `attempt ${i + 1}`).toBe(422);
    }
    expectLimited(await t.browser(in64(net, "0:0:1:0")).post("/login", { email: owner, password: PASSWORD }), 15 * 60);
    // Another network is not affected.
    expect((await t.browser(`${uniqueNetwork()}:0:0:0:1`).post("/login", { email: owner, password: PASSWORD })).status).toBe(303);

    t.clock.advance(15 * MINUTE);
    expect((await t.browser(in64(net, "0:0:1:0")).post("/login", { email: owner, password: PASSWORD })).status).toBe(303);
  });
});

describe("the hourly job prunes old failures", () => {
  const rowsOf = (emails: string[]) => past.database.db.select().from(loginFailures).where(inArray(loginFailures.account, emails));

  it("deletes every account's failures older than the longest window, even an account never tried again", async () => {
    const forgotten = uniqueEmail();
    const recent = uniqueEmail();
    await failLogins(past.browser(uniqueIp()), forgotten, 3);
    past.clock.advance(61 * MINUTE);
    await failLogins(past.browser(uniqueIp()), recent, 2);
    expect(await rowsOf([forgotten, recent])).toHaveLength(5);

    await runReminderJobs({ database: past.database, mailer: past.mailer, config: { appUrl: new URL(APP_URL) } }, past.clock.now());

    const left = await rowsOf([forgotten, recent]);
    expect(left.map((r) => r.account)).toEqual([recent, recent]);
  });

  it("deletes at most its bound in one statement; the rest go on the next run", async () => {
    const email = uniqueEmail();
    const at = new Date("1985-01-01T00:00:00Z");
    await past.database.db.insert(loginFailures).values(Array.from({ length: 5 }, () => ({ account: email, ip: "192.0.2.1", createdAt: at })));
    const before = new Date(at.getTime() + 1000);
    const trips = past.database.roundTrips();
    expect(await pruneFailuresBefore(past.database.db, before, 3)).toBe(3);
    expect(past.database.roundTrips() - trips).toBe(1);
    expect(await rowsOf([email])).toHaveLength(2);
    expect(await pruneFailuresBefore(past.database.db, before, 3)).toBe(2);
    expect(await past.database.db.select().from(loginFailures).where(eq(loginFailures.account, email))).toHaveLength(0);
  });
});
