import { TransactionRollbackError } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { mailNow, sendSoon } from "../accounts/mail.js";
import { queueVerification, takenAddressNote } from "../accounts/verification.js";
import { takeAccountAction } from "../auth/account-limits.js";
import {
  emailError,
  loginAccountKey,
  normalizeEmail,
  registerFormFrom,
  validateRegistration,
  type FormErrors,
  type RegisterForm,
} from "../auth/account-input.js";
import { accountDigest, issueDeviceCookie, readDeviceCookie, type DeviceCookie } from "../auth/device-cookie.js";
import { networkKey } from "../auth/network-key.js";
import { describeDevice } from "../auth/device-description.js";
import { PasswordHasherBusy } from "../auth/password.js";
import { claimLoginAttempt, withdrawLoginAttempt, type LoginClaim } from "../auth/rate-limit.js";
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from "../auth/session-cookie.js";
import { createSession, newSession, tokenIdentity } from "../auth/session.js";
import { addressAwaitsUndo } from "../db/account-tokens.js";
import { deleteSession, startSessionAfterLogin } from "../db/sessions.js";
import { findUserByEmail, insertUserIfNew } from "../db/users.js";
import { canonicalTimezone } from "../time/zones.js";
import type { HonoEnv } from "../deps.js";
import { readForm } from "../http/form.js";
import { field } from "../form-fields.js";
import { safeNext } from "../http/render.js";
import { requireUser } from "../http/session-middleware.js";
import { logSecurityEvent } from "../log.js";
import { LoginPage, RegisterPage } from "../views/auth-pages.js";

/**
 * One login answer for "no such account" and "wrong password", with the same status, so the login
 * form does not tell an outsider whether an address has an account. (Registration does tell, in
 * its own words: see the taken-address note below and the README's decision.)
 */
export const GENERIC_AUTH_ERROR =
  "That email and password can't be used to sign in. If you already have an account, log in with its password.";
const GENERIC_AUTH_STATUS = 422;

export const authRoutes = new Hono<HonoEnv>();

/** Where signing in or registering lands without a `next`: the day's plan (issue #13). */
export const LANDING = "/today";

authRoutes.get("/register", (c) => {
  if (c.var.user) return c.redirect(LANDING, 303);
  return c.render(<RegisterPage form={{ name: "", email: "", timezone: "UTC" }} errors={{}} />, { title: "Register" });
});

authRoutes.post("/register", async (c) => {
  const { db, deps } = c.var;
  const form = registerFormFrom(await readForm(c.req.raw));
  const errors = validateRegistration(form);
  const again = (errs: FormErrors<RegisterForm>, status: 422 | 429, taken = false) => {
    // Every typed value comes back except the password: a password never goes into a page.
    const { password: _password, ...kept } = form;
    c.status(status);
    return c.render(<RegisterPage form={kept} errors={errs} taken={taken} />, { title: "Register" });
  };
  if (Object.keys(errors).length) return again(errors, 422);

  const now = deps.clock.now();
  const email = normalizeEmail(form.email);
  const network = networkKey(deps.clientIp(c));
  // Every valid attempt counts, taken addresses too, and before the hash: past the limit a
  // network can neither create accounts nor probe addresses, and costs no hashing.
  const retryAfter = await takeAccountAction(deps, "register", { network }, now);
  if (retryAfter !== null) {
    c.header("Retry-After", String(retryAfter));
    logSecurityEvent("auth.register_limited", { network, retryAfter });
    const minutes = Math.ceil(retryAfter / 60);
    return again({ form: `Too many accounts were created from your network recently. Please try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.` }, 429);
  }

  // Hash before looking at the email, so a taken address costs the same time as a free one.
  const passwordHash = await deps.passwords.hash(form.password);
  // The account, its first verification link and that link's mail, and the session: all or nothing.
  const registered = await db
    .transaction(async (tx) => {
      const user = await insertUserIfNew(tx, { email, name: form.name.trim(), passwordHash, timezone: canonicalTimezone(form.timezone)! }, now);
      if (!user) return null;
      // An address someone moved away from in the last 7 days stays theirs to undo the move:
      // answered as taken (the insert rolled back), since for that while it is.
      if (await addressAwaitsUndo(tx, email, now)) tx.rollback();
      const mailIds = await queueVerification(tx, user, deps.config.appUrl, now);
      const session = await createSession(tx, user.id, now, describeDevice(c.req.header("user-agent")));
      return { user, session, mailIds };
    })
    .catch((err: unknown) => {
      if (err instanceof TransactionRollbackError) return null;
      throw err;
    });
  if (!registered) {
    await noteTakenAddress(c, email, network, now);
    return again({}, 422, true);
  }

  const { user, session, mailIds } = registered;
  sendSoon(deps, mailIds);
  writeSessionCookie(c, deps.config, session.token, session.expiresAt);
  // Registering is this browser's first sign-in: it is trusted from now on (see device-cookie.ts).
  await issueDeviceCookie(c, deps, loginAccountKey(form.email), now);
  console.log(JSON.stringify({ event: "auth.registered", userId: user.id }));
  return c.redirect(LANDING, 303);
});

