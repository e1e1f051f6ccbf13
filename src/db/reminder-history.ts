import { and, eq, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import { reminderItems, reminderOutbox } from "./schema.js";

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
