import { NAME_MAX, type FormErrors, type RegisterForm } from "../auth/account-input.js";
import { describedBy, Field, FormAlert } from "./fields.js";
import { NewPasswordField } from "./password-fields.js";
import { TimezoneSelect } from "./timezone-select.js";

/**
 * The one answer for an address that already has an account (the owner is mailed a note): where
 * its owner goes next, and nothing about whose it is.
 */
function TakenAddressAlert() {
  return (
    <p class="alert" role="alert" tabindex={-1} data-form-alert="">
      We could not create an account with that address. If it is yours, <a href="/login">log in</a> or <a href="/forgot">reset your password</a>.
    </p>
  );
}

/** The form's typed values, never its password: a password is not put into a page, even back to its owner. */
export function RegisterPage(props: { form: Omit<RegisterForm, "password">; errors: FormErrors<RegisterForm>; taken?: boolean }) {
  const { form, errors } = props;
  return (
    <section class="narrow">
      <h1>Create your account</h1>
      {props.taken ? <TakenAddressAlert /> : <FormAlert message={errors.form} />}
      <form method="post" action="/register" novalidate>
        <Field id="name" label="Name" error={errors.name}>
          <input id="name" name="name" value={form.name} autocomplete="name" required maxlength={NAME_MAX} {...describedBy("name", errors.name)} />
        </Field>
        <Field id="email" label="Email" error={errors.email}>
          <input id="email" name="email" type="email" value={form.email} autocomplete="email" required {...describedBy("email", errors.email)} />
        </Field>
        <NewPasswordField label="Password" error={errors.password} />
        <Field id="timezone" label="Timezone" error={errors.timezone} hint="Deadlines and reminders follow this zone.">
          <TimezoneSelect value={form.timezone} error={errors.timezone} detect={!form.timezone || form.timezone === "UTC"} />
        </Field>
        <button type="submit" class="primary">Create account</button>
      </form>
      <p>
        Already have an account? <a href="/login">Log in</a>.
      </p>
    </section>
  );
}

export function LoginPage(props: { email: string; next: string; error?: string }) {
  return (
    <section class="narrow">
      <h1>Log in</h1>
      <FormAlert message={props.error} />
      <form method="post" action="/login" novalidate>
        <input type="hidden" name="next" value={props.next} />
        <Field id="email" label="Email">
          <input id="email" name="email" type="email" value={props.email} autocomplete="username" required />
        </Field>
        <Field id="password" label="Password">
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </Field>
        <button type="submit" class="primary">Log in</button>
      </form>
      <p>
        <a href="/forgot">Forgot your password?</a>
      </p>
      <p>
        New here? <a href="/register">Create an account</a>.
      </p>
    </section>
  );
}
