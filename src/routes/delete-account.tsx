import { Hono, type Context } from "hono";
import { deleteCookie } from "hono/cookie";
import { deleteAccount } from "../accounts/delete-account.js";
import { loginAccountKey } from "../auth/account-input.js";
import { clientNetwork } from "../auth/account-limits.js";
import { deviceCookieName, readDeviceCookie } from "../auth/device-cookie.js";
import { PasswordHasherBusy } from "../auth/password.js";
import { claimLoginAttempt, withdrawLoginAttempt } from "../auth/rate-limit.js";
import { clearSessionCookie } from "../auth/session-cookie.js";
import { servedOverHttps } from "../config.js";
import { accountFootprint } from "../db/account-deletion.js";
import type { HonoEnv, SignedInEnv } from "../deps.js";
import { field, readForm } from "../http/form.js";
import { redirectBrowser } from "../http/render.js";
import { requireUser } from "../http/session-middleware.js";
import { logSecurityEvent } from "../log.js";
import { DeleteAccountPage } from "../views/delete-account-page.js";

const WRONG_PASSWORD = "That is not your password.";

/**
 * Deleting the account: /settings/delete. The password is asked for even though the person is
 * signed in (a borrowed or stolen session must not be enough), and each wrong one counts as a
 * failed login (src/auth/rate-limit.ts): the same limits, under the same keys, so this form is no
 * way around the login limits to guess the password with a stolen session.
 */
export const deleteAccountRoutes = new Hono<HonoEnv>().use(requireUser);

deleteAccountRoutes.get("/", async (c) => {
  return page(c);
});

deleteAccountRoutes.post("/", async (c) => {
  const { deps, db, user } = c.var;
  const password = field(await readForm(c.req.raw), "current_password");
  // An empty field guesses nothing: asked again without counting it or hashing.
  if (!password) return page(c, { error: "Enter your password to delete your account." }, 422);

  const now = deps.clock.now();
  const accountKey = loginAccountKey(user.email);
  const device = await readDeviceCookie(c, deps, accountKey, now);
  const key = { account: accountKey, network: clientNetwork(c, deps.clientIp), device: device.state === "valid" ? device.deviceId : null };
  const claim = await claimLoginAttempt(db, key, now);
  if (claim.retryAfter !== null) {
    logSecurityEvent("account.delete_limited", { network: key.network, retryAfter: claim.retryAfter });
    c.header("Retry-After", String(claim.retryAfter));
    const minutes = Math.ceil(claim.retryAfter / 60);
    return page(c, { alert: `Too many wrong passwords. For your account's safety, try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.` }, 429);
  }
  let ok: boolean;
  try {
    ok = await deps.passwords.verify(user.passwordHash, password);
  } catch (err) {
    // Never checked (the app answers 503): not a guess, so it must not count against the owner.
    if (err instanceof PasswordHasherBusy) await withdrawLoginAttempt(db, claim);
    throw err;
  }
  if (!ok) {
    // The claim stays recorded as this failure.
    logSecurityEvent("account.delete_wrong_password", { network: key.network });
    return page(c, { error: WRONG_PASSWORD }, 422);
  }

  // The claim needs no withdrawing: the deletion removes every failure under this address.
  await deleteAccount(deps, user, now);
  clearSessionCookie(c, deps.config);
  // The device cookie vouches that this browser signed in to this address; with the account gone
  // it vouches for nothing, and the person asked to be forgotten, so it goes too. A device cookie
  // for another account (someone else who uses this browser) is theirs and stays.
  if (device.state === "valid") deleteCookie(c, deviceCookieName(deps.config), { path: "/", secure: servedOverHttps(deps.config) });
  return redirectBrowser(c, "/");
});

async function page(c: Context<SignedInEnv>, messages: { error?: string; alert?: string } = {}, status: 200 | 422 | 429 = 200) {
  const user = c.var.user;
  const footprint = await accountFootprint(c.var.db, user.id);
  c.status(status);
  return c.render(<DeleteAccountPage email={user.email} footprint={footprint} {...messages} />, { title: "Delete your account" });
}
