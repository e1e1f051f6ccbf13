import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { claimForSending } from "../src/db/outbox.js";
import { users } from "../src/db/schema.js";
import type { Mailer } from "../src/email/mailer.js";
import { scanReminders } from "../src/reminders/scan.js";
import { sendPending } from "../src/reminders/send.js";
import { addTask, at, dateRanges, HOUR, inbox, jobDeps, makeUser, MINUTE, outboxOf, outboxRow, plusDays, type FixtureUser } from "./support/reminder-jobs.js";
import { makeTestApp } from "./support/test-app.js";

// Never twice, never lost for good, never late: repeated and overlapping runs, a sender that
// dies holding rows, a day that ends before the mail could go, and a user who opts out meanwhile.
const t = await makeTestApp();
const deps = jobDeps(t);
const nextRange = dateRanges("2033-02-01", 120);

const pendingIds = async (...us: FixtureUser[]) => (await outboxOf(t, ...us.map((u) => u.id))).filter((r) => r.status === "pending").map((r) => r.id);

/** A mail provider that is down: every batch throws, as a network failure would. */
const downMailer: Mailer = {
  kind: "postmark",
  async sendBatch() {
    throw new Error("connect ECONNREFUSED");
  },
};

describe("never twice", () => {
  it("repeated runs within the same hour queue and send one digest", async () => {
    const today = nextRange();
    const user = await makeUser(t);
    await addTask(t, user, { dueDate: today });
    await addTask(t, user, { dueDate: plusDays(today, 1) });

    for (const minute of ["00", "00", "05", "30", "59"]) {
      const now = at(`${today}T08:${minute}`, "UTC");
      await scanReminders(deps, now);
      await sendPending(deps, now, { ids: await pendingIds(user) });
    }
    expect(await outboxOf(t, user.id)).toHaveLength(1);
    expect((await inbox(t, user.email)).map((m) => m.subject)).toEqual(["1 due today, 1 due soon"]);
  });

  it("two scans and two senders running at the same moment deliver each reminder once", async () => {
    const today = nextRange();
    const digestUsers = await Promise.all([makeUser(t), makeUser(t), makeUser(t)]);
    const perTask = await makeUser(t, { reminderDelivery: "per_task" });
    for (const u of [...digestUsers, perTask]) {
      await addTask(t, u, { dueDate: today });
      await addTask(t, u, { dueDate: plusDays(today, -1) });
    }
    const mine = [...digestUsers, perTask];
    const now = at(`${today}T08:00`, "UTC");

    const scans = await Promise.all([scanReminders(deps, now), scanReminders(deps, now)]);
    expect(scans[0].emailsQueued + scans[1].emailsQueued).toBeGreaterThanOrEqual(5);
    const rows = await outboxOf(t, ...mine.map((u) => u.id));
    expect(rows).toHaveLength(5); // three digests and two per-task emails

    const ids = rows.map((r) => r.id);
    const sends = await Promise.all([sendPending(deps, now, { ids }), sendPending(deps, now, { ids })]);
    expect(sends[0].sent + sends[1].sent).toBe(5);
    // And once more, overlapping a late scan: nothing new.
    await Promise.all([scanReminders(deps, new Date(now.getTime() + MINUTE)), sendPending(deps, new Date(now.getTime() + MINUTE), { ids })]);

    for (const u of digestUsers) expect((await inbox(t, u.email)).map((m) => m.subject)).toEqual(["1 due today, 1 overdue"]);
    expect((await inbox(t, perTask.email)).length).toBe(2);
    expect((await outboxOf(t, ...mine.map((u) => u.id))).every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
  });


  it("several overlapping scans working in small batches still queue one reminder per user", async () => {
    const today = nextRange();
    const crowd = await Promise.all(Array.from({ length: 7 }, () => makeUser(t)));
    for (const u of crowd) await addTask(t, u, { dueDate: today });
    const now = at(`${today}T08:00`, "UTC");
    for (let round = 0; round < 3; round++) {
      await Promise.all([1, 2, 3].map(() => scanReminders(deps, new Date(now.getTime() + round * MINUTE), { batchSize: 2, maxBatches: 2 })));
    }
    const rows = await outboxOf(t, ...crowd.map((u) => u.id));
    expect(rows.map((r) => r.userId).sort()).toEqual(crowd.map((u) => u.id).sort());
    const ids = rows.map((r) => r.id);
    const later = new Date(now.getTime() + 3 * MINUTE);
    await Promise.all([1, 2, 3].map(() => sendPending(deps, later, { ids, limit: 3 })));
    await Promise.all([1, 2, 3].map(() => sendPending(deps, later, { ids, limit: 3 })));
    for (const u of crowd) expect(await inbox(t, u.email), u.email).toHaveLength(1);
  });
});

describe("a sender that dies between claiming and sending", () => {
  it("leaves the rows alone until the 5-minute lease runs out, then they are sent exactly once", async () => {
    const today = nextRange();
    const user = await makeUser(t);
    await addTask(t, user, { title: "Lease test", dueDate: today });
    const queuedAt = at(`${today}T08:00`, "UTC");
    await scanReminders(deps, queuedAt);
    const ids = await pendingIds(user);
    expect(ids).toHaveLength(1);

    // A sender claims the row, then its process dies before anything is sent.
    const claimed = await claimForSending(t.database.db, queuedAt, 10, ids);
    expect(claimed.map((r) => r.id)).toEqual(ids);

    // Other senders within the lease do not touch it.
    for (const after of [0, MINUTE, 4 * MINUTE + 59_000]) {
      const res = await sendPending(deps, new Date(queuedAt.getTime() + after), { ids });
      expect(res.claimed).toBe(0);
    }
    expect(await inbox(t, user.email)).toHaveLength(0);
    expect((await outboxRow(t, ids[0]!)).status).toBe("sending");

    // After the lease, the next sender takes it over and sends it once.
    const takeover = await sendPending(deps, new Date(queuedAt.getTime() + 5 * MINUTE + 1000), { ids });
    expect(takeover).toMatchObject({ claimed: 1, sent: 1 });
    await sendPending(deps, new Date(queuedAt.getTime() + 11 * MINUTE), { ids });
    await sendPending(deps, new Date(queuedAt.getTime() + HOUR), { ids });
    const mail = await inbox(t, user.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.textBody).toContain("Lease test");
    expect(await outboxRow(t, ids[0]!)).toMatchObject({ status: "sent", attempts: 2 });
  });
});

describe("a digest is only worth sending on its own day", () => {
  it("expires at the end of the user's local day when it could not be sent, and is never sent afterwards", async () => {
    const today = nextRange();
    const user = await makeUser(t, { timezone: "America/Los_Angeles", reminderHour: 20 });
    await addTask(t, user, { title: "Yesterday's news", dueDate: today });
    const queued = at(`${today}T20:00`, "America/Los_Angeles");
    await scanReminders(deps, queued);
    const ids = await pendingIds(user);

    // The provider is down all evening: attempts at 20:00 and 20:05 fail and are rescheduled.
    const down = jobDeps(t, downMailer);
    expect(await sendPending(down, queued, { ids })).toMatchObject({ retrying: 1 });
    expect(await sendPending(down, new Date(queued.getTime() + 5 * MINUTE), { ids })).toMatchObject({ retrying: 1 });
    const retryAt = (await outboxRow(t, ids[0]!)).nextAttemptAt;
    expect(retryAt.getTime()).toBe(queued.getTime() + 35 * MINUTE);

    // Every five minutes until the end of the day the sender tries whatever is due, still failing.
    const midnight = at(`${plusDays(today, 1)}T00:00`, "America/Los_Angeles");
    for (let ms = queued.getTime() + 10 * MINUTE; ms < midnight.getTime(); ms += 5 * MINUTE) await sendPending(down, new Date(ms), { ids });
    const lastTry = await outboxRow(t, ids[0]!);
    expect(lastTry).toMatchObject({ status: "pending", attempts: 4 }); // 20:00, 20:05, 20:35, 22:35
    expect(lastTry.nextAttemptAt.getTime()).toBeGreaterThan(midnight.getTime());

    // The provider is back just after local midnight: the stale digest expires instead of going out.
    const backAgain = await sendPending(deps, new Date(midnight.getTime() + 1000), { ids });
    expect(backAgain).toMatchObject({ claimed: 0, sent: 0 });
    expect(backAgain.expired).toBeGreaterThanOrEqual(1); // (a count over the whole outbox)
    expect((await outboxRow(t, ids[0]!)).status).toBe("expired");
    for (const later of [3 * HOUR, 7 * HOUR, 2 * 24 * HOUR]) await sendPending(deps, new Date(midnight.getTime() + later), { ids });
    expect(await inbox(t, user.email)).toEqual([]);
    expect(await outboxRow(t, ids[0]!)).toMatchObject({ status: "expired", sentAt: null });
  });

  it("expires a digest the sender never got to that day, and a working sender the next day does not send it", async () => {
    const today = nextRange();
    const user = await makeUser(t, { timezone: "Europe/Paris", reminderHour: 7 });
    await addTask(t, user, { title: "Stale digest", dueDate: today });
    await scanReminders(deps, at(`${today}T07:00`, "Europe/Paris"));
    const ids = await pendingIds(user);
    // The sender does not run again that day (an outage that outlasts the day).

    const nextMorning = at(`${plusDays(today, 1)}T00:05`, "Europe/Paris");
    expect(await sendPending(deps, nextMorning, { ids })).toMatchObject({ claimed: 0, sent: 0 });
    expect((await outboxRow(t, ids[0]!)).status).toBe("expired");
    for (const later of [HOUR, 7 * HOUR, 30 * HOUR]) await sendPending(deps, new Date(nextMorning.getTime() + later), { ids });

    expect(await inbox(t, user.email)).toEqual([]);
    expect(await outboxRow(t, ids[0]!)).toMatchObject({ status: "expired", sentAt: null });
  });
});

describe("a user who opts out after the digest was queued", () => {
  it("does not receive it: turning reminders off (or being paused) stops what is still waiting", async () => {
    const today = nextRange();
    const unsubscribed = await makeUser(t);
    const paused = await makeUser(t);
    const stays = await makeUser(t);
    for (const u of [unsubscribed, paused, stays]) await addTask(t, u, { dueDate: today });
    const now = at(`${today}T08:00`, "UTC");
    await scanReminders(deps, now);
    const ids = await pendingIds(unsubscribed, paused, stays);
    expect(ids).toHaveLength(3);
    // The first try fails (provider hiccup), so the digests wait for their retry …
    await sendPending(jobDeps(t, downMailer), now, { ids });

    // … during which one user clicks Unsubscribe and the other's address is reported inactive.
    await t.database.db.update(users).set({ remindersEnabled: false }).where(eq(users.id, unsubscribed.id));
    await t.database.db.update(users).set({ remindersPausedReason: "inactive address" }).where(eq(users.id, paused.id));

    for (const later of [5 * MINUTE, 35 * MINUTE, 3 * HOUR]) await sendPending(deps, new Date(now.getTime() + later), { ids });

    expect(await inbox(t, unsubscribed.email)).toEqual([]);
    expect(await inbox(t, paused.email)).toEqual([]);
    expect(await inbox(t, stays.email)).toHaveLength(1);
    const statuses = Object.fromEntries((await outboxOf(t, unsubscribed.id, paused.id)).map((r) => [r.userId, r.status]));
    expect(statuses[unsubscribed.id]).not.toMatch(/^(sent|pending|sending)$/);
    expect(statuses[paused.id]).not.toMatch(/^(sent|pending|sending)$/);
  });
});
