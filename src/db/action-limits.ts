import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "./database.js";
import { actionLimits } from "./schema.js";

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * Counts one action for each subject if every subject is still under its limit, exactly, however
 * many requests run beside it. Within one transaction it first takes a transaction-scoped advisory
 * lock per subject (in sorted order, so two requests sharing subjects never wait on each other in a
 * cycle), then counts and records in one statement: that statement starts after the lock, so under
 * READ COMMITTED it sees every claim committed by whoever held the lock before.
 *
 * Two earlier designs failed a burst of parallel requests: counting before recording let them all
 * pass (12 of 40 against a limit of 5), and recording first, counting after and withdrawing when
 * over let a burst refuse itself (a burst of 7 against a limit of 5 sent 4 reset mails, or none
 * when every claim landed before any count). Locks make it exactly the limit.
 * Answers the oldest counted action of each subject at its limit (for Retry-After).
 */
export async function takeActionSlots(
  db: Db,
  action: string,
  subjects: { subject: string; max: number; since: Date }[],
  now: Date,
): Promise<{ allowed: boolean; oldest: Date[] }> {
  if (subjects.length === 0) return { allowed: true, oldest: [] };
  const a = actionLimits;
  const payload = JSON.stringify(subjects.map((s) => ({ subject: s.subject, max: s.max, since: s.since.toISOString() })));
  const wanted = sql`json_to_recordset(${payload}::json) as w(subject text, max int, since timestamptz)`;
  // Pinned: under REPEATABLE READ (a server's default could say so) the count's snapshot would be
  // the lock statement's, taken before its wait, and a burst would pass again.
  const counted = await db.transaction(async (tx) => {
    await tx.execute(sql`
      select pg_advisory_xact_lock(hashtextextended(${action} || ':' || s.subject, 0))
      from (select w.subject from ${wanted} order by w.subject) s`);
    return rowsOf<{ n: number; max: number; oldest: string | Date | null }>(
      await tx.execute(sql`
        with counted as (
          select w.subject, w.max,
            (select count(*) from ${a} where ${a.action} = ${action} and ${a.subject} = w.subject and ${a.createdAt} > w.since)::int as n,
            (select min(${a.createdAt}) from ${a} where ${a.action} = ${action} and ${a.subject} = w.subject and ${a.createdAt} > w.since) as oldest
          from ${wanted}
        ), recorded as (
          insert into ${a} (action, subject, created_at)
          select ${action}, counted.subject, ${at(now)} from counted
          where not exists (select 1 from counted where counted.n >= counted.max)
        )
        select max, n, oldest from counted`),
    );
  }, { isolationLevel: "read committed" });
  // The counts are of the actions before this one: at the limit already means refused.
  const over = counted.filter((r) => Number(r.n) >= Number(r.max));
  if (over.length === 0) return { allowed: true, oldest: [] };
  return { allowed: false, oldest: over.filter((r) => r.oldest).map((r) => new Date(r.oldest!)) };
}

/** Forgets counted actions older than `before` (every window is shorter); one bounded statement. */
export async function pruneActionLimits(db: Db, before: Date): Promise<number> {
  const a = actionLimits;
  const result = await db.execute(sql`
    with gone as (
      delete from ${a} where ${a.id} in (select ${a.id} from ${a} where ${a.createdAt} < ${at(before)} limit 50000)
      returning 1)
    select count(*)::int as n from gone`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

/** Removes every count kept under these subjects (an account being deleted leaves no row naming it). */
export async function forgetActionSubjects(db: Db, subjects: string[]): Promise<void> {
  if (subjects.length === 0) return;
  await db.execute(sql`delete from ${actionLimits} where ${actionLimits.subject} = any(array(select json_array_elements_text(${JSON.stringify(subjects)}::json)))`);
}
