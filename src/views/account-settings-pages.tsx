import type { FormErrors } from "../auth/account-input.js";
import { lifetimeInWords } from "../accounts/tokens.js";
import { describedBy, Field, FormAlert } from "./fields.js";
import { CurrentPasswordField, NewPasswordField } from "./password-fields.js";

export interface ChangePasswordForm {
  current_password: string;
  password: string;
}

export interface ChangeEmailForm {
  email: string;
  current_password: string;
}

function BackToSettings() {
  return (
    <p>
      <a href="/settings">Back to settings</a>
    </p>
  );
}

/** Passwords never come back into the page, not even to their owner: only the messages do. */
export function ChangePasswordPage(props: { errors: FormErrors<ChangePasswordForm>; changed?: boolean }) {
  const { errors } = props;
  return (
    <section class="narrow">
      <h1>Change your password</h1>
      {props.changed ? (
        <p class="notice" role="status">
          Your password was changed. Every other device was signed out; this one stays signed in.
        </p>
      ) : null}
      <FormAlert message={errors.form ?? (Object.keys(errors).length ? "Please correct the fields marked below." : undefined)} />
      <form method="post" action="/settings/password" novalidate>
        <CurrentPasswordField label="Current password" error={errors.current_password} />
        <NewPasswordField label="New password" error={errors.password} />
        <p class="hint">Saving signs out every other device signed in to your account.</p>
        <button type="submit" class="primary">
          Change password
        </button>
      </form>
      <BackToSettings />
    </section>
  );
}

/**
 * The address form. `sentTo` is the answer after a request, the same whether or not the new
 * address already has an account (that must not be revealed here).
 */
export function ChangeEmailPage(props: { current: string; email: string; errors: FormErrors<ChangeEmailForm>; sentTo?: string }) {
  const { errors } = props;
  return (
    <section class="narrow">
      <h1>Change your email address</h1>
      {props.sentTo !== undefined ? (
        <p class="notice" role="status">
          We sent a confirmation link to {props.sentTo || "the new address"}. Your address changes when you open it; until then, nothing changes.
        </p>
      ) : null}
      <p>
        Your address is <strong class="wrap">{props.current}</strong>. The new one takes effect once you confirm it with the link we mail to it; the
        old one is told, with a link to undo the change for {lifetimeInWords("email_undo")}.
      </p>
      <FormAlert message={errors.form ?? (Object.keys(errors).length ? "Please correct the fields marked below." : undefined)} />
      <form method="post" action="/settings/email" novalidate>
        <Field id="email" label="New email address" error={errors.email}>
          <input id="email" name="email" type="email" value={props.email} autocomplete="email" required {...describedBy("email", errors.email)} />
        </Field>
        <CurrentPasswordField label="Current password" error={errors.current_password} />
        <button type="submit" class="primary">
          Send a confirmation link
        </button>
      </form>
      <BackToSettings />
    </section>
  );
}
