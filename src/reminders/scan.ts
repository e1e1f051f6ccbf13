import { DateTime } from "luxon";
import { forgetOldScans, markScanned, queueEmails, recordItems, tasksInWindow, usersDueForScan, type NewOutboxRow, type ScanUser } from "../db/reminders.js";
import type { Task } from "../db/schema.js";
import { actionToken, unsubscribeToken } from "../email/links.js";
import { emailSigner } from "../email/signing-key.js";
import type { Signer } from "../email/signing.js";
import { composeDigest, composeTaskEmail, groupOf, type ComposeInput, type RemindedTask } from "./compose.js";
import type { JobDeps } from "./jobs.js";
import { FINAL_OVERDUE_DAY, MAX_LEAD_DAYS, slotOn } from "./slots.js";

const DAY = 24 * 60 * 60 * 1000;

export interface ScanResult {
  usersScanned: number;
  emailsQueued: number;
  /** True when the batch bound stopped the run early; the next run continues with the rest. */
  more: boolean;
}

/**
 * The hourly deadline scan, the same on every runtime. For each user whose local reminder hour
 * has come and whom no run has handled today, it queues today's digest (or one email per task)
 * in the outbox under a unique key. Users are taken in keyset batches, at most `maxBatches` per run.
 */
export async function runReminders(
  deps: JobDeps,
  now: Date,
  opts: { batchSize?: number; maxBatches?: number } = {},
): Promise<ScanResult> {
  const { db } = deps.database;
  const batchSize = opts.batchSize ?? 200;
  const maxBatches = opts.maxBatches ?? 50;
  // Wide enough for any zone's local day: the last overdue reminder (30 days) and the longest lead.
  const window = { from: new Date(now.getTime() - (FINAL_OVERDUE_DAY + 2) * DAY), to: new Date(now.getTime() + (MAX_LEAD_DAYS + 2) * DAY) };
  const signer = await emailSigner(db, deps.config.signingSecret);
  let cursor = "00000000-0000-0000-0000-000000000000";
  const result: ScanResult = { usersScanned: 0, emailsQueued: 0, more: false };
  // Markers older than any zone's "today" are never consulted again.
  await forgetOldScans(db, DateTime.fromJSDate(now, { zone: "UTC" }).minus({ days: 3 }).toISODate()!);

  for (let batch = 0; batch < maxBatches; batch++) {
    const users = await usersDueForScan(db, now, window, cursor, batchSize);
    if (users.length === 0) return result;
    const tasks = await tasksInWindow(db, users.map((u) => u.id), window);
    const plans = await Promise.all(users.map((u) => planUser(deps, signer, u, tasks.filter((t) => t.userId === u.id), now)));
    const queued = await queueEmails(db, plans.flatMap((p) => p.emails.map((e) => e.row)));
    const queuedKeys = new Map(queued.map((q) => [q.dedupeKey, q.id]));
    await recordItems(
      db,
      plans.flatMap((p) =>
        p.emails.flatMap((e) => {
          const outboxId = queuedKeys.get(e.row.dedupeKey);
          return outboxId ? e.items.map((i) => ({ outboxId, taskId: i.task.id, grp: groupOf(i, now), slot: i.slot.name })) : [];
        }),
      ),
    );
    await markScanned(db, plans.map((p) => ({ userId: p.userId, localDate: p.localDate })), now);
    result.usersScanned += users.length;
    result.emailsQueued += queued.length;
    cursor = users[users.length - 1]!.id;
    if (users.length < batchSize) return result;
  }
  result.more = true;
  return result;
}

interface PlannedEmail {
  row: NewOutboxRow;
  items: RemindedTask[];
}

async function planUser(deps: JobDeps, signer: Signer, user: ScanUser, tasks: Task[], now: Date) {
  const local = DateTime.fromJSDate(now, { zone: user.timezone });
  const localDate = local.toISODate()!;
  const appUrl = deps.config.appUrl.origin;
  const items: RemindedTask[] = [];
  for (const task of tasks) {
    const slot = task.dueDate ? slotOn(task.dueDate, localDate, user) : null;
    if (!slot) continue;
    items.push({
      task,
      slot,
      links: {
        done: `${appUrl}/email/action?token=${await actionToken(signer, "done", task.id, user.id, now)}`,
        tomorrow: `${appUrl}/email/action?token=${await actionToken(signer, "tomorrow", task.id, user.id, now)}`,
      },
    });
  }
  const unsubscribeUrl = `${appUrl}/email/unsubscribe?token=${await unsubscribeToken(signer, user.id)}`;
  const base: Omit<ComposeInput, "items"> = { name: user.name, timezone: user.timezone, now, appUrl, unsubscribeUrl };
  const row = (dedupeKey: string, kind: "digest" | "task", email: { subject: string; html: string; text: string }): NewOutboxRow => ({
    userId: user.id,
    kind,
    dedupeKey,
    localDate,
    nextAttemptAt: now,
    expiresAt: local.endOf("day").toJSDate(),
    toAddress: user.email,
    subject: email.subject,
    htmlBody: email.html,
    textBody: email.text,
    unsubscribeUrl,
    createdAt: now,
  });

  const emails: PlannedEmail[] = [];
  if (items.length && user.reminderDelivery === "digest") {
    emails.push({ row: row(`digest:${user.id}:${localDate}`, "digest", composeDigest({ ...base, items })), items });
  } else {
    for (const item of items) {
      const key = `task:${item.task.id}:${item.slot.name}:${item.task.dueDate}`;
      emails.push({ row: row(key, "task", composeTaskEmail({ ...base, items: [item] })), items: [item] });
    }
  }
  return { userId: user.id, localDate, emails };
}
