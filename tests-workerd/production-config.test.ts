import { createExecutionContext, createScheduledController, env as testEnv, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testDatabase } from "./database.js";
import worker from "../src/entries/worker.js";
import { checkWorkerEnv, type Env } from "../src/entries/worker-env.js";

// Issue #12: a deployed Worker refuses localhost or http origins and a missing Postmark token with
// a clear 500 (items 6), and locally the printed 127.0.0.1 address works when APP_URL says
// localhost (item 12). Each test runs the real Worker with its bindings changed.
const env = testEnv as unknown as Env;

const query = testDatabase();
const usersNamed = (email: string) => query("select id from users where email = $1", [email]);

/** Bindings as a real deployment has them: no local proxy, an https origin, Postmark and a sender. */
const deployed: Env = {
  ...env,
  NEON_WS_PROXY: undefined,
  APP_URL: "https://tasks.example.com",
  EMAIL_FROM: "SmartTask <reminders@tasks.example.com>",
};

async function fetchWith(bindings: Env, url: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(url, { redirect: "manual", ...init }) as Parameters<typeof worker.fetch>[0], bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** A browser that opened the Worker at `origin`: requests go there and carry that Origin. */
function browserAt(bindings: Env, origin: string) {
  let cookie = "";
  return async (path: string, form?: Record<string, string>) => {
    const headers = new Headers({ cookie, "cf-connecting-ip": `203.0.113.${Math.floor(Math.random() * 250)}` });
    if (form) {
      headers.set("origin", origin);
      headers.set("content-type", "application/x-www-form-urlencoded");
    }
    const res = await fetchWith(bindings, origin + path, { method: form ? "POST" : "GET", headers, body: form ? new URLSearchParams(form) : undefined });
    const set = res.headers.get("set-cookie");
    if (set) cookie = set.split(";")[0]!;
    return res;
  };
}

const unique = () => crypto.randomUUID().slice(0, 8);

describe("production settings (item 6): happy", () => {
  it("a deployment's bindings pass the Worker's check", () => {
    expect(checkWorkerEnv(deployed)).toMatchObject({ ok: true });
  });

  it("local development (the proxy set) runs without a Postmark token and keeps mail for /dev/mailbox", async () => {
    const local = { ...env, APP_URL: "http://localhost:8787", POSTMARK_SERVER_TOKEN: undefined, EMAIL_FROM: undefined };
    expect((await fetchWith(local, "http://localhost:8787/healthz")).status).toBe(200);
    // The dev mailbox exists only with the dev mailer: signed out, it sends the visitor to log in.
    const mailbox = await fetchWith(local, "http://localhost:8787/dev/mailbox");
    expect(mailbox.status).toBe(303);
  });
});

describe("production settings (item 6): errors", () => {
  it.each([
    ["an http APP_URL that is not loopback", { APP_URL: "http://tasks.example.com" }, /APP_URL must be an https:\/\/ origin/],
    ["the old wrangler.toml APP_URL, http://localhost:8787", { APP_URL: "http://localhost:8787" }, /APP_URL must be an https:\/\/ origin/],
    ["an https APP_URL on localhost", { APP_URL: "https://localhost:8787" }, /APP_URL names this machine/],
    ["an APP_URL with a path", { APP_URL: "https://tasks.example.com/app" }, /APP_URL must be an origin only/],
    ["no APP_URL", { APP_URL: undefined }, /APP_URL/],
    ["no POSTMARK_SERVER_TOKEN", { POSTMARK_SERVER_TOKEN: undefined }, /POSTMARK_SERVER_TOKEN is not set: outside local development/],
    ["no EMAIL_FROM", { EMAIL_FROM: undefined }, /EMAIL_FROM is not set/],
    ["a localhost EMAIL_FROM", { EMAIL_FROM: "SmartTask <reminders@smarttask.localhost>" }, /EMAIL_FROM .* is a local address/],
  ] as const)("%s answers a clear 500 before the app runs", async (_label, change, message) => {
    const res = await fetchWith({ ...deployed, ...change } as Env, "https://tasks.example.com/healthz");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).toMatch(/^SmartTask is misconfigured: /);
    expect(text).toMatch(message);
  });

  it("a POST is refused with the configuration error too, and stores nothing", async () => {
    const email = `prod-${unique()}@example.com`;
    const res = await browserAt({ ...deployed, POSTMARK_SERVER_TOKEN: undefined }, "https://tasks.example.com")("/register", {
      name: "Pat", email, password: "correct horse battery", timezone: "UTC",
    });
    expect(res.status).toBe(500);
    expect(await usersNamed(email)).toHaveLength(0);
  });

  it("the cron refuses to run without a Postmark token outside local development", async () => {
    const ctx = createExecutionContext();
    const run = worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: "0 * * * *" }), { ...deployed, POSTMARK_SERVER_TOKEN: undefined }, ctx);
    await expect(run).rejects.toThrow(/POSTMARK_SERVER_TOKEN is not set/);
    await waitOnExecutionContext(ctx);
  });
});

describe("local origins (item 12)", () => {
  const local = { ...env, APP_URL: "http://localhost:8787" };

  it.each(["http://127.0.0.1:8787", "http://[::1]:8787"])("with APP_URL http://localhost:8787, a person at %s registers and adds a task", async (origin) => {
    const go = browserAt(local, origin);
    const email = `loopback-${unique()}@example.com`;
    expect((await go("/register", { name: "Lou", email, password: "correct horse battery", timezone: "UTC" })).status).toBe(303);
    const title = `Water plants ${unique()}`;
    expect((await go("/tasks", { title })).status).toBe(303);
    expect(await (await go(`/tasks?q=${encodeURIComponent(title)}`)).text()).toContain(title);
  });

  it.each(["http://127.0.0.1:8787", "http://localhost:8787"])("with a public APP_URL, a registration from %s is refused", async (origin) => {
    // The proxy stays set so the database is reachable; the origin rule does not depend on it.
    const go = browserAt({ ...env, APP_URL: "https://tasks.example.com" }, origin);
    const email = `public-${unique()}@example.com`;
    const res = await go("/register", { name: "Eve", email, password: "correct horse battery", timezone: "UTC" });
    expect(res.status).toBe(403);
    expect(await usersNamed(email)).toHaveLength(0);
  });
});
