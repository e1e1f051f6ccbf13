import { describe, expect, it } from "vitest";
import { reminderOutbox } from "../src/db/schema.js";
import { scanReminders } from "../src/reminders/scan.js";
import { sendPending } from "../src/reminders/send.js";
import { at, dateRanges, HOUR, makeUser, MINUTE, outboxOf } from "./support/reminder-jobs.js";
import { postmarkFixture } from "./support/postmark-fixture.js";
import { APP_URL, makeTestApp } from "./support/test-app.js";

// Sending through the official Postmark client to a local stand-in of its batch API: what every
// request looks like, and senders that overlap.
const t = await makeTestApp();
const nextRange = dateRanges("2040-01-15", 120);
const pm = postmarkFixture(t);
const { postmark, sentTo, triedTo, idsOf, queuedDigest } = pm;

describe("overlapping senders", () => {
  it("three senders started together over real HTTP deliver each message once", async () => {
    const day = nextRange();
    const crowd = await Promise.all(Array.from({ length: 6 }, () => queuedDigest(day)));
    const now = at(`${day}T08:00`, "UTC");
    await Promise.all([scanReminders(postmark(), now), scanReminders(postmark(), now)]);
    const ids = await idsOf(...crowd);
    expect(ids).toHaveLength(6);

    const results = await Promise.all([1, 2, 3].map(() => sendPending(postmark(), now, { ids, limit: 2 })));
    await Promise.all([1, 2, 3].map(() => sendPending(postmark(), new Date(now.getTime() + MINUTE), { ids })));

    expect(results.reduce((n, r) => n + r.sent, 0)).toBeGreaterThanOrEqual(1);
    for (const u of crowd) expect(triedTo(u.email), u.email).toHaveLength(1);
    expect(pm.standin.delivered.filter((m) => crowd.some((u) => u.email === m.To))).toHaveLength(6);
    expect(pm.standin.violations).toEqual([]);
  });
});

describe("what goes over the wire", () => {
  it("sends every field Postmark needs, the message stream and one-click unsubscribe headers", async () => {
    const day = nextRange();
    const user = await queuedDigest(day, { name: "Katherine" });
    const now = at(`${day}T08:00`, "UTC");
    await scanReminders(postmark(), now);
    await sendPending(postmark(), now, { ids: await idsOf(user) });

    const [m] = sentTo(user.email);
    expect(m).toBeDefined();
    expect(m!.From).toBe("SmartTask <reminders@smarttask.localhost>");
    expect(m!.Subject).toBe("1 due today, 1 due soon");
    expect(m!.HtmlBody).toContain("<h2>Due today</h2>");
    expect(m!.TextBody).toContain("Hello Katherine,");
    expect(m!.MessageStream).toBe("outbound");
    const header = (name: string) => m!.Headers?.find((h) => h.Name === name)?.Value;
    expect(header("List-Unsubscribe")).toMatch(new RegExp(`^<${APP_URL.replace(/\./g, "\\.")}/email/unsubscribe\\?token=[A-Za-z0-9_.-]+>$`));
    expect(header("List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    // The stand-in checked the X-Postmark-Server-Token, JSON content type and message shape.
    expect(pm.standin.violations).toEqual([]);

    // A configured stream (POSTMARK_MESSAGE_STREAM) is used instead.
    const other = await queuedDigest(day);
    const later = at(`${day}T09:00`, "UTC");
    await scanReminders(postmark(), later);
    await sendPending(postmark({ messageStream: "reminders" }), later, { ids: await idsOf(other) });
    expect(sentTo(other.email).map((x) => x.MessageStream)).toEqual(["reminders"]);
  });

  it("never puts more than 500 messages in one request", async () => {
    const day = nextRange();
    const user = await makeUser(t);
    const now = at(`${day}T08:00`, "UTC");
    const key = crypto.randomUUID();
    await t.database.db.insert(reminderOutbox).values(
      Array.from({ length: 501 }, (_, i) => ({
        userId: user.id,
        kind: "task" as const,
        dedupeKey: `bulk:${key}:${i}`,
        localDate: day,
        nextAttemptAt: now,
        expiresAt: new Date(now.getTime() + 12 * HOUR),
        toAddress: user.email,
        subject: `Reminder ${i}`,
        htmlBody: `<p>Reminder ${i}</p>`,
        textBody: `Reminder ${i}`,
        unsubscribeUrl: `${APP_URL}/email/unsubscribe?token=x`,
        createdAt: now,
      })),
    );

    const res = await sendPending(postmark(), now, { ids: await idsOf(user) });

    expect(res).toMatchObject({ claimed: 501, sent: 501 });
    expect(pm.standin.requests.map((r) => r.length)).toEqual([500, 1]);
    const rows = await outboxOf(t, user.id);
    expect(rows.every((r) => r.status === "sent" && r.messageId)).toBe(true);
    expect(new Set(rows.map((r) => r.messageId)).size).toBe(501);
    expect(new Set(pm.standin.delivered.map((m) => m.Subject)).size).toBe(501);
    expect(pm.standin.violations).toEqual([]);
  });
});
