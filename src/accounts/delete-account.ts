import { addressSubject } from "../auth/account-limits.js";
import { loginAccountKey } from "../auth/account-input.js";
import { deleteAccountRows } from "../db/account-deletion.js";
import type { User } from "../db/schema.js";
import type { Deps } from "../deps.js";
import { queueAccountMail, sendSoon } from "./mail.js";
import { composeAccountMessage } from "./message.js";

/**
 * Deletes the account and everything that names it in one transaction, and queues, in that same
 * transaction, the confirmation mail to the address (with no user id, since there is no user
 * left to name). The mail goes out right after the commit; once sent, its row is deleted too,
 * so no row in the database names the person any more. Answers false when another request had
 * already deleted the account (no second mail then).
 */
export async function deleteAccount(deps: Deps, user: Pick<User, "id" | "email">, now: Date): Promise<boolean> {
  const limitSubjects = [await addressSubject(deps, user.email), `u:${user.id}`];
  const message = deletedMessage(deps.config.appUrl);
  let mailIds: string[] = [];
  const deleted = await deps.database.db.transaction(async (tx) => {
    const gone = await deleteAccountRows(tx, { userId: user.id, email: user.email, loginKey: loginAccountKey(user.email), limitSubjects });
    if (gone) mailIds = await queueAccountMail(tx, [{ userId: null, purpose: "deleted", to: user.email, message }], now);
    return gone;
  });
  sendSoon(deps, mailIds);
  // No user id or address in the log: the person asked for the account to be forgotten.
  if (deleted) console.log(JSON.stringify({ event: "account.deleted" }));
  return deleted;
}

function deletedMessage(appUrl: URL) {
  return composeAccountMessage({
    subject: "Your SmartTask account has been deleted",
    paragraphs: [
      "Your SmartTask account has been deleted, as you asked: your tasks, settings, reminder history and sessions are gone, and no reminder will be sent to this address.",
      "We keep nothing about you. To use SmartTask again, register with this or any other address.",
    ],
    action: { label: "Open SmartTask", url: new URL("/register", appUrl).toString() },
    footnote:
      "If you did not delete your account, someone who knew your password did. It cannot be restored; change that password wherever else you use it.",
  });
}
