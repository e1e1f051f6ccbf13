import { emailError, normalizeEmail } from "../auth/account-input.js";
import { takeAccountAction } from "../auth/account-limits.js";
import { endSessions, setPasswordFromReset } from "../db/account-changes.js";
import { insertAccountToken, markAccountTokenUsed, retireAccountTokens } from "../db/account-tokens.js";
import type { AccountTokenRow } from "../db/schema.js";
import { findUserByEmail } from "../db/users.js";
import { errorForLog } from "../log.js";
import { queueAccountMail, sendAccountMail, sendSoon, type AccountMail, type MailDeps } from "./mail.js";
import { composeAccountMessage } from "./message.js";
import { passwordChangedMail } from "./password-change.js";
import { lifetimeInWords, newAccountToken } from "./tokens.js";

/** What /forgot answers for every address, with an account or without. */
export const RESET_SENT_MESSAGE = `If an account uses that address, we sent a link to reset its password. It works for ${lifetimeInWords("reset")}.`;

/**
 * Starts "forgot password" for a typed address without waiting for it: the look-up, the per-address
 * limit, the token and the mail all run after the response, so neither the answer nor its timing
 * can tell whether the address has an account.
 */
export function requestResetSoon(deps: MailDeps, typed: string, now: Date): void {
  const work = () =>
    mailResetLink(deps, typed, now).catch((err: unknown) => {
      console.error(JSON.stringify({ event: "password_reset.error", ...errorForLog(err) }));
    });
  if (deps.background) deps.background(work);
  else void work();
}

/** The background half of /forgot. Exported for tests; the route calls requestResetSoon. */
export async function mailResetLink(deps: MailDeps, typed: string, now: Date): Promise<void> {
  const email = normalizeEmail(typed);
  if (emailError(email)) return;
  // Counted for every address, known or not; past the limit nothing is sent, and the page said the same.
  if ((await takeAccountAction(deps, "reset", { address: email }, now)) !== null) {
    console.log(JSON.stringify({ event: "password_reset.address_limited" }));
    return;
  }
  const { db } = deps.database;
  const user = await findUserByEmail(db, email);
  if (!user) return;
  const { token, row } = await newAccountToken("reset", user.id, user.email, now);
  const ids = await db.transaction(async (tx) => {
    // Only the newest reset link works: the insert retires the earlier ones.
    await insertAccountToken(tx, row);
    return queueAccountMail(tx, [resetLinkMail(deps, user, token)], now);
  });
  // Already after the response: send here rather than schedule more background work, which the
  // Worker would no longer wait for (it closes the database once the work it was given is done).
  await sendAccountMail(deps, now, ids);
  console.log(JSON.stringify({ event: "password_reset.mailed", userId: user.id }));
}

function resetLinkMail(deps: MailDeps, user: { id: string; email: string }, token: string): AccountMail {
  return {
    userId: user.id,
    purpose: "reset",
    to: user.email,
    message: composeAccountMessage({
      subject: "Reset your SmartTask password",
      paragraphs: [
        `Someone, hopefully you, asked to reset the password of the SmartTask account for ${user.email}.`,
        `The link below works once, for ${lifetimeInWords("reset")}. Setting a new password signs out every device signed in to the account.`,
      ],
      action: { label: "Choose a new password", url: new URL(`/reset/${token}`, deps.config.appUrl).toString() },
      footnote: "If you did not ask for this, ignore this mail: your password stays as it is.",
    }),
  };
}

/**
 * Uses a reset link, in one transaction: the link is marked used, the new hash set, the address
 * counted as verified (the mail proved it), every session ended, every other outstanding link
 * that could act on the account retired (resets, verifications, pending address changes: someone
 * who registered this address and asked to move it elsewhere loses that too), and the notice queued.
 * Undo links stay: they protect an address the account had before. False when the link was used
 * meanwhile or the account no longer has the address it was mailed to.
 */
export async function resetPassword(deps: MailDeps, token: AccountTokenRow, passwordHash: string, now: Date): Promise<boolean> {
  const ids = await deps.database.db.transaction(async (tx) => {
    if (!(await markAccountTokenUsed(tx, token.id, now))) return null;
    if (!(await setPasswordFromReset(tx, token.userId, token.email, passwordHash, now))) return null;
    await endSessions(tx, token.userId);
    await retireAccountTokens(tx, token.userId, ["reset", "verify", "email_change"]);
    return queueAccountMail(tx, [passwordChangedMail(deps, { id: token.userId, email: token.email }, "reset")], now);
  });
  if (!ids) return false;
  sendSoon(deps, ids);
  console.log(JSON.stringify({ event: "password_reset.done", userId: token.userId }));
  return true;
}
