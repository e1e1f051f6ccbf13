import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { servedOverHttps, type AppConfig } from "../config.js";
import type { Database } from "../db/database.js";
import { emailSigner } from "../email/signing-key.js";
import { createSigner, type Signer } from "../email/signing.js";
import { toHex } from "../bytes.js";

/**
 * Device cookies, after OWASP's "Slow Down Online Guessing Attacks with Device Cookies": a browser
 * that signed in to an account gets a signed cookie naming that account and a random device id.
 * A login attempt carrying one that is valid for the account it names is exempt from the
 * per-account and per-network locks (an attacker cannot lock the owner out of their own browser)
 * and is held to its own per-device limit instead (src/auth/rate-limit.ts).
 */

const DAY = 24 * 60 * 60 * 1000;
/** How long a browser stays trusted after its last sign-in (each sign-in issues a fresh cookie). */
export const DEVICE_COOKIE_LIFETIME_MS = 365 * DAY;

interface DeviceClaims {
  p: "device";
  /** accountDigest of the account the browser signed in to. */
  a: string;
  /** The device id: 128 random bits, hex. */
  d: string;
  /** Issued at, epoch seconds: a copied cookie stops working when its year is up, whatever its Expires says. */
  t: number;
}

/** What a login attempt carried: no cookie, one that is not valid for this account, or a valid one's device id. */
export type DeviceCookie = { state: "absent" } | { state: "invalid" } | { state: "valid"; deviceId: string };

/** `__Host-` pins it to this host over https, like the session cookie. */
export function deviceCookieName(config: AppConfig): string {
  return servedOverHttps(config) ? "__Host-device" : "device";
}

/**
 * A short, stable digest of an account key (the normalised email): binds device cookies to it and
 * names it in logs. Keyed (HMAC under the derived device key), so a list of addresses cannot be
 * hashed and matched against the logs; a plain SHA-256 could.
 */
export async function accountDigest(deps: { database: Database; config: AppConfig }, account: string): Promise<string> {
  const token = await (await deviceSigner(deps)).sign({ p: "account", a: account });
  return token.slice(token.indexOf(".") + 1, token.indexOf(".") + 33);
}

/** The device cookie the request carries, checked against the account this attempt names. */
export async function readDeviceCookie(c: Context, deps: { database: Database; config: AppConfig }, account: string, now: Date): Promise<DeviceCookie> {
  const value = getCookie(c, deviceCookieName(deps.config));
  if (!value) return { state: "absent" };
  const claims = await (await deviceSigner(deps)).verify<Partial<DeviceClaims>>(value);
  const valid =
    claims?.p === "device" &&
    claims.a === (await accountDigest(deps, account)) &&
    typeof claims.d === "string" &&
    /^[0-9a-f]{32}$/.test(claims.d) &&
    typeof claims.t === "number" &&
    claims.t * 1000 > now.getTime() - DEVICE_COOKIE_LIFETIME_MS;
  return valid ? { state: "valid", deviceId: claims.d! } : { state: "invalid" };
}

/** After a successful sign-in: a fresh device id for this browser and account, trusted for a year. */
export async function issueDeviceCookie(c: Context, deps: { database: Database; config: AppConfig }, account: string, now: Date): Promise<void> {
  const claims: DeviceClaims = {
    p: "device",
    a: await accountDigest(deps, account),
    d: toHex(crypto.getRandomValues(new Uint8Array(16))),
    t: Math.floor(now.getTime() / 1000),
  };
  setCookie(c, deviceCookieName(deps.config), await (await deviceSigner(deps)).sign(claims), {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    secure: servedOverHttps(deps.config),
    // Max-Age, not Expires: relative to the browser's clock, and within the 400 days browsers (and hono) allow.
    maxAge: DEVICE_COOKIE_LIFETIME_MS / 1000,
  });
}

/**
 * A key of its own, derived from the app's signing key (SIGNING_SECRET or the one kept in the
 * database): the HMAC of a fixed label under that key, which no email link ever signs. So a
 * device cookie can never pass for an email link or the other way round. Remembered per database
 * handle, so a sign-in does not read the stored key each time.
 */
const derived = new WeakMap<Database, { configured: string | undefined; signer: Promise<Signer> }>();

function deviceSigner(deps: { database: Database; config: AppConfig }): Promise<Signer> {
  const configured = deps.config.signingSecret;
  const known = derived.get(deps.database);
  if (known && known.configured === configured) return known.signer;
  const signer = emailSigner(deps.database.db, configured).then(async (root) => {
    const token = await root.sign({ p: "device-cookie-key", v: 1 });
    return createSigner(token.slice(token.indexOf(".") + 1));
  });
  // A failed read (database down) is not remembered: the next sign-in tries again.
  signer.catch(() => {
    if (derived.get(deps.database)?.signer === signer) derived.delete(deps.database);
  });
  derived.set(deps.database, { configured, signer });
  return signer;
}
