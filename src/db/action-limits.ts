import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "./database.js";
import { actionLimits } from "./schema.js";

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * Counts one action for each subject if every subject is still under its limit, in one statement;
 * answers, per subject, how many were counted in the window before this one and the oldest of them
 * (for Retry-After). Nothing is recorded when any subject is at its limit.
 */
export async function takeActionSlots(
  db: Db,
  action: string,
  subjects: { subject: string; max: number; since: Date }[],
  now: Date,
): Promise<{ allowed: boolean; oldest: Date[] }> {
  const a = actionLimits;
  const payload = JSON.stringify(subjects.map((s) => ({ subject: s.subject, max: s.max, since: s.since.toISOString() })));
  const result = await db.execute(sql`
    with wanted as (
      select * from json_to_recordset(${payload}::json) as w(subject text, max int, since timestamptz)
    ), counted as (
      select w.subject, w.max,
        (select count(*) from ${a} where ${a.action} = ${action} and ${a.subject} = w.subject and ${a.createdAt} > w.since)::int as n,
        (select min(${a.createdAt}) from ${a} where ${a.action} = ${action} and ${a.subject} = w.subject and ${a.createdAt} > w.since) as oldest
      from wanted w
    ), recorded as (
      insert into ${a} (action, subject, created_at)
      select ${action}, subject, ${at(now)} from counted
      where not exists (select 1 from counted where n >= max)
      returning 1
    )
    select subject, n, max, oldest, (select count(*) from recorded)::int as recorded from counted`);
  const rows = rowsOf<{ subject: string; n: number; max: number; oldest: string | Date | null; recorded: number }>(result);
  const allowed = rows.every((r) => Number(r.n) < Number(r.max));
  return { allowed, oldest: rows.filter((r) => Number(r.n) >= Number(r.max) && r.oldest).map((r) => new Date(r.oldest!)) };
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
