import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import type { ReminderSettings } from "./reminder-prefs.js";
import { retimedDue } from "./tasks.js";
import { tasks, users, type User } from "./schema.js";

/** Inserts the user unless the email is taken; null tells the caller it was, without a second query. */
export async function insertUserIfNew(
  db: Db,
  values: { email: string; name: string; passwordHash: string; timezone: string },
  now: Date,
): Promise<User | null> {
  const rows = await db
    .insert(users)
    .values({ ...values, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: users.email })
    .returning();
  return rows[0] ?? null;
}

export async function findUserByEmail(db: Db, email: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.email, email));
  return row ?? null;
}

/**
 * Saves the settings page in one statement. Turning reminders on also lifts a pause the mail
 * provider caused (an address it reported inactive), since the person says it works again.
 */
export async function updateUserSettings(
  db: Db,
  userId: string,
  values: { name: string; timezone: string; dateOrder?: "dmy" | "mdy" | null } & ReminderSettings,
  now: Date,
  /** Whether the person said reminders should be on (the form carried the box ticked); only then is a pause lifted. */
  opts: { liftPause?: boolean; retime?: boolean } = {},
): Promise<void> {
  const liftPause = opts.liftPause ?? values.remindersEnabled;
  const updateUser = db
    .update(users)
    .set({ ...values, updatedAt: now, ...(liftPause && values.remindersEnabled ? { remindersPausedReason: null } : {}) })
    .where(eq(users.id, userId));
  if (!opts.retime) {
    await updateUser;
    return;
  }
  // A new zone moves the tasks' due moments in the same statement (a data-modifying CTE), so the
  // zone and the moments derived from it change together or not at all, in one round trip.
  const updated = db.$with("updated_user").as(updateUser.returning({ id: users.id }));
  await db
    .with(updated)
    .update(tasks)
    .set(retimedDue(values.timezone))
    .where(and(sql`${tasks.userId} in (select id from ${updated})`, isNotNull(tasks.dueDate)));
}

