import type { Clock } from "../clock.js";
import { DEFAULT_EMAIL } from "../config.js";
import type { Db } from "../db/database.js";
import { claimAccountMail, enqueueAccountMail, finishAccountMail, type AccountMailOutcome, type NewAccountMail } from "../db/account-mail.js";
import type { AccountMailRow } from "../db/schema.js";
import { MAX_BATCH, outgoingEmail, type OutgoingEmail } from "../email/mailer.js";
import { errorForLog } from "../log.js";
import type { JobDeps } from "../reminders/jobs.js";
import type { ComposedAccountMessage } from "./message.js";

const MINUTE = 60 * 1000;
/** Waits before the 2nd, 3rd, … attempt: account mail is wanted now, so retries come quickly. */
export const ACCOUNT_MAIL_RETRY_MS = [1 * MINUTE, 5 * MINUTE, 15 * MINUTE, 60 * MINUTE, 180 * MINUTE];
export const ACCOUNT_MAIL_MAX_ATTEMPTS = 6;

/** One account mail to queue: who it is for and what it says. */
export interface AccountMail {
  /** The account it concerns; null for an address with no account (or one just deleted). */
  userId: string | null;
  purpose: string;
  to: string;
  message: ComposedAccountMessage;
}

/** What queuing needs: the jobs' dependencies, the clock and a way to run work after the response. */
export interface MailDeps extends JobDeps {
  /** The request's clock: the queued rows are due at its "now", so the send right after uses it too. */
  clock: Clock;
  /** Runs work after the response is sent (Node: in the background; the Worker: waitUntil). */
  background?: (work: () => Promise<unknown>) => void;
}

/**
 * Queues account mail in `db` (the caller's transaction, when it has one) and answers the ids.
 * Call `sendSoon` with them once that transaction has committed.
 */
export async function queueAccountMail(db: Db, mails: AccountMail[], now: Date): Promise<string[]> {
  const rows: NewAccountMail[] = mails.map((m) => ({
    userId: m.userId,
    purpose: m.purpose,
    toAddress: m.to,
    subject: m.message.subject,
    htmlBody: m.message.html,
    textBody: m.message.text,
  }));
  return enqueueAccountMail(db, rows, now);
}

/**
 * Sends the queued rows right after the response, so the mail arrives within seconds, not at the
 * next hourly run. A failure here is not lost: the rows stay pending and the sweep retries them.
 */
export function sendSoon(deps: MailDeps, ids: string[]): void {
  if (ids.length === 0) return;
  const work = () =>
    sendAccountMail(deps, deps.clock.now(), ids).catch((err: unknown) => {
      const { message, code } = errorForLog(err);
      console.error(JSON.stringify({ event: "account_mail.send_error", message, code }));
    });
  if (deps.background) deps.background(work);
  else void work();
}

/** Queues and, once committed, sends: for callers without a transaction of their own. */
export async function mailNow(deps: MailDeps, mails: AccountMail[], now: Date): Promise<void> {
  sendSoon(deps, await queueAccountMail(deps.database.db, mails, now));
}

/**
 * Sends pending account mail (all that is due, or only `ids`), through the same mailer as
 * reminders but on the transactional stream and without unsubscribe headers.
 */
export async function sendAccountMail(deps: JobDeps, now: Date, ids?: string[]): Promise<{ sent: number; retrying: number; failed: number }> {
  const { db } = deps.database;
  const result = { sent: 0, retrying: 0, failed: 0 };
  for (;;) {
    const rows = await claimAccountMail(db, now, MAX_BATCH, ids);
    if (rows.length === 0) return result;
    let outcomes;
    try {
      outcomes = await deps.mailer.sendBatch(rows.map((row) => toMessage(deps, row)), now);
    } catch (err) {
      outcomes = rows.map(() => ({ outcome: "retry" as const, error: (err as Error).message }));
    }
    const finished: AccountMailOutcome[] = rows.map((row, i) => {
      const o = outcomes[i] ?? { outcome: "retry" as const, error: "no outcome" };
      if (o.outcome === "sent") return { id: row.id, status: "sent", error: null, retryAt: null };
      if (o.outcome === "retry" && row.attempts < ACCOUNT_MAIL_MAX_ATTEMPTS) {
        const delay = ACCOUNT_MAIL_RETRY_MS[Math.min(row.attempts - 1, ACCOUNT_MAIL_RETRY_MS.length - 1)]!;
        return { id: row.id, status: "retry", error: o.error, retryAt: new Date(now.getTime() + delay) };
      }
      return { id: row.id, status: "failed", error: o.error, retryAt: null };
    });
    await finishAccountMail(db, finished);
    for (const f of finished) result[f.status === "sent" ? "sent" : f.status === "retry" ? "retrying" : "failed"]++;
    console.log(JSON.stringify({ event: "account_mail.sent", purposes: [...new Set(rows.map((r) => r.purpose))], ...result }));
    // Only the named rows were asked for: one pass holds all of them unless they fill more than a batch.
    if (ids && ids.length <= MAX_BATCH) return result;
  }
}

function toMessage(deps: JobDeps, row: AccountMailRow): OutgoingEmail {
  // The transactional stream, and no unsubscribe headers: this mail is not a subscription.
  return outgoingEmail(deps.config, row, {
    stream: deps.config.transactionalStream ?? DEFAULT_EMAIL.transactionalStream,
    tag: `account-${row.purpose}`,
  });
}
