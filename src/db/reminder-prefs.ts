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

export async function pauseReminders(db: Db, userId: string, reason: string): Promise<void> {
  await db.update(users).set({ remindersPausedReason: reason }).where(eq(users.id, userId));
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
