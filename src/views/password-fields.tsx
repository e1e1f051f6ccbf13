import { PASSWORD_MAX, PASSWORD_MIN } from "../auth/account-input.js";
import { describedBy, Field } from "./fields.js";

/** A new password (registration, reset, change): the rules in the hint, the browser told to suggest one. */
export function NewPasswordField(props: { label: string; error?: string }) {
  return (
    <Field id="password" label={props.label} error={props.error} hint={`${PASSWORD_MIN} to ${PASSWORD_MAX} characters, not a common password.`}>
      <input
        id="password"
        name="password"
        type="password"
        autocomplete="new-password"
        required
        minlength={PASSWORD_MIN}
        maxlength={PASSWORD_MAX}
        {...describedBy("password", props.error, "hint")}
      />
    </Field>
  );
}

/** The current password, asked for before a change to the account (address, password, deletion). */
export function CurrentPasswordField(props: { label: string; error?: string; hint?: string }) {
  return (
    <Field id="current_password" label={props.label} error={props.error} hint={props.hint}>
      <input
        id="current_password"
        name="current_password"
        type="password"
        autocomplete="current-password"
        required
        {...describedBy("current_password", props.error, props.hint)}
      />
    </Field>
  );
}