/**
 * Someone tried to register an address that has an account: its owner hears of it (where to log in
 * or reset the password), at most ACCOUNT_LIMITS.takenNote times a day, so the form cannot be
 * used to flood an address with mail. Past the limit the answer is the same, without the mail.
 */
async function noteTakenAddress(c: Context<HonoEnv>, email: string, network: string, now: Date): Promise<void> {
  const { db, deps } = c.var;
  const account = await accountDigest(deps, email);
  logSecurityEvent("auth.register_taken", { account, network });
  if ((await takeAccountAction(deps, "takenNote", { address: email }, now)) !== null) return;
  const owner = await findUserByEmail(db, email);
  if (owner) await mailNow(deps, [takenAddressNote(owner, deps.config.appUrl)], now);
}

authRoutes.get("/login", (c) => {
  const next = safeNext(c.req.query("next"), LANDING);
  if (c.var.user) return c.redirect(next, 303);
  return c.render(<LoginPage email="" next={next} />, { title: "Log in" });
});

authRoutes.post("/login", async (c) => {
  const { db, deps } = c.var;
  const body = await readForm(c.req.raw);
  const email = normalizeEmail(field(body, "email"));
  // Only an address registration would accept can name an account; anything else is an unknown one.
  const account = emailError(email) ? null : email;
  const password = field(body, "password");
  const next = safeNext(field(body, "next"), LANDING);
  const now = deps.clock.now();
  const accountKey = loginAccountKey(field(body, "email"));
  const device = await readDeviceCookie(c, deps, accountKey, now);
  const key = { account: accountKey, network: networkKey(deps.clientIp(c)), device: device.state === "valid" ? device.deviceId : null };
  const page = (error: string) => c.render(<LoginPage email={field(body, "email")} next={next} error={error} />, { title: "Log in" });
  const securityEvent = async (event: string, claim: LoginClaim) =>
    logSecurityEvent(event, {
      account: await accountDigest(deps, accountKey),
      network: key.network,
      deviceCookie: deviceCookieForLog(device, claim),
      ...(claim.retryAfter !== null && { retryAfter: claim.retryAfter }),
    });

  // Recorded as a failure before the password is checked, so parallel guesses cannot outrun the limits.
  const claim = await claimLoginAttempt(db, key, now);
  if (claim.retryAfter !== null) {
    c.header("Retry-After", String(claim.retryAfter));
    c.status(429);
    const minutes = Math.ceil(claim.retryAfter / 60);
    await securityEvent("auth.login_limited", claim);
    return page(`Too many failed attempts. For your account's safety, try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`);
  }

  const user = account ? await findUserByEmail(db, account) : null;
  let ok: boolean;
  try {
    // Without an account the hash is computed anyway, so timing does not reveal which case this is.
    ok = user ? await deps.passwords.verify(user.passwordHash, password) : (await deps.passwords.burn(password), false);
  } catch (err) {
    // Refused unchecked (the app answers 503): not a failed attempt, see withdrawLoginAttempt.
    if (err instanceof PasswordHasherBusy) await withdrawLoginAttempt(db, claim);
    throw err;
  }
  if (!user || !ok) {
    // The attempt's claim stays recorded as this failure.
    await securityEvent("auth.login_failed", claim);
    c.status(GENERIC_AUTH_STATUS);
    return page(GENERIC_AUTH_ERROR);
  }

  const previous = await tokenIdentity(readSessionCookie(c, deps.config));
  const session = await newSession(user.id, now, describeDevice(c.req.header("user-agent")));
  await startSessionAfterLogin(db, key, previous, session.row);
  writeSessionCookie(c, deps.config, session.token, session.expiresAt);
  // A fresh device id on every sign-in: the browser stays trusted for a year after its last one.
  await issueDeviceCookie(c, deps, accountKey, now);
  console.log(JSON.stringify({ event: "auth.login", userId: user.id }));
  return c.redirect(next, 303);
});

/** What the attempt's device cookie was worth: none, not valid for this account, honoured, or past its own limit. */
function deviceCookieForLog(device: DeviceCookie, claim: LoginClaim): "absent" | "invalid" | "trusted" | "locked" {
  if (device.state !== "valid") return device.state;
  return claim.trustedDevice ? "trusted" : "locked";
}

authRoutes.post("/logout", requireUser, async (c) => {
  await deleteSession(c.var.db, c.var.session.id);
  clearSessionCookie(c, c.var.deps.config);
  return c.redirect("/login", 303);
});
