import type { Db } from "../db/database.js";
import { insertAccountToken } from "../db/account-tokens.js";
import { queueAccountMail, type AccountMail } from "./mail.js";
import { composeAccountMessage } from "./message.js";
import { lifetimeInWords, newAccountToken } from "./tokens.js";

/*
 * The mail of address verification: the link a new (or re-sent) registration gets, and the note
 * an address's owner gets when someone tries to register it again.
 */

/**
 * Issues a new verification link for the user's address (retiring any earlier unused one) and
 * queues its mail, both in `db`: the caller's transaction, so the link and its mail exist together
 * or not at all. Answers the queued mail's ids for `sendSoon` once that transaction has committed.
 */
export async function queueVerification(db: Db, user: { id: string; email: string; name: string }, appUrl: URL, now: Date): Promise<string[]> {
  const { token, row } = await newAccountToken("verify", user.id, user.email, now);
  await insertAccountToken(db, row);
  return queueAccountMail(db, [verificationMail(user, appUrl, new URL(`/verify/${token}`, appUrl).href)], now);
}

function verificationMail(user: { id: string; email: string; name: string }, appUrl: URL, link: string): AccountMail {
  const forgot = new URL("/forgot", appUrl).href;
  return {
    userId: user.id,
    purpose: "verify",
    to: user.email,
    message: composeAccountMessage({
      subject: "Confirm your address for SmartTask",
      paragraphs: [
        `Hello ${user.name},`,
        `Please confirm that ${user.email} is your address, so that SmartTask can send you reminders. Until you do, no reminder goes to it.`,
        `The link works once, for ${lifetimeInWords("verify")}. If it has expired, log in and choose “Send the link again”.`,
      ],
      action: { label: "Confirm my address", url: link },
      footnote: `If you did not sign up for SmartTask, someone typed your address by mistake or on purpose: ignore this mail and nothing will be sent to you. To take the account over, reset its password at ${forgot}`,
    }),
  };
}

/** The note to an address's owner that someone tried to register it: nothing changed, and where to go if it was them. */
export function takenAddressNote(owner: { id: string; email: string }, appUrl: URL): AccountMail {
  return {
    userId: owner.id,
    purpose: "register_taken",
    to: owner.email,
    message: composeAccountMessage({
      subject: "Someone tried to create a SmartTask account with your address",
      paragraphs: [
        `Someone just tried to create a new SmartTask account with ${owner.email}. That address already has an account, so no new one was made and yours was not changed.`,
        `If it was you, log in at ${new URL("/login", appUrl).href}. If you have forgotten your password, reset it:`,
      ],
      action: { label: "Reset my password", url: new URL("/forgot", appUrl).href },
      footnote: "If it was not you, you need not do anything: your account and its password are as they were.",
    }),
  };
}
