import { sql, type SQL } from "drizzle-orm";
import { reminderOutbox } from "./schema.js";

// Who and what gets reminders, each rule written once in SQL for the scan's and the sender's
// statements. Their TypeScript forms, for the task page, are in src/reminders/slots.ts
// (`receivesReminders`, `taskGetsReminders`); tests/reminders.rules.test.ts holds the pairs together.

/**
 * A user who receives reminder emails: turned on, not paused for an address that refused mail, and
 * the address verified (nobody gets reminders at an address someone else typed).
 */
export function receivesRemindersSql(user: string): SQL {
  return sql.raw(`(${user}.reminders_enabled and ${user}.reminders_paused_reason is null and ${user}.email_verified_at is not null)`);
}

/** A task that gets reminders on its reminder days: open, reminders on (tasks_user_open_due_idx's predicate). */
export function taskGetsRemindersSql(task: string): SQL {
  return sql.raw(`(${task}.status <> 'done' and ${task}.reminders_enabled)`);
}

const o = reminderOutbox;
const at = (now: Date) => sql`${now.toISOString()}::timestamptz`;

/** An outbox row held by a sender that died: its lease ran out. */
const abandonedSql = (now: Date) => sql`(${o.status} = 'sending' and ${o.leaseUntil} < ${at(now)})`;

/** An outbox row no live sender holds: waiting, or abandoned. Expiry and opt-outs act on these. */
export function unheldSql(now: Date): SQL {
  return sql`(${o.status} = 'pending' or ${abandonedSql(now)})`;
}

/**
 * An outbox row a sender may claim now: waiting and its (next) attempt is due, or abandoned; and
 * its local day not over. Written as the OR of the two, the shape reminder_outbox_due_idx serves.
 */
export function claimableSql(now: Date): SQL {
  return sql`((${o.status} = 'pending' and ${o.nextAttemptAt} <= ${at(now)}) or ${abandonedSql(now)})
    and ${o.expiresAt} >= ${at(now)}`;
}
