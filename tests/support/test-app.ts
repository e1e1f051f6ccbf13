import { afterAll } from "vitest";
import { createApp } from "../../src/app.js";
import { loadArgon2ForNode } from "../../src/auth/argon2-node.js";
import { createPasswordHasher } from "../../src/auth/password.js";
import type { Database } from "../../src/db/database.js";
import { createDevMailer } from "../../src/email/dev-mailer.js";
import type { Mailer } from "../../src/email/mailer.js";
import { uniqueIp } from "./auth-helpers.js";
import { openTestDatabase } from "./database.js";
import { users } from "../../src/db/schema.js";
import { eq, sql } from "drizzle-orm";

export const APP_URL = "http://smarttask.test";

/** A clock the test moves by hand. */
export class TestClock {
  constructor(private current: Date) {}
  now = () => new Date(this.current);
  set(iso: string | Date) {
    this.current = new Date(iso);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

const running = new Set<Promise<unknown>>();
function track(work: Promise<unknown>) {
  running.add(work);
  void work.finally(() => running.delete(work));
}

/** Waits for the work requests left running after their responses (account mail being sent). */
export async function settled(): Promise<void> {
  while (running.size) await Promise.allSettled([...running]);
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  database: Database;
  clock: TestClock;
  /** The dev mailer (mail kept in dev_mailbox) unless the file passed its own. */
  mailer: Mailer;
  browser(ip?: string): Browser;
}

/** One app per test file, on its own database handle, closed when the file is done. */
export async function makeTestApp(opts: { now?: string; appUrl?: string; mailer?: (database: Database, clock: TestClock) => Mailer } = {}): Promise<TestApp> {
  const database = await openTestDatabase();
  const clock = new TestClock(new Date(opts.now ?? "2026-06-15T12:00:00Z"));
  const appUrl = opts.appUrl ?? APP_URL;
  const mailer = opts.mailer?.(database, clock) ?? createDevMailer(database, clock);
  const app = createApp({
    database,
    clock,
    mailer,
    config: { appUrl: new URL(appUrl) },
    passwords: createPasswordHasher(loadArgon2ForNode),
    // Tests choose the client address per "browser" to exercise the per-address limits.
    clientIp: (c) => c.req.header("x-test-client-ip") ?? "127.0.0.1",
    background: (work) => void track(work()),
  });
  afterAll(() => database.close());
  // Each browser its own network unless a test names one: the per-network limits (registration,
  // login) count every browser alike, and on the shared PostgreSQL every file's would add up.
  return { app, database, clock, mailer, browser: (ip) => new Browser(app, new URL(appUrl).origin, ip ?? uniqueIp(), database) };
}

type Form = Record<string, string | string[]>;

/**
 * A minimal browser: keeps cookies, sends Origin like a real one on unsafe requests,
 * encodes forms, and can act as htmx (HX-Request plus HX-Current-URL).
 */
export class Browser {
  cookies = new Map<string, string>();
  constructor(
    private app: TestApp["app"],
    readonly origin: string,
    readonly ip = "127.0.0.1",
    /** When given, `register` marks the new address verified, as most tests' people have done. */
    private database?: Database,
  ) {}

  async request(method: string, path: string, opts: { form?: Form; headers?: Record<string, string>; htmx?: boolean | string; body?: BodyInit } = {}) {
    const headers = new Headers(opts.headers);
    headers.set("x-test-client-ip", this.ip);
    if (this.cookies.size && !headers.has("cookie")) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    if (!["GET", "HEAD"].includes(method) && !headers.has("origin") && opts.headers?.origin !== "") headers.set("origin", this.origin);
    if (opts.htmx) {
      headers.set("HX-Request", "true");
      headers.set("HX-Current-URL", this.origin + (typeof opts.htmx === "string" ? opts.htmx : "/tasks"));
    }
    let body = opts.body;
    if (opts.form) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(opts.form)) for (const item of [v].flat()) params.append(k, item);
      body = params;
      headers.set("content-type", "application/x-www-form-urlencoded");
    }
    const res = await this.app.request(this.origin + path, { method, headers, body, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const [name, ...rest] = pair!.split("=");
      const value = rest.join("=");
      const expired = attrs.some((a) => /max-age=0/i.test(a.trim())) || value === "";
      if (expired) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    return res;
  }

  get(path: string, opts: { htmx?: boolean | string; headers?: Record<string, string> } = {}) {
    return this.request("GET", path, opts);
  }

  post(path: string, form: Form = {}, opts: { htmx?: boolean | string; headers?: Record<string, string> } = {}) {
    return this.request("POST", path, { ...opts, form });
  }

  /**
   * Registers a fresh account (unique email unless given) and stays signed in. The address counts
   * as verified (set in the database, as if the link had been followed) unless `verified: false`.
   */
  async register(fields: Partial<{ name: string; email: string; password: string; timezone: string; verified: boolean }> = {}) {
    const email = fields.email ?? uniqueEmail();
    const res = await this.post("/register", {
      name: fields.name ?? "Ada Lovelace",
      email,
      password: fields.password ?? "correct horse battery",
      timezone: fields.timezone ?? "UTC",
    });
    if (res.status !== 303) throw new Error(`registration failed with ${res.status}: ${await res.text()}`);
    if (fields.verified !== false && this.database) {
      await this.database.db.update(users).set({ emailVerifiedAt: sql`created_at` }).where(eq(users.email, email.trim().toLowerCase()));
    }
    return { email, password: fields.password ?? "correct horse battery" };
  }

  /** Creates a task through the form and returns its id, read from the list. */
  async createTask(fields: Partial<Record<"title" | "notes" | "priority" | "status" | "due_date" | "due_time", string>> = {}) {
    const title = fields.title ?? `Task ${crypto.randomUUID().slice(0, 8)}`;
    const res = await this.post("/tasks", { title, ...fields });
    if (res.status !== 303) throw new Error(`create failed with ${res.status}: ${await res.text()}`);
    // Found by its title through search (done ones too), so the caller should give unique titles.
    const list = await (await this.get(`/tasks?done=1&q=${encodeURIComponent(title.trim())}`)).text();
    const ids = taskIdsIn(list);
    if (ids.length !== 1) throw new Error(`expected one task titled ${title}, found ${ids.length}`);
    return ids[0]!;
  }
}

export function uniqueEmail() {
  return `user-${crypto.randomUUID()}@example.com`;
}

/** Task ids in the order the page lists them. */
export function taskIdsIn(html: string): string[] {
  return [...html.matchAll(/<li id="task-([0-9a-f-]{36})"/g)].map((m) => m[1]!);
}

/** The visible text of a page, roughly: tags dropped and entities decoded, for "the user sees" checks. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}
