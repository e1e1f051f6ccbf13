import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { loadArgon2ForNode } from "../src/auth/argon2-node.js";
import { createPasswordHasher } from "../src/auth/password.js";
import { LOGIN_LIMITS } from "../src/auth/rate-limit.js";
import { location, MINUTE, setCookieLine, uniqueIp } from "./support/auth-helpers.js";
import { APP_URL, Browser, makeTestApp, textOf } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });
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
  it("allows 10 failures per account and address in 15 minutes and 100 per account in an hour", () => {
    expect(LOGIN_LIMITS.pair).toEqual({ max: 10, windowMs: 15 * MINUTE });
    expect(LOGIN_LIMITS.account).toEqual({ max: 100, windowMs: 60 * MINUTE });
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
    expect(location(res)).toBe("/tasks");
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
