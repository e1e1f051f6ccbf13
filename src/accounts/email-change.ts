import { takeAccountAction } from "../auth/account-limits.js";
import { endSessions, insertUndoToken, isUniqueViolation, lockedEmail, moveEmail, retireLinksAfterUndo } from "../db/account-changes.js";
import { insertAccountToken, markAccountTokenUsed, retireAccountTokens } from "../db/account-tokens.js";
import type { Db } from "../db/database.js";
import type { AccountTokenRow, User } from "../db/schema.js";
import { findUserByEmail } from "../db/users.js";
import { mailNow, queueAccountMail, sendSoon, type AccountMail, type MailDeps } from "./mail.js";
import { composeAccountMessage } from "./message.js";
import { lifetimeInWords, newAccountToken } from "./tokens.js";

// Changing the address: nothing changes until the new address confirms (a link mailed to it);
// then the old address is told, with a link that undoes the change for 7 days.

const link = (deps: MailDeps, path: string) => new URL(path, deps.config.appUrl).toString();

/**
 * Asks to move `user` to `email` (already checked and normalised). An address that already has
 * an account gets a note instead of a link, and the person asking is told the same as for a free
 * one: this form must not be a way to find out who has an account.
 */
export async function requestEmailChange(deps: MailDeps, user: User, email: string, now: Date): Promise<void> {
  const { db } = deps.database;
  const holder = await findUserByEmail(db, email);
  if (holder) {
    // Shared with registration's note, so the holder gets at most a few a day however they are caused.
    if ((await takeAccountAction(deps, "takenNote", { address: email }, now)) === null) await mailNow(deps, [takenNote(holder)], now);
    console.log(JSON.stringify({ event: "email_change.requested", userId: user.id }));
    return;
  }
  const { token, row } = await newAccountToken("email_change", user.id, email, now);
  const ids = await db.transaction(async (tx) => {
    // Only the latest request's link works: the insert retires the earlier ones.
    await insertAccountToken(tx, row);
    return queueAccountMail(tx, [confirmMail(deps, user.id, email, token)], now);
  });
  sendSoon(deps, ids);
  console.log(JSON.stringify({ event: "email_change.requested", userId: user.id }));
}

export type LinkOutcome = "done" | "used" | "taken";

class AddressTaken extends Error {}

/**
 * Confirms a new address, in one transaction: the link is marked used, the account moves to the
 * address (verified: the link proved it), the account's other outstanding links go (they were
 * mailed to, or are about, the old address), and the old address gets an undo link. If another
 * account took the address meanwhile, everything rolls back and the link stays as it was.
 */
export async function confirmEmailChange(deps: MailDeps, token: AccountTokenRow, now: Date): Promise<LinkOutcome> {
  return usingLink(async (tx) => {
    if (!(await markAccountTokenUsed(tx, token.id, now))) return "used";
    const old = await lockedEmail(tx, token.userId);
    if (old === null) return "used";
    if (!(await moveEmail(tx, token.userId, token.email, now))) throw new AddressTaken();
    await retireAccountTokens(tx, token.userId, ["email_change", "reset", "verify"]);
    if (old === token.email) return [];
    const undo = await newAccountToken("email_undo", token.userId, old, now);
    await insertUndoToken(tx, undo.row);
    return queueAccountMail(tx, [changedMail(deps, token.userId, old, token.email, undo.token)], now);
  }, deps);
}

/**
 * Undoes a change from the old address, in one transaction: the address comes back (verified),
 * every session ends (whoever changed it may still be signed in), and every later link goes.
 * The person is then sent to reset the password, which whoever changed the address may know.
 */
export async function undoEmailChange(deps: MailDeps, token: AccountTokenRow, now: Date): Promise<LinkOutcome> {
  return usingLink(async (tx) => {
    if (!(await markAccountTokenUsed(tx, token.id, now))) return "used";
    if (!(await moveEmail(tx, token.userId, token.email, now))) throw new AddressTaken();
    await endSessions(tx, token.userId);
    await retireLinksAfterUndo(tx, token.userId, token);
    return [];
  }, deps);
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Runs a link's transaction; mail it queued is sent after commit; a taken address rolls it all back. */
async function usingLink(work: (tx: Tx) => Promise<"used" | string[]>, deps: MailDeps): Promise<LinkOutcome> {
  try {
    const result = await deps.database.db.transaction(work);
    if (result === "used") return "used";
    sendSoon(deps, result);
    return "done";
  } catch (err) {
    // Two accounts racing for one address: the unique index refuses the second.
    if (err instanceof AddressTaken || isUniqueViolation(err)) return "taken";
    throw err;
  }
}

function confirmMail(deps: MailDeps, userId: string, email: string, token: string): AccountMail {
  return {
    userId,
    purpose: "email_change",
    to: email,
    message: composeAccountMessage({
      subject: "Confirm your new SmartTask address",
      paragraphs: [
        `Someone signed in to a SmartTask account asked to use ${email}, this address, for it from now on.`,
        `Nothing changes until you confirm. The link works once, for ${lifetimeInWords("email_change")}.`,
      ],
      action: { label: "Confirm this address", url: link(deps, `/email-change/confirm/${token}`) },
      footnote: "If you did not ask for this, ignore this mail: this address will not be used.",
    }),
  };
}

function takenNote(holder: User): AccountMail {
  return {
    userId: holder.id,
    purpose: "email_change_taken",
    to: holder.email,
    message: composeAccountMessage({
      subject: "Someone tried to move a SmartTask account to your address",
      paragraphs: [
        `Someone signed in to another SmartTask account asked to use ${holder.email} for it.`,
        "This address already belongs to your account, so nothing changed, and nothing will.",
      ],
      footnote: "You need not do anything.",
    }),
  };
}

function changedMail(deps: MailDeps, userId: string, old: string, email: string, undoToken: string): AccountMail {
  return {
    userId,
    purpose: "email_changed",
    to: old,
    message: composeAccountMessage({
      subject: "Your SmartTask address was changed",
      paragraphs: [
        `The address of your SmartTask account was changed from ${old} to ${email}. Reminders and account mail go to the new address from now on.`,
        `Not you? Undo the change within ${lifetimeInWords("email_undo")}: it restores ${old} and signs out every device, and then you reset your password.`,
      ],
      action: { label: "Undo the change", url: link(deps, `/email-change/undo/${undoToken}`) },
      footnote: "If you made this change, there is nothing to do.",
    }),
  };
}
