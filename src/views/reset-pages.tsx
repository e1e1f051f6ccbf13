import { LoginPage } from "./auth-pages.js";
import { describedBy, Field, FormAlert } from "./fields.js";
import { NewPasswordField } from "./password-fields.js";

/** "Forgot your password?": one field. `sent` is the answer for every address, known or not. */
export function ForgotPage(props: { email: string; error?: string; sent?: string }) {
  return (
    <section class="narrow">
      <h1>Reset your password</h1>
      {props.sent ? (
        <p class="notice" role="status">
          {props.sent}
        </p>
      ) : (
        <p>Enter the address you signed up with. If it has an account, we will mail it a link to choose a new password.</p>
      )}
      <FormAlert message={props.error ? "Please correct the field marked below." : undefined} />
      <form method="post" action="/forgot" novalidate>
        <Field id="email" label="Email" error={props.error}>
          <input id="email" name="email" type="email" value={props.email} autocomplete="email" required {...describedBy("email", props.error)} />
        </Field>
        <button type="submit" class="primary">
          {props.sent ? "Send another link" : "Send me a link"}
        </button>
      </form>
      <p>
        Remembered it? <a href="/login">Log in</a>.
      </p>
    </section>
  );
}

/** The reset link's form: the new password only (the link itself says whose account it is). */
export function ResetPage(props: { action: string; error?: string }) {
  return (
    <section class="narrow">
      <h1>Choose a new password</h1>
      <p>Saving it signs out every device signed in to your account, this one included; then you log in with the new password.</p>
      <FormAlert message={props.error ? "Please correct the field marked below." : undefined} />
      <form method="post" action={props.action} novalidate>
        <NewPasswordField label="New password" error={props.error} />
        <button type="submit" class="primary">
          Save the new password
        </button>
      </form>
    </section>
  );
}

/** After a reset: the login form, with what happened above it. */
export function ResetDonePage() {
  return (
    <>
      <section class="narrow">
        <p class="notice" role="status">
          Your password was changed and every device was signed out. Log in with the new password.
        </p>
      </section>
      <LoginPage email="" next="/today" />
    </>
  );
}

const LINK_PROBLEMS = {
  invalid: { heading: "This link does not work", text: "It may have been copied incompletely, or replaced by a newer one." },
  used: { heading: "This link was already used", text: "Each link works once." },
  expired: { heading: "This link has expired", text: "Links like this one work for a limited time." },
} as const;

/** A mailed link that cannot be used, and where to get a new one. */
export function LinkProblemPage(props: { state: keyof typeof LINK_PROBLEMS; again: { href: string; label: string } }) {
  const problem = LINK_PROBLEMS[props.state];
  return (
    <section class="narrow">
      <h1>{problem.heading}</h1>
      <p role="alert">{problem.text}</p>
      <p>
        <a href={props.again.href}>{props.again.label}</a>
      </p>
    </section>
  );
}
