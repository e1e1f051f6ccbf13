import type { Db } from "../db/database.js";
import { claimScanDays, dueBatch, forgetOldScans, inScanTransaction, writeBatch, type DueBatch, type QueuedEmail, type QueuedItem } from "../db/reminders.js";
import { actionTokens, unsubscribeTokens } from "../email/links.js";
import { emailSigner } from "../email/signing-key.js";
import type { Signer } from "../email/signing.js";
import { composeDigest, composeTaskEmail, groupOf, type ComposeInput, type RemindedTask } from "./compose.js";
import type { JobDeps } from "./jobs.js";
import { LATE_OFFSETS, slotOn } from "./slots.js";
import { addDays, localDate } from "../tasks/due.js";

/** A digest lists at most this many tasks, then "and N more" with a link to the list in the app. */
export const DIGEST_LIMIT = 20;
/**
 * Per-task delivery sends at most this many emails a day; past it, that day's reminders go as one
 * digest instead (the rule and its "never both" are described at planBatch).
 */
export const PER_TASK_LIMIT = 20;
/**
 * The digest that replaces per-task emails names every task of the day, up to this many (then
 * "and N more", as any digest): someone who chose one email per task asked to hear of each one.
 * The bound keeps the message small enough for the sender's batches: a named task costs about 2 KB
 * (a long title and two signed links, in HTML and text), so such a digest stays near 85 KB and
 * even a Postmark batch of 500 of them under its 50 MB.
 */
export const PER_TASK_DIGEST_LIMIT = 40;
/**
 * Users per batch. A batch is one transaction of about six statements whose memory is about 20
 * tasks (at most PER_TASK_DIGEST_LIMIT) and one email a user; at 1,000,000 tasks larger batches
 * were no faster (two are in flight at once anyway) and held more memory.
 */
export const BATCH_SIZE = 200;
/** Batches per call: 20,000 users, a few seconds; a later call continues with the rest. */
export const MAX_BATCHES = 100;

export interface ScanResult {
  usersScanned: number;
  emailsQueued: number;
  /** True when the batch bound stopped the run early; the next run continues with the rest. */
  more: boolean;
  batches: number;
  /** Statements sent on the database handle during the run (others' too, on a shared handle). */
  statements: number;
}

/**
 * The hourly deadline scan, the same on every runtime. For each user whose local reminder hour
 * has come, whom no run has handled today and who has a task with a reminder today, it queues
 * today's digest (or one email per task) in the outbox under a unique key. Users are taken in
 * keyset batches of `batchSize`, at most `maxBatches` per call; each batch is written in one
 * transaction, so a failure leaves no half-written batch and the next run does it again.
 */
export async function scanReminders(
  deps: JobDeps,
  now: Date,
  opts: { batchSize?: number; maxBatches?: number; onQueued?: (outboxIds: string[]) => void } = {},
): Promise<ScanResult> {
  const { db } = deps.database;
  const batchSize = opts.batchSize ?? BATCH_SIZE;
  const maxBatches = opts.maxBatches ?? MAX_BATCHES;
  const statementsBefore = deps.database.roundTrips();
  const result: ScanResult = { usersScanned: 0, emailsQueued: 0, more: false, batches: 0, statements: 0 };
  const done = () => ({ ...result, statements: deps.database.roundTrips() - statementsBefore });
  const signer = await emailSigner(db, deps.config.signingSecret);
  // Markers older than any zone's "today" are never consulted again.
  await forgetOldScans(db, addDays(localDate(now, "UTC"), -3));

  // Two batches are in flight at once, each in its own transaction: batch N+1 is read while batch
  // N's emails are composed, and composed while N's are written, so the database and the
  // JavaScript work side by side instead of in turn. (On PGlite, one connection, they queue.)
  const start = (after: Promise<string | null>) => {
    let readDone!: (last: string | null) => void;
    const read = new Promise<string | null>((resolve) => (readDone = resolve));
    const done = (async () => {
      const cursor = await after;
      if (cursor === null) return null;
      return inScanTransaction(db, async (tx) => {
        const due = await readBatch(tx, now, cursor, batchSize);
        // A full batch may have more users after it: the next batch can start reading.
        readDone(due.users.length === batchSize ? due.users[due.users.length - 1]!.id : null);
        if (due.users.length === 0) return null;
        const queued = await queueBatch(deps, signer, tx, due, now);
        return { users: due.users.length, queued: queued.length, ids: queued.map((q) => q.id) };
      });
    })();
    done.then(
      () => readDone(null),
      () => readDone(null),
    );
    return { read, done };
  };

  let current = start(Promise.resolve("00000000-0000-0000-0000-000000000000"));
  for (let batch = 1; ; batch++) {
    const next = batch < maxBatches ? start(current.read) : null;
    let step: Awaited<typeof current.done>;
    try {
      step = await current.done;
    } catch (err) {
      await next?.done.catch(() => undefined);
      throw err;
    }
    if (step) {
      // Reported once the batch's transaction has committed, so the rows exist for any reader.
      opts.onQueued?.(step.ids);
      result.usersScanned += step.users;
      result.emailsQueued += step.queued;
      result.batches += 1;
    }
    if (!step || step.users < batchSize) {
      await next?.done;
      return done();
    }
    if (!next) {
      result.more = true;
      return done();
    }
    current = next;
  }
}

