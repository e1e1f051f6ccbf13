import { asc, eq } from "drizzle-orm";
import { expect } from "vitest";
import { devMailbox, users, type User } from "../../src/db/schema.js";
import { APP_URL, settled, type TestApp } from "./test-app.js";

/**
 * Reading account mail as its recipient does (the dev mailer keeps it in dev_mailbox) and
 * following its /verify link, for the verification tests.
 */

const VERIFY_LINK = /https?:\/\/[^\s"<>]+\/verify\/[0-9a-f]{40}\.[0-9a-f]{64}/g;

export const REGISTER_SUBJECT = "Confirm your address for SmartTask";
export const TAKEN_SUBJECT = "Someone tried to create a SmartTask account with your address";
export const TAKEN_MESSAGE = "We could not create an account with that address. If it is yours, log in or reset your password.";

/**
 * Everything delivered to this address so far, oldest first (after the background sending has
 * finished). Mail is dated by the test clock: a test that needs two mails in order moves it between them.
 */
export async function inboxOf(t: TestApp, email: string) {
  await settled();
  return t.database.db.select().from(devMailbox).where(eq(devMailbox.toAddress, email)).orderBy(asc(devMailbox.createdAt), asc(devMailbox.id));
}

/** The verification mails delivered to this address, oldest first. */
export async function verificationMails(t: TestApp, email: string) {
  return (await inboxOf(t, email)).filter((m) => m.subject === REGISTER_SUBJECT);
}

/** The /verify path of a mail's text part (the HTML part must carry the same link). */
export function verifyPathOf(mail: { textBody: string; htmlBody: string }): string {
  const inText = [...mail.textBody.matchAll(VERIFY_LINK)].map((m) => m[0]);
  expect(new Set(inText).size, "one verification link in the text part").toBe(1);
  expect(mail.htmlBody).toContain(`href="${inText[0]}"`);
  const url = new URL(inText[0]!);
  expect(url.origin).toBe(new URL(APP_URL).origin);
  return url.pathname;
}

/** The /verify path of the latest verification mail to this address. */
export async function latestVerifyPath(t: TestApp, email: string): Promise<string> {
  const mails = await verificationMails(t, email);
  expect(mails.length, `a verification mail to ${email}`).toBeGreaterThan(0);
  return verifyPathOf(mails.at(-1)!);
}

export async function userByEmail(t: TestApp, email: string): Promise<User> {
  const [row] = await t.database.db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  if (!row) throw new Error(`no user ${email}`);
  return row;
}

/** The same token path with one character of its secret changed. */
export function tamperedPath(path: string): string {
  const last = path.at(-1) === "0" ? "1" : "0";
  return path.slice(0, -1) + last;
}
