import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "./database.js";
import { accountMail, type AccountMailRow } from "./schema.js";

// The transactional outbox's statements: account mail is queued in the request's own transaction
// (so a token and the mail that carries it exist together or not at all) and sent right after.

const LEASE_MS = 2 * 60 * 1000;

export interface NewAccountMail {
  userId: string | null;
  purpose: string;
  toAddress: string;
  subject: string;
  htmlBody: string;
  textBody: string;
}

/** Queues messages; answers their ids, for sending them at once after the response. */
export async function enqueueAccountMail(db: Db, mails: NewAccountMail[], now: Date): Promise<string[]> {
  if (mails.length === 0) return [];
  const rows = await db
    .insert(accountMail)
    .values(mails.map((m) => ({ ...m, nextAttemptAt: now, createdAt: now })))
    .returning({ id: accountMail.id });
  return rows.map((r) => r.id);
}

const at = (now: Date) => sql`${now.toISOString()}::timestamptz`;

/**
 * Claims up to `limit` rows to send under a lease: pending and due, or held by a sender that died.
 * With `only`, just those rows (the ones a request queued). Concurrent senders skip each other's.
 */
export async function claimAccountMail(db: Db, now: Date, limit: number, only?: string[]): Promise<AccountMailRow[]> {
  if (only && only.length === 0) return [];
  const m = accountMail;
  const result = await db.execute(sql`
    update ${m} set status = 'sending', lease_until = ${at(new Date(now.getTime() + LEASE_MS))}, attempts = ${m.attempts} + 1
    where ${m.id} in (
      select id from ${m}
      where ((${m.status} = 'pending' and ${m.nextAttemptAt} <= ${at(now)}) or (${m.status} = 'sending' and ${m.leaseUntil} < ${at(now)}))
        ${only ? sql`and ${m.id} = any(array(select json_array_elements_text(${JSON.stringify(only)}::json)::uuid))` : sql``}
      order by ${m.nextAttemptAt}
      limit ${limit}
      for update skip locked)
    returning id, user_id as "userId", purpose, to_address as "toAddress", subject, html_body as "htmlBody",
      text_body as "textBody", attempts`);
  return rowsOf<AccountMailRow>(result);
}

export interface AccountMailOutcome {
  id: string;
  /** Sent rows are deleted; a retry waits until `retryAt`; failed rows stay a week for operators. */
  status: "sent" | "retry" | "failed";
  error: string | null;
  retryAt: Date | null;
}

/** Records a batch's outcomes in one statement: sent rows go, the rest wait or fail. */
export async function finishAccountMail(db: Db, outcomes: AccountMailOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const m = accountMail;
  const payload = JSON.stringify(outcomes.map((o) => ({ ...o, retryAt: o.retryAt?.toISOString() ?? null })));
  await db.execute(sql`
    with r as (
      select * from jsonb_to_recordset(${payload}::jsonb) as r(id uuid, status text, error text, "retryAt" timestamptz)
    ), sent as (
      delete from ${m} using r where ${m.id} = r.id and r.status = 'sent'
    )
    update ${m} set
      status = (case when r.status = 'retry' then 'pending' else 'failed' end)::outbox_status,
      last_error = r.error,
      next_attempt_at = coalesce(r."retryAt", ${m.nextAttemptAt}),
      lease_until = null
    from r where ${m.id} = r.id and r.status <> 'sent'`);
}

/** Failed account mail is kept a week for operators to look into, then deleted with the address it names. */
export async function pruneAccountMail(db: Db, now: Date): Promise<number> {
  const m = accountMail;
  const result = await db.execute(sql`
    with gone as (
      delete from ${m} where ${m.status} = 'failed' and ${m.createdAt} < ${at(new Date(now.getTime() - 7 * 24 * 60 * 60 * 1000))}
      returning 1)
    select count(*)::int as n from gone`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}
