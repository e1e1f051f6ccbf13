import { Hono, type Context } from "hono";
import { emailError, normalizeEmail, passwordError, withoutEmpty, type FormErrors } from "../auth/account-input.js";
import { takeAccountAction } from "../auth/account-limits.js";
import { checkCurrentPassword, currentPasswordError } from "../accounts/current-password.js";
import { requestEmailChange } from "../accounts/email-change.js";
import { changePassword } from "../accounts/password-change.js";
import type { HonoEnv, SignedInEnv } from "../deps.js";
import { readForm } from "../http/form.js";
import { field } from "../form-fields.js";
import { requireUser } from "../http/session-middleware.js";
import { ChangeEmailPage, ChangePasswordPage, type ChangeEmailForm, type ChangePasswordForm } from "../views/account-settings-pages.js";

/** Change password and email, mounted at /settings: /password and /email. */
export const accountSettingsRoutes = new Hono<HonoEnv>().use("/password", requireUser).use("/email", requireUser);

const PASSWORD_TITLE = "Change your password";
const EMAIL_TITLE = "Change your email address";

accountSettingsRoutes.get("/password", (c) =>
  c.render(<ChangePasswordPage errors={{}} changed={c.req.query("changed") === "1"} />, { title: PASSWORD_TITLE }),
);

accountSettingsRoutes.post("/password", async (c) => {
  const { user, session, deps } = c.var;
  const body = await readForm(c.req.raw);
  const current = field(body, "current_password");
  const password = field(body, "password");
  const again = (errors: FormErrors<ChangePasswordForm>, status: 422 | 429 = 422) => {
    c.status(status);
    return c.render(<ChangePasswordPage errors={errors} />, { title: PASSWORD_TITLE });
  };
  // The new password's rules first: a refused one costs no guess at the current password.
  const errors = withoutEmpty({ current_password: current ? undefined : "Enter your current password.", password: passwordError(password) });
  if (Object.keys(errors).length) return again(errors);
  const check = await checkCurrentPassword(c, user, current);
  if (!check.ok) return refusedCheck(c, check.retryAfter, (error, status) => again({ current_password: error }, status));

  const passwordHash = await deps.passwords.hash(password);
  await changePassword(deps, user, session.id, passwordHash, deps.clock.now());
  console.log(JSON.stringify({ event: "account.password_changed", userId: user.id }));
  return c.redirect("/settings/password?changed=1", 303);
});

accountSettingsRoutes.get("/email", (c) => {
  // After a request: the address it went to, shown back for spotting a typo (only if it is one).
  const sent = c.req.query("sent");
  const sentTo = sent === undefined ? undefined : emailError(normalizeEmail(sent)) ? "" : normalizeEmail(sent);
  return c.render(<ChangeEmailPage current={c.var.user.email} email="" errors={{}} sentTo={sentTo} />, { title: EMAIL_TITLE });
});

accountSettingsRoutes.post("/email", async (c) => {
  const { user, deps } = c.var;
  const body = await readForm(c.req.raw);
  const typed = field(body, "email");
  const current = field(body, "current_password");
  const email = normalizeEmail(typed);
  const again = (errors: FormErrors<ChangeEmailForm>, status: 422 | 429 = 422) => {
    c.status(status);
    return c.render(<ChangeEmailPage current={user.email} email={typed} errors={errors} />, { title: EMAIL_TITLE });
  };
  const errors = withoutEmpty({
    email: emailError(email) ?? (email === user.email ? "That is already your address." : undefined),
    current_password: current ? undefined : "Enter your current password.",
  });
  if (Object.keys(errors).length) return again(errors);
  const check = await checkCurrentPassword(c, user, current);
  if (!check.ok) return refusedCheck(c, check.retryAfter, (error, status) => again({ current_password: error }, status));

  const now = deps.clock.now();
  // Counted for a taken address as for a free one: both answers must look alike.
  const retryAfter = await takeAccountAction(deps, "emailChange", { account: user.id }, now);
  if (retryAfter !== null) {
    const minutes = Math.ceil(retryAfter / 60);
    c.header("Retry-After", String(retryAfter));
    return again({ form: `You asked for several address changes in a short time. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.` }, 429);
  }
  await requestEmailChange(deps, user, email, now);
  return c.redirect(`/settings/email?sent=${encodeURIComponent(email)}`, 303);
});

/** A wrong current password (422) or too many of them (429 with Retry-After), beside the field. */
function refusedCheck(c: Context<SignedInEnv>, retryAfter: number | null, again: (error: string, status: 422 | 429) => Response | Promise<Response>) {
  if (retryAfter !== null) c.header("Retry-After", String(retryAfter));
  return again(currentPasswordError({ retryAfter }), retryAfter === null ? 422 : 429);
}
