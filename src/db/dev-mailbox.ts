import { and, desc, eq } from "drizzle-orm";
import type { Db } from "./database.js";
import { devMailbox, type NewDevMail } from "./schema.js";

export async function mailTo(db: Db, address: string, limit = 50) {
  return db.select().from(devMailbox).where(eq(devMailbox.toAddress, address)).orderBy(desc(devMailbox.createdAt), desc(devMailbox.id)).limit(limit);
}

export async function mailById(db: Db, address: string, id: string) {
  const [row] = await db.select().from(devMailbox).where(and(eq(devMailbox.id, id), eq(devMailbox.toAddress, address)));
  return row ?? null;
}

/** Keeps messages for /dev/mailbox, in order; answers their ids. */
export async function storeMail(db: Db, mails: NewDevMail[]): Promise<string[]> {
  if (mails.length === 0) return [];
  const rows = await db.insert(devMailbox).values(mails).returning({ id: devMailbox.id });
  return rows.map((r) => r.id);
}
