import { and, eq, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import { reminderItems, reminderOutbox, users } from "./schema.js";

export interface ReminderSettings {
  remindersEnabled: boolean;
  reminderHour: number;
  leadDays: number[];
  overdueReminders: boolean;
  reminderDelivery: "digest" | "per_task";
}

/** Pauses the reminders of these users (the mail provider reported their addresses inactive). */
export async function pauseReminders(db: Db, userIds: string[], reason: string): Promise<void> {
  if (userIds.length === 0) return;
  await db.update(users).set({ remindersPausedReason: reason }).where(sql`${users.id} = any(array(select json_array_elements_text(${JSON.stringify(userIds)}::json)::uuid))`);
}

export async function turnOffReminders(db: Db, userId: string): Promise<boolean> {
  const rows = await db.update(users).set({ remindersEnabled: false }).where(eq(users.id, userId)).returning({ id: users.id });
  return rows.length > 0;
}

/** Reminder emails that covered this task, newest first, with their delivery state. */
export async function reminderHistory(db: Db, userId: string, taskId: string) {
  return db
    .select({
      outboxId: reminderOutbox.id,
      kind: reminderOutbox.kind,
      subject: reminderOutbox.subject,
      status: reminderOutbox.status,
      createdAt: reminderOutbox.createdAt,
      sentAt: reminderOutbox.sentAt,
      lastError: reminderOutbox.lastError,
      slot: reminderItems.slot,
    })
    .from(reminderItems)
    .innerJoin(reminderOutbox, eq(reminderOutbox.id, reminderItems.outboxId))
    .where(and(eq(reminderItems.taskId, taskId), eq(reminderOutbox.userId, userId)))
    .orderBy(sql`${reminderOutbox.createdAt} desc`)
    .limit(20);
}
