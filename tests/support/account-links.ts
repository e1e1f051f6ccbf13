import { asc, eq } from "drizzle-orm";
import { devMailbox, sessions, users } from "../../src/db/schema.js";
import { APP_URL, settled, type TestApp } from "./test-app.js";

/**
 * Reading the account mail a test's person received (the dev mailer keeps it in dev_mailbox) and
 * the links in it, as they would click them.
 */

/** Mail delivered to the address so far, oldest first (after the work left running has finished). */
export async function mailTo(t: TestApp, address: string) {
  await settled();
  return t.database.db.select().from(devMailbox).where(eq(devMailbox.toAddress, address)).orderBy(asc(devMailbox.createdAt), asc(devMailbox.id));
}

/** The path of the link starting with `prefix` in the newest mail that has one, or null. */
export async function latestLink(t: TestApp, address: string, prefix: string): Promise<string | null> {
  const mails = await mailTo(t, address);
  for (const mail of mails.reverse()) {
    const path = linkIn(mail.textBody, prefix);
    if (path) return path;
  }
  return null;
}

/** The path of a link to our app starting with `prefix`, as the text part writes it out. */
export function linkIn(text: string, prefix: string): string | null {
  const at = text.indexOf(APP_URL + prefix);
  if (at < 0) return null;
  return text.slice(at + APP_URL.length).split(/\s/)[0]!;
}

export async function userByEmail(t: TestApp, email: string) {
  const [row] = await t.database.db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return row ?? null;
}

export async function sessionCount(t: TestApp, userId: string): Promise<number> {
  return (await t.database.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId))).length;
}
