import { Hono, type Context } from "hono";
import { loginAccountKey, passwordError } from "../auth/account-input.js";
import { clientNetwork, takeAccountAction } from "../auth/account-limits.js";
import { issueDeviceCookie } from "../auth/device-cookie.js";
import { linkState } from "../accounts/link-state.js";
import { requestResetSoon, resetPassword, RESET_SENT_MESSAGE } from "../accounts/password-reset.js";
import type { HonoEnv } from "../deps.js";
import { readForm } from "../http/form.js";
import { field } from "../form-fields.js";
import { ForgotPage, LinkProblemPage, ResetDonePage, ResetPage } from "../views/reset-pages.js";

/** Password reset: GET/POST /forgot, GET/POST /reset/:token. */
export const passwordResetRoutes = new Hono<HonoEnv>();

const FORGOT_TITLE = "Reset your password";

passwordResetRoutes.get("/forgot", (c) => c.render(<ForgotPage email="" />, { title: FORGOT_TITLE }));

/**
 * The same status and page for every non-empty address, with an account or without, well formed
 * or not; the work that depends on which (look-up, token, mail) runs after the response. Only the
 * network's limit answers differently (429), and it does so for any address alike.
 */
passwordResetRoutes.post("/forgot", async (c) => {
  const { deps } = c.var;
  const typed = field(await readForm(c.req.raw), "email");
  if (!typed.trim()) {
    c.status(422);
    return c.render(<ForgotPage email={typed} error="Enter your email address." />, { title: FORGOT_TITLE });
  }
  const now = deps.clock.now();
  const retryAfter = await takeAccountAction(deps, "reset", { network: clientNetwork(c, deps.clientIp) }, now);
  if (retryAfter !== null) {
    const minutes = Math.ceil(retryAfter / 60);
    c.header("Retry-After", String(retryAfter));
    c.status(429);
    return c.render(
      <ForgotPage email="" error={`Too many reset requests from your network. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`} />,
      { title: FORGOT_TITLE },
    );
  }
  requestResetSoon(deps, typed, now);
  // The typed address is not echoed: the page is byte for byte the same whatever was typed.
  return c.render(<ForgotPage email="" sent={RESET_SENT_MESSAGE} />, { title: FORGOT_TITLE });
});

// Before /reset/:token, which would take "done" for a token.
passwordResetRoutes.get("/reset/done", (c) => c.render(<ResetDonePage />, { title: "Password changed" }));

passwordResetRoutes.get("/reset/:token", async (c) => {
  const token = c.req.param("token");
  const link = await linkState(c.var.db, token, "reset", c.var.deps.clock.now());
  if (link.state !== "usable") return linkProblem(c, link.state);
  return c.render(<ResetPage action={`/reset/${token}`} />, { title: "Choose a new password" });
});

passwordResetRoutes.post("/reset/:token", async (c) => {
  const { deps, db } = c.var;
  const token = c.req.param("token");
  const now = deps.clock.now();
  const link = await linkState(db, token, "reset", now);
  if (link.state !== "usable") return linkProblem(c, link.state);
  const password = field(await readForm(c.req.raw), "password");
  const error = passwordError(password);
  if (error) {
    // The link is not used up by a refused password: the person tries again with it.
    c.status(422);
    return c.render(<ResetPage action={`/reset/${token}`} error={error} />, { title: "Choose a new password" });
  }
  // Hashed before the transaction, so no row stays locked while argon2 runs (or refuses with a 503).
  const passwordHash = await deps.passwords.hash(password);
  if (!(await resetPassword(deps, link.row, passwordHash, now))) return linkProblem(c, "used");
  // This browser proved the mailbox: it counts as the owner's device, so a lock-out that others'
  // guesses caused on the account does not keep the owner from logging in (see device-cookie.ts).
  await issueDeviceCookie(c, deps, loginAccountKey(link.row.email), now);
  // No automatic sign-in (OWASP's reset advice): the person logs in with the new password, which
  // also lets a password manager save it.
  return c.redirect("/reset/done", 303);
});

function linkProblem(c: Context<HonoEnv>, state: "invalid" | "used" | "expired") {
  c.status(state === "invalid" ? 404 : 410);
  return c.render(<LinkProblemPage state={state} again={{ href: "/forgot", label: "Ask for a new reset link" }} />, { title: "Reset link" });
}
