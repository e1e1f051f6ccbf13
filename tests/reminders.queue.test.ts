import { describe, expect, it } from "vitest";
import { claimForSending } from "../src/db/outbox.js";
import { consumeSendMessage, enqueueSendable, scanStep } from "../src/reminders/queue.js";
import { scanReminders } from "../src/reminders/scan.js";
import { housekeepOutbox, sendPending } from "../src/reminders/send.js";
import { at, dateRanges, HOUR, MINUTE, outboxRow } from "./support/reminder-jobs.js";
import { limitedQueue } from "./support/limited-queue.js";
import { postmarkFixture } from "./support/postmark-fixture.js";
import { makeTestApp } from "./support/test-app.js";

// The Worker's queue consumer, driven here through the same functions with a queue producer held
// to Cloudflare's limits, and Postmark's stand-in for the mail side.
const t = await makeTestApp();
const nextRange = dateRanges("2045-02-01", 120);
const pm = postmarkFixture(t);
const { postmark, idsOf, queuedDigest } = pm;

describe("the queue consumer", () => {
  it("puts every row that waits for a retry back in one call, each with the delay its own backoff asks for", async () => {
    const day = nextRange();
    const [first, second, third] = [await queuedDigest(day), await queuedDigest(day), await queuedDigest(day)];
    const queued = at(`${day}T08:00`, "UTC");
    await scanReminders(postmark(), queued);
    pm.standin.respondWith({ kind: "status", status: 429, errorCode: 0, message: "Rate limit exceeded" });
    // The first row has already failed once: its second attempt waits 30 minutes, the others 5.
    const [firstId] = await idsOf(first);
    await sendPending(postmark(), queued, { ids: [firstId!] });
    const now = new Date(queued.getTime() + 5 * MINUTE);

    const queue = limitedQueue();
    const ids = await idsOf(first, second, third);
    const result = await consumeSendMessage(postmark(), queue, { ids }, now);

    expect(result).toMatchObject({ claimed: 3, retrying: 3 });
    expect(queue.calls).toHaveLength(1);
    const delays = Object.fromEntries(queue.calls[0]!.map((m) => ["ids" in m.body ? m.body.ids[0] : "", m.delaySeconds]));
    const [secondId, thirdId] = [...(await idsOf(second)), ...(await idsOf(third))];
    expect(delays).toEqual({ [firstId!]: 30 * 60, [secondId!]: 5 * 60, [thirdId!]: 5 * 60 });
    expect(queue.ids()).toHaveLength(3);
  });

  it("leaves the table-wide housekeeping to the cron: a message touches only the rows it names", async () => {
    const day = nextRange();
    const [mine, other] = [await queuedDigest(day), await queuedDigest(day)];
    await scanReminders(postmark(), at(`${day}T08:00`, "UTC"));
    // The next day: both digests' local day has ended.
    const nextDay = at(`${day}T08:00`, "UTC");
    nextDay.setUTCDate(nextDay.getUTCDate() + 1);
    const [mineId, otherId] = [...(await idsOf(mine)), ...(await idsOf(other))];

    const result = await consumeSendMessage(postmark(), limitedQueue(), { ids: [mineId!] }, nextDay);

    // Nothing expired is ever claimed or sent …
    expect(result).toMatchObject({ claimed: 0, sent: 0 });
    expect(pm.standin.requests).toHaveLength(0);
    // … and the message did not sweep the whole table on its way.
    expect(await outboxRow(t, otherId!)).toMatchObject({ status: "pending" });
    expect(await outboxRow(t, mineId!)).toMatchObject({ status: "pending" });
    // The cron run's housekeeping, once, expires both.
    expect(await housekeepOutbox(postmark(), nextDay)).toBeGreaterThanOrEqual(2);
    expect(await outboxRow(t, otherId!)).toMatchObject({ status: "expired" });
    expect(await outboxRow(t, mineId!)).toMatchObject({ status: "expired" });
  });

  it("needs no dead-letter queue: rows of a consumer that died holding them are enqueued again by the next cron run", async () => {
    const day = nextRange();
    const user = await queuedDigest(day);
    const queued = at(`${day}T08:00`, "UTC");
    await scanReminders(postmark(), queued);
    const ids = await idsOf(user);
    // A consumer claims the rows and dies before sending (its message will run out of retries).
    expect(await claimForSending(t.database.db, queued, ids.length, ids)).toHaveLength(1);

    const whileHeld = limitedQueue();
    await enqueueSendable(postmark(), whileHeld, new Date(queued.getTime() + MINUTE));
    expect(whileHeld.ids()).not.toContain(ids[0]);

    const nextHour = new Date(queued.getTime() + HOUR);
    const nextCron = limitedQueue();
    await enqueueSendable(postmark(), nextCron, nextHour);
    expect(nextCron.ids()).toContain(ids[0]);
    await consumeSendMessage(postmark(), limitedQueue(), { ids }, nextHour);
    expect(pm.sentTo(user.email)).toHaveLength(1);
    expect(await outboxRow(t, ids[0]!)).toMatchObject({ status: "sent" });
  });

  it("scans a bounded number of batches per invocation and continues the rest through the queue", async () => {
    const day = nextRange();
    const users = [];
    for (let i = 0; i < 5; i++) users.push(await queuedDigest(day));
    const scanAt = at(`${day}T08:00`, "UTC");
    const bounds = { maxBatches: 1, batchSize: 2 };

    // The cron's step, then one step per continuation message, as the consumer runs them.
    const steps = [];
    const enqueued: string[] = [];
    let queue = limitedQueue();
    steps.push(await scanStep(postmark(), queue, scanAt, scanAt, { ...bounds, enqueue: "all" }));
    enqueued.push(...queue.ids());
    while (queue.continuations().length > 0) {
      expect(queue.continuations()).toEqual([scanAt.toISOString()]);
      const continued = new Date(queue.continuations()[0]!);
      queue = limitedQueue();
      steps.push(await scanStep(postmark(), queue, continued, new Date(scanAt.getTime() + steps.length * MINUTE), { ...bounds, enqueue: "own" }));
      enqueued.push(...queue.ids());
      expect(steps.length).toBeLessThan(10);
    }

    expect(steps.every((step) => step.usersScanned <= 2)).toBe(true);
    expect(steps.length).toBeGreaterThanOrEqual(3);
    const digests = (await Promise.all(users.map((user) => idsOf(user)))).flat();
    expect(digests).toHaveLength(5);
    // Every digest was handed to the senders exactly once: a continuation enqueues only its own
    // emails, not again everything still waiting from the steps before it.
    expect(enqueued.filter((id) => digests.includes(id)).sort()).toEqual([...digests].sort());
    expect(new Set(enqueued).size).toBe(enqueued.length);
  });
});
