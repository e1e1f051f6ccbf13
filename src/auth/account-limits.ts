import type { Context } from "hono";
import type { Database } from "../db/database.js";
import { takeActionSlots } from "../db/action-limits.js";
import type { AppConfig } from "../config.js";
import { accountDigest } from "./device-cookie.js";
import { networkKey } from "./network-key.js";

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Limits on account actions that send mail or create accounts, counted in the database (like the
 * login limit) so they hold across processes and isolates. `network` is the client's network key
 * (IPv4 address or IPv6 /64, network-key.ts); `address` a keyed digest of an email address, so the
 * table never holds an address.
 *
 * - register: a household or office behind one address must still create 30 accounts an hour.
 * - takenNote: the "someone tried to register your address" note, per address.
 * - verifyMail: resending the verification link, per account.
 * - reset: "forgot password" mails, per network and per address (past it, the page answers the
 *   same but no mail goes: the limit must not tell whether the address has an account).
 * - emailChange: confirmation mails to a new address, per account.
 */
export const ACCOUNT_LIMITS = {
  register: { network: { max: 40, windowMs: HOUR } },
  takenNote: { address: { max: 3, windowMs: DAY } },
  verifyMail: { account: { max: 5, windowMs: HOUR } },
  reset: { network: { max: 20, windowMs: HOUR }, address: { max: 5, windowMs: HOUR } },
  emailChange: { account: { max: 5, windowMs: HOUR } },
} as const;

export type LimitedAction = keyof typeof ACCOUNT_LIMITS;

/** The longest window: counts older than this are deleted by the hourly job. */
export const ACTION_LIMIT_RETENTION_MS = DAY;

export type LimitSubjects = Partial<Record<"network" | "address" | "account", string>>;

/**
 * Counts one `action` for the given subjects if all are under their limits. Answers null when
 * allowed, else the seconds until the oldest counted action leaves its window (for Retry-After).
 */
export async function takeAccountAction(
  deps: { database: Database; config: AppConfig },
  action: LimitedAction,
  subjects: LimitSubjects,
  now: Date,
): Promise<number | null> {
  const limits = ACCOUNT_LIMITS[action] as Partial<Record<keyof LimitSubjects, { max: number; windowMs: number }>>;
  const wanted = [];
  for (const kind of ["network", "address", "account"] as const) {
    const limit = limits[kind];
    const value = subjects[kind];
    if (!limit || value === undefined) continue;
    const subject = kind === "address" ? `a:${await accountDigest(deps, value)}` : kind === "network" ? `n:${value}` : `u:${value}`;
    wanted.push({ subject, max: limit.max, since: new Date(now.getTime() - limit.windowMs), windowMs: limit.windowMs });
  }
  if (wanted.length === 0) return null;
  const { allowed, oldest } = await takeActionSlots(deps.database.db, action, wanted, now);
  if (allowed) return null;
  const window = Math.max(...wanted.map((w) => w.windowMs));
  const until = Math.max(...oldest.map((o) => o.getTime() + window), now.getTime() + MINUTE);
  return Math.max(1, Math.ceil((until - now.getTime()) / 1000));
}

/** The subject under which an address's counts are kept, for deleting them with the account. */
export async function addressSubject(deps: { database: Database; config: AppConfig }, address: string): Promise<string> {
  return `a:${await accountDigest(deps, address)}`;
}

/** The client's network key, as the limits count it. */
export function clientNetwork(c: Context, clientIp: (c: Context) => string): string {
  return networkKey(clientIp(c));
}
