import type { Db } from "../db/database.js";
import { countRecentFailures, pruneFailuresBefore, recordFailure, withdrawFailure, type FailureKey, type FailureWindow } from "../db/login-failures.js";

const MINUTE = 60 * 1000;

/**
 * Failed-login limits, each counted over a sliding window:
 * - `pair`: one account from one network. The tight one, so an attacker elsewhere cannot use it to
 *   lock the owner out.
 * - `account`: one account from anywhere, against a guessing run spread over many networks.
 * - `network`: one network (an IPv4 address or an IPv6 /64, see network-key.ts) across accounts,
 *   against credential stuffing; a shared office rarely fails 30 times in 15 minutes.
 * - `device`: one account from a browser with a valid device cookie (device-cookie.ts). Such an
 *   attempt is held to this limit only; past it, the cookie counts for nothing and the three
 *   limits above apply as to any browser.
 */
export const LOGIN_LIMITS = {
  pair: { max: 10, windowMs: 15 * MINUTE },
  account: { max: 100, windowMs: 60 * MINUTE },
  network: { max: 30, windowMs: 15 * MINUTE },
  device: { max: 10, windowMs: 15 * MINUTE },
} as const;

/** Failures older than the longest window count for nothing and may be deleted. */
export const LOGIN_FAILURE_RETENTION_MS = Math.max(...Object.values(LOGIN_LIMITS).map((l) => l.windowMs));

/** Rows the hourly prune deletes at most per run (one statement that stays short). */
export const LOGIN_FAILURE_PRUNE_LIMIT = 50_000;

export type LoginKey = FailureKey;

export interface LoginClaim {
  /** Seconds to wait before another attempt is allowed, or null when this one may proceed. */
  retryAfter: number | null;
  /** The attempt carried a valid device cookie still under its own limit, and was judged by that limit alone. */
  trustedDevice: boolean;
  /** The failure row this attempt recorded (already withdrawn when it was refused). */
  recorded: string;
}

/**
 * Claims a login attempt before the password is checked.
 *
 * The attempt is recorded as a failure *first* and the limits counted *after*, so attempts made in
 * parallel all see one another: counting first let a burst of guesses all pass the check before
 * any of them was recorded. A refused attempt withdraws its record, so retrying while limited does
 * not push the wait further out; a wrong password leaves it as that attempt's failure, and a
 * successful login clears it with the rest (startSessionAfterLogin).
 */
export async function claimLoginAttempt(db: Db, key: LoginKey, now: Date): Promise<LoginClaim> {
  const since = (windowMs: number) => new Date(now.getTime() - windowMs);
  const claim = await recordFailure(db, key, now, since(LOGIN_FAILURE_RETENTION_MS));
  const counts = await countRecentFailures(db, key, {
    pair: since(LOGIN_LIMITS.pair.windowMs),
    account: since(LOGIN_LIMITS.account.windowMs),
    network: since(LOGIN_LIMITS.network.windowMs),
    device: since(LOGIN_LIMITS.device.windowMs),
  });
  const waitFor = (names: FailureWindow[]) => {
    let waitMs = 0;
    for (const name of names) {
      const { count, oldest } = counts[name];
      const limit = LOGIN_LIMITS[name];
      // The count includes this attempt's own record: it may proceed while earlier failures number under max.
      // The limit lifts when the oldest failure in the window ages out of it.
      if (count > limit.max && oldest) waitMs = Math.max(waitMs, oldest.getTime() + limit.windowMs - now.getTime());
    }
    return waitMs;
  };
  const trustedDevice = key.device !== null && waitFor(["device"]) <= 0;
  const waitMs = trustedDevice ? 0 : waitFor(["pair", "account", "network"]);
  if (waitMs <= 0) return { retryAfter: null, trustedDevice, recorded: claim };
  await withdrawFailure(db, claim);
  return { retryAfter: Math.max(1, Math.ceil(waitMs / 1000)), trustedDevice, recorded: claim };
}

/**
 * For an attempt whose password was never checked (every hashing thread busy, answered 503): it
 * guessed nothing, so it must not count, or a loaded server would lock owners out of their accounts.
 */
export function withdrawLoginAttempt(db: Db, claim: LoginClaim): Promise<void> {
  return withdrawFailure(db, claim.recorded);
}

/** The hourly sweep (every runtime's hourly job calls it): failures past every window are deleted. */
export function pruneLoginFailures(db: Db, now: Date): Promise<number> {
  return pruneFailuresBefore(db, new Date(now.getTime() - LOGIN_FAILURE_RETENTION_MS), LOGIN_FAILURE_PRUNE_LIMIT);
}
