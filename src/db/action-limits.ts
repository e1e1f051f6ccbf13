import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "./database.js";
import { actionLimits } from "./schema.js";

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * Counts one action for each subject if every subject is still under its limit. Like the login
 * limit, it records first and counts after, in two statements: a single statement's count cannot
 * see requests running beside it, and a burst of parallel requests all passed a limit of 5 that
 * way (12 of 40 in a test). Each request's claim is committed before it counts, so the last of a
 * burst sees the others; over the limit it withdraws its claim (a third statement). Run it outside
 * a transaction, or the claim stays invisible to the others until that commits.
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
  const claimed = rowsOf<{ id: string | number }>(
    await db.execute(sql`insert into ${a} (action, subject, created_at) select ${action}, w.subject, ${at(now)} from ${wanted} returning id`),
  ).map((r) => String(r.id));
  const counted = rowsOf<{ n: number; max: number; oldest: string | Date | null }>(
    await db.execute(sql`
      select w.max,
        (select count(*) from ${a} where ${a.action} = ${action} and ${a.subject} = w.subject and ${a.createdAt} > w.since)::int as n,
        (select min(${a.createdAt}) from ${a} where ${a.action} = ${action} and ${a.subject} = w.subject and ${a.createdAt} > w.since) as oldest
      from ${wanted}`),
  );
  // The counts include this request's own claim.
  const over = counted.filter((r) => Number(r.n) > Number(r.max));
  if (over.length === 0) return { allowed: true, oldest: [] };
  await db.execute(sql`delete from ${a} where ${a.id} = any(array(select json_array_elements_text(${JSON.stringify(claimed)}::json)::bigint))`);
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
