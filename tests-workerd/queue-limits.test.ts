import { createExecutionContext, createMessageBatch, createScheduledController, env as testEnv, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { testDatabase } from "./database.js";
import worker from "../src/entries/worker.js";
import type { Env } from "../src/entries/worker-env.js";
import { LEASE_MS } from "../src/db/outbox.js";
import type { SendMessage } from "../src/reminders/queue.js";
import { limitedQueue } from "../tests/support/limited-queue.js";

const env = testEnv as unknown as Env & { SINK_QUEUE: Queue<SendMessage> };

const query = testDatabase();

describe("the Worker's queue use stays within Cloudflare's limits", () => {
  it("a cron run with 7,000 sendable emails enqueues every one, in calls the queue accepts", async () => {
    const [user] = await query<{ id: string }>(
      `insert into users (email, name, password_hash, timezone, email_verified_at) values ($1, 'Quinn', 'x', 'UTC', now()) returning id`,
      [`queue-${crypto.randomUUID()}@example.com`],
    );
    try {
      const now = new Date();
      // 7,000 rows: past about 6,300 the old code's first sendBatch (100 messages of 100 ids) was over 256 KB.
      const seeded = await query<{ id: string }>(
        `insert into reminder_outbox (user_id, kind, dedupe_key, local_date, next_attempt_at, expires_at, to_address, subject, html_body, text_body, unsubscribe_url, created_at)
         select $1::uuid, 'digest', 'queue-limits-' || $1::text || '-' || n, current_date, $2::timestamptz - interval '1 minute', $2::timestamptz + interval '1 hour',
                'quinn@example.com', 'Due today', '<p>x</p>', 'x', 'https://smarttask.test/u', $2
         from generate_series(1, 7000) n returning id`,
        [user!.id, now.toISOString()],
      );
      // Held to the documented limits, and forwarded to a real (consumer-less) miniflare queue.
      const queue = limitedQueue(env.SINK_QUEUE);
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "0 * * * *" }), { ...env, EMAIL_QUEUE: queue as never }, ctx);
      await waitOnExecutionContext(ctx);

      const enqueued = queue.ids();
      const mine = new Set(seeded.map((r) => r.id));
      expect(enqueued.filter((id) => mine.has(id)).sort()).toEqual([...mine].sort());
      expect(new Set(enqueued).size).toBe(enqueued.length);
      expect(queue.calls.every((call) => call.every((m) => !("ids" in m.body) || m.body.ids.length <= 100))).toBe(true);
      // 70 messages of about 3.9 KB cannot go in one call: the limits, not the count, cut them.
      expect(queue.calls.length).toBeGreaterThan(1);
    } finally {
      await query("delete from users where id = $1", [user!.id]);
    }
  });

  it("a message that fails comes back only after the rows' lease has run out", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const broken = new URL(env.DATABASE_URL);
    broken.port = "1"; // nothing listens there (the embedded server would ignore a wrong database name)
    const batch = createMessageBatch<SendMessage>("smarttask-email", [{ id: "fails", timestamp: new Date(), attempts: 1, body: { ids: [crypto.randomUUID()] } }]);
    // The test harness records that a message was retried but not its delay: read it off the call.
    const retry = vi.spyOn(batch.messages[0]!, "retry");
    const ctx = createExecutionContext();
    try {
      await worker.queue(batch, { ...env, DATABASE_URL: broken.toString() }, ctx);
      const result = await getQueueResult(batch, ctx);
      expect(result.explicitAcks).not.toContain("fails");
      expect(result.retryMessages).toEqual([{ msgId: "fails" }]);
      expect(retry).toHaveBeenCalledTimes(1);
      expect(retry.mock.calls[0]![0]!.delaySeconds).toBeGreaterThan(LEASE_MS / 1000);
    } finally {
      errors.mockRestore();
    }
  });

  it("a scan continuation message is consumed: it scans, enqueues what is sendable and is acked", async () => {
    const queue = limitedQueue(env.SINK_QUEUE);
    const now = new Date();
    const batch = createMessageBatch<SendMessage>("smarttask-email", [
      { id: "continue", timestamp: now, attempts: 1, body: { scanAt: now.toISOString() } },
      { id: "garbled", timestamp: now, attempts: 1, body: { scanAt: "not an instant" } },
    ]);
    const logs = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const ctx = createExecutionContext();
    try {
      await worker.queue(batch, { ...env, EMAIL_QUEUE: queue as never }, ctx);
      const result = await getQueueResult(batch, ctx);
      expect(result.explicitAcks).toEqual(["continue"]);
      expect(result.retryMessages).toEqual([{ msgId: "garbled" }]);
      expect(logs.mock.calls.map((c) => String(c[0])).some((line) => line.includes('"event":"reminders.scan_continued"'))).toBe(true);
    } finally {
      logs.mockRestore();
      errors.mockRestore();
    }
  });

  it("a queue message touches only the rows it names: the table-wide housekeeping is the cron's", async () => {
    const [user] = await query<{ id: string }>(
      `insert into users (email, name, password_hash, timezone, email_verified_at) values ($1, 'Stale', 'x', 'UTC', now()) returning id`,
      [`stale-${crypto.randomUUID()}@example.com`],
    );
    try {
      const now = new Date();
      // A row whose local day ended an hour ago: the cron's housekeeping marks it expired.
      const [stale] = await query<{ id: string }>(
        `insert into reminder_outbox (user_id, kind, dedupe_key, local_date, next_attempt_at, expires_at, to_address, subject, html_body, text_body, unsubscribe_url, created_at)
         values ($1::uuid, 'digest', 'stale-' || $1::text, current_date - 1, $2::timestamptz - interval '1 day', $2::timestamptz - interval '1 hour',
                 'stale@example.com', 'Due today', '<p>x</p>', 'x', 'https://smarttask.test/u', $2) returning id`,
        [user!.id, now.toISOString()],
      );
      const batch = createMessageBatch<SendMessage>("smarttask-email", [{ id: "other", timestamp: now, attempts: 1, body: { ids: [crypto.randomUUID()] } }]);
      const ctx = createExecutionContext();
      await worker.queue(batch, { ...env, EMAIL_QUEUE: limitedQueue(env.SINK_QUEUE) as never }, ctx);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["other"]);
      expect((await query<{ status: string }>("select status from reminder_outbox where id = $1", [stale!.id]))[0]!.status).toBe("pending");

      const cron = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "0 * * * *" }), { ...env, EMAIL_QUEUE: limitedQueue(env.SINK_QUEUE) as never }, cron);
      await waitOnExecutionContext(cron);
      expect((await query<{ status: string }>("select status from reminder_outbox where id = $1", [stale!.id]))[0]!.status).toBe("expired");
    } finally {
      await query("delete from users where id = $1", [user!.id]);
    }
  });
});
