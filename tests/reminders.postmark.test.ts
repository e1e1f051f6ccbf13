import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "../src/db/schema.js";
import { scanReminders } from "../src/reminders/scan.js";
import { sendPending } from "../src/reminders/send.js";
import { at, dateRanges, HOUR, jobDeps, MINUTE, outboxOf, outboxRow, plusDays } from "./support/reminder-jobs.js";
import { createPostmarkMailer } from "../src/email/postmark-mailer.js";
import { postmarkFixture } from "./support/postmark-fixture.js";
import { PostmarkStandIn } from "./support/postmark-standin.js";
import { makeTestApp } from "./support/test-app.js";

// Sending through the official Postmark client to a local stand-in of its batch API: what each
// answer does to the outbox and to the user, and what every request looks like.
const t = await makeTestApp();
const nextRange = dateRanges("2036-01-15", 120);
const pm = postmarkFixture(t);
const { postmark, sentTo, triedTo, idsOf, queuedDigest } = pm;

describe("Postmark answers, message by message", () => {
  it("records the MessageID of an accepted message, pauses an inactive recipient (406) and fails an invalid one (300) for good", async () => {
    const day = nextRange();
    const ok = await queuedDigest(day);
    const inactive = await queuedDigest(day);
    const invalid = await queuedDigest(day);
    const now = at(`${day}T08:00`, "UTC");
    await scanReminders(postmark(), now);
    pm.standin.respondWith({ kind: "per-message", errorCode: (m) => (m.To === inactive.email ? 406 : m.To === invalid.email ? 300 : 0) });

    const res = await sendPending(postmark(), now, { ids: await idsOf(ok, inactive, invalid) });

    expect(res).toMatchObject({ claimed: 3, sent: 1, suppressed: 1, failed: 1, retrying: 0 });
    expect(pm.standin.requests).toHaveLength(1); // one batch for all three
    const [okRow] = await outboxOf(t, ok.id);
    expect(okRow).toMatchObject({ status: "sent", attempts: 1 });
    expect(okRow!.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(okRow!.sentAt).toEqual(now);
    expect(sentTo(ok.email)).toHaveLength(1);

    const [inactiveRow] = await outboxOf(t, inactive.id);
    expect(inactiveRow).toMatchObject({ status: "suppressed", messageId: null });
    expect(inactiveRow!.lastError).toContain("406");
    const [pausedUser] = await t.database.db.select().from(users).where(eq(users.id, inactive.id));
    expect(pausedUser!.remindersPausedReason).toMatch(/inactive/);

    const [invalidRow] = await outboxOf(t, invalid.id);
    expect(invalidRow).toMatchObject({ status: "failed", messageId: null });
    expect(invalidRow!.lastError).toContain("300");

    // Later sends never retry the failed or suppressed messages …
    pm.standin.respondWith({ kind: "accept" });
    for (const later of [5 * MINUTE, HOUR, 6 * HOUR]) await sendPending(postmark(), new Date(now.getTime() + later), { ids: await idsOf(ok, inactive, invalid) });
    expect(triedTo(invalid.email)).toHaveLength(1);
    expect(triedTo(inactive.email)).toHaveLength(1);

    // … and the next days' runs skip the paused user, while the others get their digests.
    const tomorrow = at(`${plusDays(day, 1)}T08:00`, "UTC");
    await scanReminders(postmark(), tomorrow);
    await sendPending(postmark(), tomorrow, { ids: await idsOf(ok, inactive, invalid) });
    expect(await outboxOf(t, inactive.id)).toHaveLength(1);
    expect(triedTo(inactive.email)).toHaveLength(1);
    expect(sentTo(ok.email)).toHaveLength(2); // today's and tomorrow's
    expect(sentTo(invalid.email)).toHaveLength(1); // one failure does not pause: tomorrow's went out
    expect(pm.standin.violations).toEqual([]);
  });

  it("fails the whole batch without retry on HTTP 401 and 422", async () => {
    for (const [status, errorCode, message] of [
      [401, 10, "Bad or missing Server API token."],
      [422, 300, "Invalid email request"],
    ] as const) {
      const day = nextRange();
      const users = [await queuedDigest(day), await queuedDigest(day)];
      const now = at(`${day}T08:00`, "UTC");
      await scanReminders(postmark(), now);
      pm.standin.respondWith({ kind: "status", status, errorCode, message });

      const res = await sendPending(postmark(), now, { ids: await idsOf(...users) });
      expect(res, `HTTP ${status}`).toMatchObject({ claimed: 2, failed: 2, retrying: 0, sent: 0 });
      for (const row of await outboxOf(t, ...users.map((u) => u.id))) {
        expect(row.status, `HTTP ${status}`).toBe("failed");
        expect(row.lastError).toContain(`HTTP ${status}`);
      }

      pm.standin.respondWith({ kind: "accept" });
      const before = pm.standin.requests.length;
      for (const later of [5 * MINUTE, 30 * MINUTE, 3 * HOUR]) await sendPending(postmark(), new Date(now.getTime() + later), { ids: await idsOf(...users) });
      expect(pm.standin.requests.length, `HTTP ${status}: no retry`).toBe(before);
    }
    expect(pm.standin.violations).toEqual([]);
  });
});

describe("trouble that may pass: 429, 500 and a hanging server", () => {
  it("retries after 5 minutes, then 30, then 2 hours, … and gives up after 6 attempts (HTTP 500)", async () => {
    const day = nextRange();
    const user = await queuedDigest(day, { hour: 0 });
    const queued = at(`${day}T00:00`, "UTC");
    await scanReminders(postmark(), queued);
    const [id] = await idsOf(user);
    pm.standin.respondWith({ kind: "status", status: 500, errorCode: 0, message: "Internal Server Error" });

    let now = queued;
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      // A send a second before the retry is due does nothing.
      if (attempt > 1) {
        expect((await sendPending(postmark(), new Date(now.getTime() - 1000), { ids: [id!] })).claimed).toBe(0);
      }
      await sendPending(postmark(), now, { ids: [id!] });
      const row = await outboxRow(t, id!);
      expect(row.attempts).toBe(attempt);
      if (attempt < 6) {
        expect(row.status).toBe("pending");
        waits.push((row.nextAttemptAt.getTime() - now.getTime()) / MINUTE);
        now = row.nextAttemptAt;
      } else {
        expect(row.status).toBe("failed");
        expect(row.lastError).toMatch(/gave up after 6 attempts/);
      }
    }
    expect(waits).toEqual([5, 30, 120, 240, 480]);
    expect(triedTo(user.email)).toHaveLength(6);

    pm.standin.respondWith({ kind: "accept" });
    await sendPending(postmark(), new Date(now.getTime() + 10 * HOUR), { ids: [id!] });
    expect(triedTo(user.email)).toHaveLength(6);
    expect(pm.standin.violations).toEqual([]);
  });

  it("puts rate-limited (429) messages back with growing waits, and sends them once when the limit lifts", async () => {
    const day = nextRange();
    const user = await queuedDigest(day);
    const queued = at(`${day}T08:00`, "UTC");
    await scanReminders(postmark(), queued);
    const ids = await idsOf(user);
    pm.standin.respondWith({ kind: "status", status: 429, errorCode: 0, message: "Rate limit exceeded" });

    const expected = [5, 35, 155].map((m) => new Date(queued.getTime() + m * MINUTE));
    let now = queued;
    for (const next of expected) {
      expect(await sendPending(postmark(), now, { ids })).toMatchObject({ claimed: 1, retrying: 1 });
      const row = await outboxRow(t, ids[0]!);
      expect(row).toMatchObject({ status: "pending", nextAttemptAt: next, leaseUntil: null });
      expect(row.lastError).toContain("429");
      now = next;
    }
    pm.standin.respondWith({ kind: "accept" });
    expect(await sendPending(postmark(), now, { ids })).toMatchObject({ sent: 1 });
    await sendPending(postmark(), new Date(now.getTime() + HOUR), { ids });
    expect(sentTo(user.email)).toHaveLength(1);
    expect(await outboxRow(t, ids[0]!)).toMatchObject({ status: "sent", attempts: 4 });
    expect(pm.standin.violations).toEqual([]);
  });

  it("treats a server that never answers as a timeout to retry in 5 minutes", async () => {
    const day = nextRange();
    const user = await queuedDigest(day);
    const queued = at(`${day}T08:00`, "UTC");
    await scanReminders(postmark(), queued);
    const ids = await idsOf(user);
    pm.standin.respondWith({ kind: "hang" });

    const started = Date.now();
    expect(await sendPending(postmark(), queued, { ids })).toMatchObject({ claimed: 1, retrying: 1 });
    expect(Date.now() - started).toBeLessThan(5000); // gave up after the 1 s timeout
    const row = await outboxRow(t, ids[0]!);
    expect(row).toMatchObject({ status: "pending", nextAttemptAt: new Date(queued.getTime() + 5 * MINUTE) });
    expect(row.lastError).toMatch(/timeout|abort/i);

    // The server comes back (a fresh stand-in, so no socket of the hung one lingers).
    const hung = await pm.replace();
    await hung.stop();
    expect(await sendPending(postmark(), new Date(queued.getTime() + 5 * MINUTE), { ids })).toMatchObject({ sent: 1 });
    expect(sentTo(user.email)).toHaveLength(1);
    expect(hung.violations).toEqual([]);
    expect(pm.standin.violations).toEqual([]);
  });
});

describe("an unreachable Postmark", () => {
  it("retries in 5 minutes when the connection is refused", async () => {
    const day = nextRange();
    const user = await queuedDigest(day);
    const now = at(`${day}T08:00`, "UTC");
    await scanReminders(postmark(), now);
    const ids = await idsOf(user);
    const gone = await new PostmarkStandIn().start();
    const deadUrl = gone.url;
    await gone.stop();

    const dead = jobDeps(t, createPostmarkMailer({ serverToken: gone.token, apiUrl: deadUrl, timeoutSeconds: 1 }));
    expect(await sendPending(dead, now, { ids })).toMatchObject({ claimed: 1, retrying: 1 });
    expect(await outboxRow(t, ids[0]!)).toMatchObject({ status: "pending", nextAttemptAt: new Date(now.getTime() + 5 * MINUTE) });
    expect(await sendPending(postmark(), new Date(now.getTime() + 5 * MINUTE), { ids })).toMatchObject({ sent: 1 });
    expect(sentTo(user.email)).toHaveLength(1);
  });
});
