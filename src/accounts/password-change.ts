import { retireAccountTokens } from "../db/account-tokens.js";
import { endSessions, setPassword } from "../db/account-changes.js";
import type { User } from "../db/schema.js";
import { queueAccountMail, sendSoon, type AccountMail, type MailDeps } from "./mail.js";
import { composeAccountMessage } from "./message.js";

/** The notice that the password changed, to the account's address: a change its owner did not make must not go unseen. */
export function passwordChangedMail(deps: MailDeps, user: Pick<User, "id" | "email">, how: "reset" | "settings"): AccountMail {
  const forgot = new URL("/forgot", deps.config.appUrl).toString();
  return {
    userId: user.id,
    purpose: "password_changed",
    to: user.email,
    message: composeAccountMessage({
      subject: "Your SmartTask password was changed",
      paragraphs: [
        how === "reset"
          ? `The password of your SmartTask account (${user.email}) was just changed with a reset link sent to this address. Every device that was signed in has been signed out.`
          : `The password of your SmartTask account (${user.email}) was just changed on its settings page. Every other device that was signed in has been signed out.`,
        "If that was you, there is nothing more to do.",
      ],
      action: { label: "Not you? Reset your password", url: forgot },
      footnote: "If you did not change it, someone may have your password or your email: reset the password, and secure your email account too.",
    }),
  };
}

/**
 * A signed-in change of password, in one transaction: the new hash, every other session ended
 * (this browser stays signed in), outstanding reset links retired (they were asked for under the
 * old password) and the notice queued. Sent after commit.
 */
export async function changePassword(deps: MailDeps, user: User, keepSessionId: string, passwordHash: string, now: Date): Promise<void> {
  const ids = await deps.database.db.transaction(async (tx) => {
    await setPassword(tx, user.id, passwordHash, now);
    await endSessions(tx, user.id, keepSessionId);
    await retireAccountTokens(tx, user.id, ["reset"]);
    return queueAccountMail(tx, [passwordChangedMail(deps, user, "settings")], now);
  });
  sendSoon(deps, ids);
}
