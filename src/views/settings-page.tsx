import type { FormErrors } from "../auth/account-input.js";
import { describedBy, Field, FormAlert } from "./fields.js";
import { TimezoneSelect } from "./timezone-select.js";

export interface SettingsForm {
  name: string;
  timezone: string;
}

export function SettingsPage(props: { form: SettingsForm; errors: FormErrors<SettingsForm>; saved?: boolean }) {
  const { form, errors } = props;
  return (
    <section class="narrow">
      <h1>Settings</h1>
      {props.saved ? (
        <p class="notice" role="status">
          Settings saved.
        </p>
      ) : null}
      <FormAlert message={Object.keys(errors).length ? "Please correct the fields marked below." : undefined} />
      <form method="post" action="/settings" novalidate>
        <Field id="name" label="Name" error={errors.name}>
          <input id="name" name="name" value={form.name} autocomplete="name" required maxlength={100} {...describedBy("name", errors.name)} />
        </Field>
        <Field id="timezone" label="Timezone" error={errors.timezone} hint="Tasks due on a date stay on that date when you change zone; timed ones keep their moment.">
          <TimezoneSelect value={form.timezone} error={errors.timezone} />
        </Field>
        <button type="submit" class="primary">Save settings</button>
      </form>
    </section>
  );
}
