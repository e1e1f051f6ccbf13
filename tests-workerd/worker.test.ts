import { createExecutionContext, createMessageBatch, createScheduledController, env as testEnv, getQueueResult, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { testDatabase } from "./database.js";
import worker from "../src/entries/worker.js";
import type { Env } from "../src/entries/worker-env.js";
import type { SendMessage } from "../src/reminders/queue.js";

const env = testEnv as unknown as Env;

const ORIGIN = "http://smarttask.test";

/** A browser against the Worker in workerd: cookies kept, Origin sent like a real one. */
function browser() {
  let cookie = "";
  return async (path: string, init: { method?: string; form?: Record<string, string> } = {}) => {
    const headers = new Headers({ cookie });
    if (init.method && init.method !== "GET") headers.set("origin", ORIGIN);
    const body = init.form ? new URLSearchParams(init.form) : undefined;
    if (body) headers.set("content-type", "application/x-www-form-urlencoded");
    const res = await SELF.fetch(ORIGIN + path, { method: init.method ?? "GET", headers, body, redirect: "manual" });
    const set = res.headers.get("set-cookie");
    if (set) cookie = set.split(";")[0]!;
    return res;
  };
}

// The tests read the database directly through the same driver and proxy the Worker uses.
const query = testDatabase();

const unique = () => crypto.randomUUID().slice(0, 8);

describe("the Worker in workerd, on PostgreSQL through the Neon driver", () => {
  it("serves register, login, create, filter and complete, hashing passwords with argon2id", async () => {
    const go = browser();
    const email = `worker-${unique()}@example.com`;
    const reg = await go("/register", { method: "POST", form: { name: "Wendy", email, password: "correct horse battery", timezone: "Europe/Berlin" } });
    expect(reg.status).toBe(303);
    const [user] = await query<{ password_hash: string }>("select password_hash from users where email = $1", [email]);
    expect(user!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    await go("/logout", { method: "POST" });
    const login = await go("/login", { method: "POST", form: { email, password: "correct horse battery" } });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("/today");

    for (const [title, priority] of [["Pay rent", "urgent"], ["Water plants", "low"]] as const) {
      expect((await go("/tasks", { method: "POST", form: { title, priority, due_date: "2031-05-01" } })).status).toBe(303);
    }
    const urgent = await (await go("/tasks?priority=urgent")).text();
    expect(urgent).toContain("Pay rent");
    expect(urgent).not.toContain("Water plants");

    const id = /<li id="task-([0-9a-f-]{36})"/.exec(urgent)![1]!;
    expect((await go(`/tasks/${id}/complete`, { method: "POST", form: {} })).status).toBe(303);
    const done = await (await go("/done")).text();
    expect(done).toContain("Pay rent");
    const [row] = await query<{ status: string; completed_at: Date | null }>("select status, completed_at from tasks where id = $1", [id]);
    expect(row!.status).toBe("done");
    expect(row!.completed_at).not.toBeNull();
  });

  it("serves request after request from one app, each request on its own database connection", async () => {
    // The app is built once per isolate; every request opens (and closes) its own pool. A request
    // that reused an earlier request's closed pool would fail here. (One after another: the
    // embedded database that stands in for a server without TEST_DATABASE_URL serves one session.)
    for (let i = 0; i < 5; i++) {
      const res = await SELF.fetch(`${ORIGIN}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ database: "ok" });
    }
    const go = browser();
    const email = `isolate-${unique()}@example.com`;
    expect((await go("/register", { method: "POST", form: { name: "Ida", email, password: "correct horse battery", timezone: "UTC" } })).status).toBe(303);
    expect((await go("/tasks", { method: "POST", form: { title: "Same app, new pool" } })).status).toBe(303);
    expect(await (await go("/tasks")).text()).toContain("Same app, new pool");
  });

  it("opens one database connection per request, a list page and a write alike", async () => {
    const go = browser();
    const email = `one-conn-${unique()}@example.com`;
    await go("/register", { method: "POST", form: { name: "Olga", email, password: "correct horse battery", timezone: "UTC" } });
    // Counted by the WebSocket proxy every connection passes through. Requests run one at a time
    // here, and this file's own pool is already connected, so the count moves only for the Worker.
    const opened = async () => ((await (await fetch(`http://${env.NEON_WS_PROXY}/__connections`)).json()) as { opened: number }).opened;
    for (const [path, init] of [
      ["/tasks", {}],
      ["/tasks?priority=high&status=todo", {}],
      ["/tasks", { method: "POST", form: { title: "One connection" } }],
    ] as const) {
      const before = await opened();
      const res = await go(path, init);
      expect(res.status).toBeLessThan(400);
      await res.arrayBuffer();
      expect(await opened(), path).toBe(before + 1);
    }
  });

  it("answers /healthz with the database status", async () => {
    const res = await SELF.fetch(`${ORIGIN}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ database: "ok" });
  });

  it("scheduled() scans and enqueues outbox ids; queue() sends them to Postmark exactly once", async () => {
    const go = browser();
    const email = `cron-${unique()}@example.com`;
    await go("/register", { method: "POST", form: { name: "Carl", email, password: "correct horse battery", timezone: "UTC" } });
    // As if Carl had followed the verification link: reminders go only to a verified address.
    await query("update users set email_verified_at = now() where email = $1", [email]);
    const title = `Renew passport ${unique()}`;
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    await go("/tasks", { method: "POST", form: { title, due_date: today } });
    // Reminders at 00:00 local (UTC), so whenever this runs, today's hour has come.
    expect((await go("/settings", { method: "POST", form: { name: "Carl", timezone: "UTC", reminder_hour: "0" } })).status).toBe(303);
    const at = now;

    const sent: { body: SendMessage; delaySeconds?: number }[] = [];
    const queue = { sendBatch: async (messages: { body: SendMessage }[]) => void sent.push(...messages), send: async () => {} };
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "0 * * * *" }), { ...env, EMAIL_QUEUE: queue as never }, ctx);
    await waitOnExecutionContext(ctx);

    const [outbox] = await query<{ id: string; status: string }>(
      "select o.id, o.status from reminder_outbox o join users u on u.id = o.user_id where u.email = $1",
      [email],
    );
    expect(outbox!.status).toBe("pending");
    const ids = sent.flatMap((m) => ("ids" in m.body ? m.body.ids : []));
    expect(ids).toContain(outbox!.id);
    expect(sent.every((m) => !("ids" in m.body) || m.body.ids.length <= 100)).toBe(true);

    // Deliver the same message twice, as a queue may: the outbox makes the second a no-op.
    for (let round = 0; round < 2; round++) {
      const batch = createMessageBatch<SendMessage>("smarttask-email", [{ id: `m-${round}`, timestamp: new Date(), attempts: 1, body: { ids: [outbox!.id] } }]);
      const qctx = createExecutionContext();
      await worker.queue(batch, env, qctx);
      const result = await getQueueResult(batch, qctx);
      expect(result.explicitAcks).toContain(`m-${round}`);
    }
    const [after] = await query<{ status: string; message_id: string | null }>("select status, message_id from reminder_outbox where id = $1", [outbox!.id]);
    expect(after!.status).toBe("sent");
    expect(after!.message_id).toBeTruthy();

    const standin = (await (await fetch(`${env.POSTMARK_API_URL}/__delivered`)).json()) as { delivered: { To: string; Subject: string; Tag?: string; Headers: { Name: string }[] }[]; violations: string[] };
    const mine = standin.delivered.filter((m) => m.To === email && m.Tag?.startsWith("reminder-"));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.Subject).toBe("1 due today");
    expect(mine[0]!.Headers.map((h) => h.Name)).toContain("List-Unsubscribe-Post");
    expect(standin.violations).toEqual([]);
  });

  it("account mail leaves right after the response (waitUntil), on the transactional stream, before the request's database closes", async () => {
    const go = browser();
    const email = `welcome-${unique()}@example.com`;
    const reg = await go("/register", { method: "POST", form: { name: "Vera", email, password: "correct horse battery", timezone: "UTC" } });
    expect(reg.status).toBe(303);
    // SELF.fetch answers with the response; the mail is sent in the request's waitUntil. Within 10 s, by the contract.
    type Delivered = { To: string; Tag?: string; MessageStream: string; TextBody: string; HtmlBody: string; Headers: { Name: string }[] };
    let mail: Delivered | undefined;
    for (let i = 0; i < 100 && !mail; i++) {
      const standin = (await (await fetch(`${env.POSTMARK_API_URL}/__delivered`)).json()) as { delivered: Delivered[] };
      mail = standin.delivered.find((m) => m.To === email && m.Tag?.startsWith("account-"));
      if (!mail) await new Promise((r) => setTimeout(r, 100));
    }
    expect(mail, "the verification mail reached Postmark").toBeDefined();
    expect(mail!.MessageStream).toBe("outbound");
    expect(mail!.TextBody).toMatch(/\/verify\//);
    expect(mail!.HtmlBody).toMatch(/\/verify\//);
    expect(mail!.Headers.map((h) => h.Name)).not.toContain("List-Unsubscribe");
    // Sent mail is not kept: its outbox row is gone.
    expect(await query("select 1 from account_mail m join users u on u.id = m.user_id where u.email = $1", [email])).toEqual([]);
  });

  it("the 5-minute trigger retries account mail that failed after its request, and does nothing else", async () => {
    const to = `retry-${unique()}@example.com`;
    const at = new Date();
    // As a failed send leaves it: pending, its retry due.
    await query(
      `insert into account_mail (purpose, to_address, subject, html_body, text_body, status, attempts, next_attempt_at, created_at)
       values ('reset', $1, 'Reset your SmartTask password', '<p>Reset</p>', 'Reset', 'pending', 1, $2, $2)`,
      [to, new Date(at.getTime() - 60_000)],
    );
    const queue = { sendBatch: async () => expect.fail("the mail trigger must not scan or enqueue"), send: async () => expect.fail("no enqueue") };
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "5-55/5 * * * *" }), { ...env, EMAIL_QUEUE: queue as never }, ctx);
    await waitOnExecutionContext(ctx);
    const standin = (await (await fetch(`${env.POSTMARK_API_URL}/__delivered`)).json()) as { delivered: { To: string; Tag?: string }[] };
    expect(standin.delivered.filter((m) => m.To === to).map((m) => m.Tag)).toEqual(["account-reset"]);
    expect(await query("select 1 from account_mail where to_address = $1", [to])).toEqual([]);
  });

  it("scheduled() prunes failed logins past the longest window, of accounts never tried again too", async () => {
    const [stale, fresh] = [`stale-${unique()}@example.com`, `fresh-${unique()}@example.com`];
    const at = new Date();
    await query("insert into login_failures (account, ip, created_at) values ($1, '192.0.2.1', $2), ($3, '192.0.2.1', $4)", [
      stale,
      new Date(at.getTime() - 2 * 3600_000),
      fresh,
      new Date(at.getTime() - 10 * 60_000),
    ]);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "0 * * * *" }), { ...env, EMAIL_QUEUE: { sendBatch: async () => {}, send: async () => {} } as never }, ctx);
    await waitOnExecutionContext(ctx);
    const left = await query<{ account: string }>("select account from login_failures where account = any($1)", [[stale, fresh]]);
    expect(left.map((r) => r.account)).toEqual([fresh]);
  });

  it("a failed cron run logs one line without SQL and fails with a short error", async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(" ")));
    const broken = new URL(env.DATABASE_URL);
    broken.port = "1"; // nothing listens there (the embedded server would ignore a wrong database name)
    const ctx = createExecutionContext();
    try {
      await expect(
        worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: "0 * * * *" }), { ...env, DATABASE_URL: broken.toString(), EMAIL_QUEUE: { sendBatch: async () => {} } as never }, ctx),
      ).rejects.toThrow(/^reminder run failed: /);
      await waitOnExecutionContext(ctx);
    } finally {
      spy.mockRestore();
    }
    const lines = errors.filter((line) => line.includes("reminders.cron_error"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/Failed query|select |insert into|\n/i);
  });
});
