import { Hono, type Context } from "hono";
import { deleteCookie } from "hono/cookie";
import { checkCurrentPassword, currentPasswordError } from "../accounts/current-password.js";
import { deleteAccount } from "../accounts/delete-account.js";
import { deviceCookieName } from "../auth/device-cookie.js";
import { clearSessionCookie } from "../auth/session-cookie.js";
import { servedOverHttps } from "../config.js";
import { accountFootprint } from "../db/account-deletion.js";
import type { HonoEnv, SignedInEnv } from "../deps.js";
import { readForm } from "../http/form.js";
import { field } from "../form-fields.js";
import { redirectBrowser } from "../http/render.js";
import { requireUser } from "../http/session-middleware.js";
import { DeleteAccountPage } from "../views/delete-account-page.js";

/**
 * Deleting the account: /settings/delete. The password is asked for even though the person is
 * signed in (a borrowed or stolen session must not be enough), and each wrong one counts as a
 * failed login (checkCurrentPassword): the same limits, under the same keys, so this form is no
 * way around the login limits to guess the password with a stolen session.
 */
export const deleteAccountRoutes = new Hono<HonoEnv>().use(requireUser);

deleteAccountRoutes.get("/", async (c) => {
  return page(c);
});

deleteAccountRoutes.post("/", async (c) => {
  const { deps, user } = c.var;
  const password = field(await readForm(c.req.raw), "current_password");
  // An empty field guesses nothing: asked again without counting it or hashing.
  if (!password) return page(c, { error: "Enter your password to delete your account." }, 422);

  const now = deps.clock.now();
  const check = await checkCurrentPassword(c, user, password);
  if (!check.ok && check.retryAfter !== null) {
    c.header("Retry-After", String(check.retryAfter));
    return page(c, { alert: currentPasswordError(check) }, 429);
  }
  if (!check.ok) return page(c, { error: currentPasswordError(check) }, 422);

  await deleteAccount(deps, user, now);
  clearSessionCookie(c, deps.config);
  // The device cookie vouches that this browser signed in to this address; with the account gone
  // it vouches for nothing, and the person asked to be forgotten, so it goes too. A device cookie
  // for another account (someone else who uses this browser) is theirs and stays.
  if (check.trustedDevice) deleteCookie(c, deviceCookieName(deps.config), { path: "/", secure: servedOverHttps(deps.config) });
  return redirectBrowser(c, "/");
});

async function page(c: Context<SignedInEnv>, messages: { error?: string; alert?: string } = {}, status: 200 | 422 | 429 = 200) {
  const user = c.var.user;
  const footprint = await accountFootprint(c.var.db, user.id);
  c.status(status);
  return c.render(<DeleteAccountPage email={user.email} footprint={footprint} {...messages} />, { title: "Delete your account" });
}
