import { and, inArray, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import { reminderOutbox } from "./schema.js";

/** Ids of rows a sender could claim now: pending and due, or held under an expired lease. */
export async function sendableIds(db: Db, now: Date, limit: number): Promise<string[]> {
  const o = reminderOutbox;
  const rows = await db
    .select({ id: o.id })
    .from(o)
    .where(
      sql`((${o.status} = 'pending' and ${o.nextAttemptAt} <= ${now}) or (${o.status} = 'sending' and ${o.leaseUntil} < ${now}))
        and ${o.expiresAt} >= ${now}`,
    )
    .orderBy(o.nextAttemptAt, o.id)
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Of these rows, those waiting for a retry, and when it is due. */
export async function retriesAmong(db: Db, ids: string[]): Promise<{ id: string; at: Date }[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: reminderOutbox.id, at: reminderOutbox.nextAttemptAt })
    .from(reminderOutbox)
    .where(and(inArray(reminderOutbox.id, ids), sql`${reminderOutbox.status} = 'pending'`));
  return rows;
}
