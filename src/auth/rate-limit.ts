import type { Db } from "../db/database.js";
import { countRecentFailures, recordFailure, withdrawFailure } from "../db/login-failures.js";

const MINUTE = 60 * 1000;

/**
 * Failed-login limits. The tight one is per account *and* address, so an attacker elsewhere
 * cannot lock the owner out; the per-account cap (an hour at most) stops a spread-out attack
 * on one account, and the per-address cap stops one address spraying many accounts.
 */
export const LOGIN_LIMITS = {
  pair: { max: 10, windowMs: 15 * MINUTE },
  account: { max: 100, windowMs: 60 * MINUTE },
  ip: { max: 300, windowMs: 60 * MINUTE },
} as const;

export interface LoginKey {
  account: string;
  ip: string;
}

/**
 * Claims a login attempt before the password is checked, and answers the seconds to wait before
 * another is allowed, or null when this one may proceed.
 *
 * The attempt is recorded as a failure *first* and the limits counted *after*, so attempts made in
 * parallel all see one another: counting first let a burst of guesses all pass the check before
 * any of them was recorded. A refused attempt withdraws its record, so retrying while limited does
 * not push the wait further out; a wrong password leaves it as that attempt's failure, and a
 * successful login clears it with the rest (startSessionAfterLogin).
 */
export async function claimLoginAttempt(db: Db, key: LoginKey, now: Date): Promise<number | null> {
  const claim = await recordFailure(db, key, now, new Date(now.getTime() - LOGIN_LIMITS.account.windowMs));
  const since = (windowMs: number) => new Date(now.getTime() - windowMs);
  const counts = await countRecentFailures(db, key, {
    pair: since(LOGIN_LIMITS.pair.windowMs),
    account: since(LOGIN_LIMITS.account.windowMs),
    ip: since(LOGIN_LIMITS.ip.windowMs),
  });
  let waitMs = 0;
  for (const name of ["pair", "account", "ip"] as const) {
    const { count, oldest } = counts[name];
    const limit = LOGIN_LIMITS[name];
    // The count includes this attempt's own record: it may proceed while earlier failures number under max.
    if (count > limit.max && oldest) {
      // The limit lifts when the oldest failure in the window ages out of it.
      waitMs = Math.max(waitMs, oldest.getTime() + limit.windowMs - now.getTime());
    }
  }
  if (waitMs <= 0) return null;
  await withdrawFailure(db, claim);
  return Math.max(1, Math.ceil(waitMs / 1000));
}
