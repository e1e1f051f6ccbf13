import type { Db } from "../db/database.js";
import { countRecentFailures, recordFailure } from "../db/login-failures.js";

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

/** Seconds to wait before another attempt is allowed, or null when the attempt may proceed. */
export async function loginRetryAfter(db: Db, key: LoginKey, now: Date): Promise<number | null> {
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
    if (count >= limit.max && oldest) {
      // The limit lifts when the oldest failure in the window ages out of it.
      waitMs = Math.max(waitMs, oldest.getTime() + limit.windowMs - now.getTime());
    }
  }
  return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : null;
}

export async function noteLoginFailure(db: Db, key: LoginKey, now: Date): Promise<void> {
  await recordFailure(db, key, now, new Date(now.getTime() - LOGIN_LIMITS.account.windowMs));
}

