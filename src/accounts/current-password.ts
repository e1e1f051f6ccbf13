import type { Context } from "hono";
import { loginAccountKey } from "../auth/account-input.js";
import { readDeviceCookie } from "../auth/device-cookie.js";
import { networkKey } from "../auth/network-key.js";
import { PasswordHasherBusy } from "../auth/password.js";
import { claimLoginAttempt, withdrawLoginAttempt } from "../auth/rate-limit.js";
import type { User } from "../db/schema.js";
import type { HonoEnv } from "../deps.js";
import { logSecurityEvent } from "../log.js";

/** The check's answer; `trustedDevice` says the browser carried a valid device cookie for this account. */
export type PasswordCheck = { ok: true; trustedDevice: boolean } | { ok: false; retryAfter: number | null };

/**
 * Asks for the current password before a signed-in change (password, address, deletion). A wrong one counts
 * as a failed login under the same limits (src/auth/rate-limit.ts): a stolen session must not
 * become a way to guess the password without end. A right one is withdrawn, as a login clears it.
 */
export async function checkCurrentPassword<E extends HonoEnv>(c: Context<E>, user: User, password: string): Promise<PasswordCheck> {
  const { db, deps } = c.var;
  const now = deps.clock.now();
  const account = loginAccountKey(user.email);
  const device = await readDeviceCookie(c, deps, account, now);
  const claim = await claimLoginAttempt(db, { account, network: networkKey(deps.clientIp(c)), device: device.state === "valid" ? device.deviceId : null }, now);
  if (claim.retryAfter !== null) {
    logSecurityEvent("account.password_check_limited", { userId: user.id, retryAfter: claim.retryAfter });
    return { ok: false, retryAfter: claim.retryAfter };
  }
  let ok: boolean;
  try {
    ok = await deps.passwords.verify(user.passwordHash, password);
  } catch (err) {
    // Never checked (the app answers 503): it guessed nothing, so it must not count.
    if (err instanceof PasswordHasherBusy) await withdrawLoginAttempt(db, claim);
    throw err;
  }
  if (!ok) {
    logSecurityEvent("account.password_check_failed", { userId: user.id });
    return { ok: false, retryAfter: null };
  }
  await withdrawLoginAttempt(db, claim);
  return { ok: true, trustedDevice: device.state === "valid" };
}

/** The words for a refused check, beside the current-password field. */
export function currentPasswordError(check: { retryAfter: number | null }): string {
  if (check.retryAfter === null) return "That is not your current password.";
  const minutes = Math.ceil(check.retryAfter / 60);
  return `Too many wrong passwords. For your account's safety, try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}
