import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { loadArgon2ForNode } from "../src/auth/argon2-node.js";
import { createHashPool, defaultHashThreads } from "../src/auth/hash-pool.js";
import { argon2InThisThread, createPasswordHasher, passwordHasherOver, PasswordHasherBusy } from "../src/auth/password.js";
import { LOGIN_LIMITS } from "../src/auth/rate-limit.js";
import { Browser, makeTestApp, uniqueEmail, APP_URL } from "./support/test-app.js";
import { uniqueIp } from "./support/auth-helpers.js";

// Node's hashing threads (src/auth/hash-pool.ts). That they keep the event loop free is asserted
// through the real entry in tests/node-entry.test.ts; here: results, the bounded queue, and the 503.
const t = await makeTestApp();
const pools: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const pool of pools) await pool.close();
});

function pool(options: { threads: number; maxQueue: number }) {
  const created = createHashPool(options);
  pools.push(created);
  return created;
}

/** The app on this file's database, hashing on the given pool. */
function appOn(compute: ReturnType<typeof pool>["compute"]) {
  const app = createApp({
    database: t.database,
    clock: t.clock,
    mailer: t.mailer,
    config: { appUrl: new URL(APP_URL) },
    passwords: passwordHasherOver(compute),
    clientIp: (c) => c.req.header("x-test-client-ip") ?? "127.0.0.1",
  });
  return (ip = uniqueIp()) => new Browser(app, new URL(APP_URL).origin, ip);
}

describe("password hashing threads: happy paths", () => {
  it("a hash made on a thread verifies in this thread and the other way round", async () => {
    const threads = passwordHasherOver(pool({ threads: 1, maxQueue: 8 }).compute);
    const here = createPasswordHasher(loadArgon2ForNode);
    const phc = await threads.hash("correct horse battery");
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await here.verify(phc, "correct horse battery")).toBe(true);
    expect(await threads.verify(await here.hash("staple gun 42"), "staple gun 42")).toBe(true);
    expect(await threads.verify(phc, "wrong horse battery")).toBe(false);
  });

  it("registration and sign-in work through the threads", async () => {
    const browser = appOn(pool({ threads: 1, maxQueue: 8 }).compute);
    const email = uniqueEmail();
    const registered = await browser().post("/register", { name: "Ada", email, password: "correct horse battery", timezone: "UTC" });
    expect(registered.status).toBe(303);
    expect((await browser().post("/login", { email, password: "correct horse battery" })).status).toBe(303);
  });

  it("one thread per core but one, at least one", () => {
    expect([1, 2, 4, 16].map((cores) => defaultHashThreads(cores))).toEqual([1, 1, 3, 15]);
  });
});

describe("password hashing threads: errors", () => {
  it("a sign-in answered 503 is not a failed attempt: a busy server does not lock the owner out", async () => {
    let busy = false;
    const inThisThread = argon2InThisThread(loadArgon2ForNode);
    const browser = appOn((input) => (busy ? Promise.reject(new PasswordHasherBusy(1)) : inThisThread(input)));
    const ip = uniqueIp();
    const email = uniqueEmail();
    expect((await browser(ip).post("/register", { name: "Ada", email, password: "correct horse battery", timezone: "UTC" })).status).toBe(303);
    busy = true;
    for (let i = 0; i <= LOGIN_LIMITS.pair.max; i++) {
      expect((await browser(ip).post("/login", { email, password: "correct horse battery" })).status, `busy attempt ${i + 1}`).toBe(503);
    }
    busy = false;
    expect((await browser(ip).post("/login", { email, password: "correct horse battery" })).status).toBe(303);
  });

  it("a full queue rejects at once with PasswordHasherBusy, and the queued hashes still finish", async () => {
    const { compute } = pool({ threads: 1, maxQueue: 2 });
    const input = { password: new TextEncoder().encode("correct horse battery"), salt: new Uint8Array(16), params: { memorySize: 19456, passes: 2, parallelism: 1, tagLength: 32 } };
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => compute(input)));
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(PasswordHasherBusy);
    // One running plus at most two waiting (and one for a thread still starting) were taken.
    expect(8 - refused.length).toBeLessThanOrEqual(4);
    for (const r of results) if (r.status === "fulfilled") expect(r.value).toHaveLength(32);
  });

  it("registrations beyond the queue answer 503 with Retry-After and a clear page, never a 500", async () => {
    const browser = appOn(pool({ threads: 1, maxQueue: 1 }).compute);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => browser().post("/register", { name: "Ada", email: uniqueEmail(), password: "correct horse battery", timezone: "UTC" })),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses).toContain(303);
    expect(statuses).toContain(503);
    expect(statuses.every((s) => s === 303 || s === 503)).toBe(true);
    const busy = answers.find((r) => r.status === 503)!;
    expect(Number(busy.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const page = await busy.text();
    expect(page).toMatch(/<title>Busy right now/);
    expect(page).toMatch(/checking too many passwords right now\. Please try again in \d+ seconds/);
  });

  it("a busy sign-in answers 503 too, as an htmx fragment when htmx asked", async () => {
    const browser = appOn(async () => {
      throw new PasswordHasherBusy(3);
    });
    const form = await browser().post("/login", { email: uniqueEmail(), password: "correct horse battery" });
    expect(form.status).toBe(503);
    expect(form.headers.get("retry-after")).toBe("3");
    const fragment = await browser().post("/login", { email: uniqueEmail(), password: "correct horse battery" }, { htmx: true });
    expect(fragment.status).toBe(503);
    expect(await fragment.text()).toMatch(/^<p class="alert" role="alert">SmartTask is checking too many passwords/);
  });
});
