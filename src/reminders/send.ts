import { claimForSending, dropUnwanted, expireStale, recordOutcomes, type SendRecord } from "../db/outbox.js";
import type { OutboxRow } from "../db/schema.js";
import { pauseReminders } from "../db/reminder-prefs.js";
import { DEFAULT_EMAIL } from "../config.js";
import { MAX_BATCH, outgoingEmail, type OutgoingEmail, type SendOutcome } from "../email/mailer.js";
import { errorForLog } from "../log.js";
import type { JobDeps } from "./jobs.js";

const MINUTE = 60 * 1000;
/** Waits before the 2nd, 3rd, … attempt; after MAX_ATTEMPTS a row fails for good. */
export const RETRY_DELAYS_MS = [5 * MINUTE, 30 * MINUTE, 120 * MINUTE, 240 * MINUTE, 480 * MINUTE];
export const MAX_ATTEMPTS = 6;
const INACTIVE_REASON = "Postmark reported your address as inactive (a hard bounce or a spam complaint), so reminders are paused.";

export interface SendResult {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
  suppressed: number;
  expired: number;
}

/**
 * Sends what the outbox holds, the same on every runtime: expires rows whose local day is over,
 * drops rows of users who opted out (or were paused) since they were queued, claims up to
 * `limit` rows under a lease, sends them in Postmark batches of at most 500, and records each
 * message's outcome. A crash after the claim leaves rows to be retried once the
 * lease runs out. With `ids`, only those rows (a queue message's) are considered.
 */
export async function sendPending(
  deps: JobDeps,
  now: Date,
  opts: { limit?: number; ids?: string[]; housekeeping?: boolean } = {},
): Promise<SendResult> {
  const { db } = deps.database;
  const result: SendResult = { claimed: 0, sent: 0, retrying: 0, failed: 0, suppressed: 0, expired: 0 };
  // A queue consumer skips the table-wide housekeeping (the cron does it once per run): the claim
  // below already passes over expired rows and opted-out users, so nothing is sent that should not be.
  if (opts.housekeeping !== false) result.expired = await housekeepOutbox(deps, now);
  const rows = await claimForSending(db, now, opts.limit ?? 1000, opts.ids);
  result.claimed = rows.length;

  for (let i = 0; i < rows.length; i += MAX_BATCH) {
    const chunk = rows.slice(i, i + MAX_BATCH);
    let outcomes: SendOutcome[];
    try {
      outcomes = await deps.mailer.sendBatch(chunk.map((row) => toMessage(deps, row)), now);
    } catch (err) {
      outcomes = chunk.map(() => ({ outcome: "retry" as const, error: (err as Error).message }));
    }
    const records = chunk.map((row, j) => recordFor(row, outcomes[j] ?? { outcome: "retry", error: "no outcome" }, now));
    await recordOutcomes(db, records);
    const inactive = new Set<string>();
    for (const [j, r] of records.entries()) {
      if (r.status === "sent") result.sent++;
      else if (r.status === "pending") result.retrying++;
      else if (r.status === "suppressed") {
        result.suppressed++;
        inactive.add(chunk[j]!.userId);
      } else result.failed++;
    }
    await pauseReminders(db, [...inactive], INACTIVE_REASON);
    console.log(JSON.stringify({ event: "reminders.batch_sent", size: chunk.length, ...countBy(records), ...errorsOf(records) }));
  }
  return result;
}

/**
 * Marks rows whose local day has ended as expired and drops rows of users who opted out or were
 * paused since they were queued; answers how many expired. Table-wide statements: run once per
 * job run, never once per queue message.
 */
export async function housekeepOutbox(deps: JobDeps, now: Date): Promise<number> {
  const { db } = deps.database;
  const expired = await expireStale(db, now);
  const dropped = await dropUnwanted(db, now);
  if (dropped) console.log(JSON.stringify({ event: "reminders.dropped_after_opt_out", count: dropped }));
  return expired;
}

function recordFor(row: OutboxRow, outcome: SendOutcome, now: Date): SendRecord {
  const base = { id: row.id, messageId: null, error: null, nextAttemptAt: null, sentAt: null };
  switch (outcome.outcome) {
    case "sent":
      return { ...base, status: "sent", messageId: outcome.messageId, sentAt: now };
    case "suppressed":
      return { ...base, status: "suppressed", error: outcome.error };
    case "failed":
      return { ...base, status: "failed", error: outcome.error };
    case "retry": {
      if (row.attempts >= MAX_ATTEMPTS) return { ...base, status: "failed", error: `gave up after ${row.attempts} attempts: ${outcome.error}` };
      const delay = RETRY_DELAYS_MS[Math.min(row.attempts - 1, RETRY_DELAYS_MS.length - 1)]!;
      return { ...base, status: "pending", error: outcome.error, nextAttemptAt: new Date(now.getTime() + delay) };
    }
  }
}

/** The outbox row as a Postmark message, with RFC 8058 one-click unsubscribe headers. */
export function toMessage(deps: JobDeps, row: OutboxRow): OutgoingEmail {
  return outgoingEmail(deps.config, row, {
    stream: deps.config.messageStream ?? DEFAULT_EMAIL.messageStream,
    tag: row.kind === "digest" ? "reminder-digest" : "reminder-task",
    headers: [
      { Name: "List-Unsubscribe", Value: `<${row.unsubscribeUrl}>` },
      { Name: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click" },
    ],
  });
}

/**
 * What went wrong in a batch, for operators: people see only a plain status on the task page, never
 * this text. At most 3 distinct messages, each one bounded line.
 */
function errorsOf(records: SendRecord[]): { errors?: string[] } {
  const errors = [...new Set(records.flatMap((r) => (r.error ? [errorForLog(new Error(r.error)).message] : [])))].slice(0, 3);
  return errors.length ? { errors } : {};
}

function countBy(records: SendRecord[]) {
  const counts: Record<string, number> = {};
  for (const r of records) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}
