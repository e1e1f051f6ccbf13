import { eq, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import { users } from "./schema.js";

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
