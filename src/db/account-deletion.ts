import { sql } from "drizzle-orm";
import { forgetActionSubjects } from "./action-limits.js";
import { rowsOf, type Db } from "./database.js";

/** What the deletion page tells the person will go: counts of their own rows. */
export interface AccountFootprint {
  tasks: number;
  sessions: number;
  reminders: number;
}

export async function accountFootprint(db: Db, userId: string): Promise<AccountFootprint> {
  const result = await db.execute(sql`
    select (select count(*) from tasks where user_id = ${userId}::uuid)::int as tasks,
      (select count(*) from sessions where user_id = ${userId}::uuid)::int as sessions,
      (select count(*) from reminder_outbox where user_id = ${userId}::uuid)::int as reminders`);
  const row = rowsOf<{ tasks: number | string; sessions: number | string; reminders: number | string }>(result)[0];
  return { tasks: Number(row?.tasks ?? 0), sessions: Number(row?.sessions ?? 0), reminders: Number(row?.reminders ?? 0) };
}

export interface AccountToForget {
  userId: string;
  /** The address as stored (normalised): pending account mail to it goes too. */
  email: string;
  /** The address as login failures key it (loginAccountKey). */
  loginKey: string;
  /** action_limits subjects that stand for this person: their address digest and `u:<id>`. */
  limitSubjects: string[];
}

/**
 * Deletes a user and every row that names them, in the caller's transaction. Answers false when
 * the user was already gone (a second tab's post, say), in which case nothing else is touched.
 *
 * The users row takes with it, by ON DELETE CASCADE (src/db/schema.ts): tasks, sessions,
 * reminder_outbox and, through it and the tasks, reminder_items, reminder_scans, account_tokens
 * and account_mail with their user_id. What names them without a foreign key goes here by hand:
 * - login_failures under their address (the account key of a login attempt is the address);
 * - account mail still waiting for their address without a user id (a "someone tried to register
 *   your address" note): it concerns an account that no longer exists;
 * - action_limits counted under their address digest or their user id.
 * used_action_tokens hold only the nonces of used email links (no user, no task), so they stay.
 * dev_mailbox is not app data: it stands in for the recipient's inbox when no Postmark token is
 * set, so what was delivered there stays delivered, like mail already in someone's inbox.
 */
export async function deleteAccountRows(tx: Db, account: AccountToForget): Promise<boolean> {
  const result = await tx.execute(sql`
    with gone as (
      delete from users where id = ${account.userId}::uuid returning id
    ), failures as (
      delete from login_failures where account = ${account.loginKey} and exists (select 1 from gone)
    ), mail as (
      delete from account_mail where lower(to_address) = ${account.email.toLowerCase()} and exists (select 1 from gone)
    )
    select count(*)::int as n from gone`);
  const deleted = Number(rowsOf<{ n: number | string }>(result)[0]?.n ?? 0) > 0;
  if (deleted) await forgetActionSubjects(tx, account.limitSubjects);
  return deleted;
}