/** The next batch's users after `afterUserId` and the tasks their emails name (dueBatch). */
export function readBatch(tx: Db, now: Date, afterUserId: string, batchSize: number): Promise<DueBatch> {
  return dueBatch(tx, now, afterUserId, batchSize, { digest: DIGEST_LIMIT, perTask: PER_TASK_DIGEST_LIMIT }, LATE_OFFSETS);
}

/**
 * Queues a batch that was read (readBatch) in the same transaction: claims each user's day, then
 * composes and writes the emails of the users it claimed. A user an overlapping run claimed (and
 * decided for) meanwhile gets nothing from this one. Answers the emails queued.
 */
export async function queueBatch(deps: JobDeps, signer: Signer, tx: Db, due: DueBatch, now: Date): Promise<{ id: string; dedupeKey: string }[]> {
  const claimed = await claimScanDays(tx, due.users, now);
  const plan = await planBatch(deps, signer, { ...due, users: due.users.filter((u) => claimed.has(u.id)) }, now);
  return writeBatch(tx, plan, now);
}

/**
 * The emails of one batch. Per-task delivery sends one email per task on a day with at most
 * PER_TASK_LIMIT tasks to remind of; on a day with more, that user gets one digest instead
 * (nobody wants 500 emails at once), naming every one of the day's tasks up to
 * PER_TASK_DIGEST_LIMIT. The choice is made for the whole day, once, never both and never in
 * part:
 * - one run decides a user's day: the scan marker (reminder_scans) is claimed in the batch's
 *   transaction before anything is queued (claimScanDays), later runs of that local date skip the
 *   user, and an overlapping run that read the user before the marker was committed finds it
 *   taken and queues nothing for them;
 * - so a day with 20 tasks gets 20 emails and stays so even if more tasks fall due later that day
 *   (no digest follows them; those tasks are reminded on their next reminder day), and a day with
 *   21 gets one digest of all 21 and no per-task email;
 * - the dedupe keys (`task:<task>:<slot>:<due date>`, `digest:<user>:<local date>`) still make
 *   every repeat of the same email a no-op underneath.
 * Links are signed only for the tasks an email shows, all of the batch's in one go.
 */
async function planBatch(deps: JobDeps, signer: Signer, due: DueBatch, now: Date): Promise<{ emails: QueuedEmail[]; items: QueuedItem[] }> {
  const appUrl = deps.config.appUrl.origin;
  const shown = due.users.map((user) =>
    (due.tasks.get(user.id) ?? []).map((task) => {
      const slot = slotOn(task.dueDate, user.localDate, user);
      // The SQL picks tasks by the same rule (a test holds the two together); should they ever
      // disagree, failing the batch loudly beats an email listing a task without a reminder.
      if (!slot) throw new Error(`reminder slot rule mismatch for a task due ${task.dueDate} on ${user.localDate}`);
      return { task, slot };
    }),
  );
  const links = shown.flatMap((tasks, i) =>
    tasks.flatMap(({ task }) => [
      // The due date rides along so that a later occurrence of a repeating task is safe from this email's links.
      { action: "done" as const, taskId: task.id, userId: due.users[i]!.id, dueDate: task.dueDate },
      { action: "tomorrow" as const, taskId: task.id, userId: due.users[i]!.id, dueDate: task.dueDate },
    ]),
  );
  const [tokens, unsubscribes] = await Promise.all([actionTokens(signer, links, now), unsubscribeTokens(signer, due.users.map((u) => u.id))]);

  const emails: QueuedEmail[] = [];
  const items: QueuedItem[] = [];
  let next = 0;
  for (const [i, user] of due.users.entries()) {
    const reminded: RemindedTask[] = shown[i]!.map(({ task, slot }) => ({
      task,
      slot,
      links: { done: `${appUrl}/email/action?token=${tokens[next++]}`, tomorrow: `${appUrl}/email/action?token=${tokens[next++]}` },
    }));
    const counts = due.counts.get(user.id);
    if (!counts || reminded.length === 0) continue;
    const unsubscribeUrl = `${appUrl}/email/unsubscribe?token=${unsubscribes[i]}`;
    const base: Omit<ComposeInput, "items"> = { name: user.name, timezone: user.timezone, now, appUrl, unsubscribeUrl };
    const queue = (dedupeKey: string, kind: "digest" | "task", email: { subject: string; html: string; text: string }, named: RemindedTask[]) => {
      emails.push({
        userId: user.id,
        kind,
        dedupeKey,
        localDate: user.localDate,
        expiresAt: user.endOfDay,
        toAddress: user.email,
        subject: email.subject,
        htmlBody: email.html,
        textBody: email.text,
        unsubscribeUrl,
      });
      for (const r of named) items.push({ dedupeKey, taskId: r.task.id, grp: groupOf(r, now), slot: r.slot.name, dueDate: r.task.dueDate });
    };

    if (user.reminderDelivery === "per_task" && counts.overdue + counts.today + counts.soon <= PER_TASK_LIMIT) {
      for (const r of reminded) queue(`task:${r.task.id}:${r.slot.name}:${r.task.dueDate}`, "task", composeTaskEmail({ ...base, items: [r] }), [r]);
    } else {
      // Only the tasks shown are recorded in reminder_items: the task page's history lists the
      // emails that named a task, and a task counted in "and N more" was not named. (The read
      // brought DIGEST_LIMIT tasks for a digest reader, PER_TASK_DIGEST_LIMIT for the others.)
      queue(`digest:${user.id}:${user.localDate}`, "digest", composeDigest({ ...base, items: reminded, counts }), reminded);
    }
  }
  return { emails, items };
}
