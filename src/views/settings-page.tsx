import { NAME_MAX, type FormErrors } from "../auth/account-input.js";
import type { ReminderErrors, ReminderForm } from "../reminders/prefs-input.js";
import { MAX_LEAD_DAYS, overdueScheduleInWords } from "../reminders/slots.js";
import { describedBy, Field, FormAlert, Select } from "./fields.js";
import { TimezoneSelect } from "./timezone-select.js";

export interface SettingsForm {
  name: string;
  timezone: string;
  /** "" (automatic: from the browser's Accept-Language), "dmy" or "mdy". */
  date_order: string;
}

const DATE_ORDERS = [
  ["", "Automatic (from your browser)"],
  ["dmy", "Day first: 3/12 is 3 December"],
  ["mdy", "Month first: 3/12 is March 12"],
] as const;

const HOURS = Array.from({ length: 24 }, (_, h) => [String(h), `${String(h).padStart(2, "0")}:00`] as const);

export function SettingsPage(props: {
  form: SettingsForm;
  reminders: ReminderForm;
  pausedReason: string | null;
  errors: FormErrors<SettingsForm> & ReminderErrors;
  saved?: boolean;
}) {
  const { form, errors, reminders } = props;
  return (
    <section class="narrow">
      <h1>Settings</h1>
      {props.saved ? (
        <p class="notice" role="status">
          Settings saved.
        </p>
      ) : null}
      {props.pausedReason ? (
        <p class="alert" role="alert">
          Reminders are paused: {props.pausedReason} Check your address, then save with reminders on to resume.
        </p>
      ) : null}
      <FormAlert message={Object.keys(errors).length ? "Please correct the fields marked below." : undefined} />
      <form method="post" action="/settings" novalidate>
        <Field id="name" label="Name" error={errors.name}>
          <input id="name" name="name" value={form.name} autocomplete="name" required maxlength={NAME_MAX} {...describedBy("name", errors.name)} />
        </Field>
        <Field id="timezone" label="Timezone" error={errors.timezone} hint="Tasks due on a date stay on that date when you change zone; timed ones keep their moment.">
          <TimezoneSelect value={form.timezone} error={errors.timezone} />
        </Field>
        <Field id="date_order" label="Dates typed as numbers in quick add" error={errors.date_order}>
          <Select id="date_order" name="date_order" value={form.date_order} options={DATE_ORDERS} error={errors.date_order} />
        </Field>

        <fieldset class="reminders">
          <legend>Email reminders</legend>
          <div class="field checkbox">
            <input type="hidden" name="reminders" value="off" />
            <label>
              <input type="checkbox" name="reminders" value="on" checked={reminders.reminders === "on"} /> Send me reminders about deadlines
            </label>
          </div>
          <Field id="reminder_hour" label="Send them at (your local time)" error={errors.reminder_hour}>
            <select id="reminder_hour" name="reminder_hour" {...describedBy("reminder_hour", errors.reminder_hour)}>
              {HOURS.map(([value, label]) => (
                <option value={value} selected={value === reminders.reminder_hour}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
          <fieldset class={errors.lead_days ? "invalid" : ""} aria-describedby={errors.lead_days ? "lead_days-error" : undefined}>
            <legend>Remind me before the due date (the due day itself is always included)</legend>
            <input type="hidden" name="lead_days_sent" value="1" />
            {Array.from({ length: MAX_LEAD_DAYS }, (_, i) => String(i + 1)).map((d) => (
              <label class="chip">
                <input type="checkbox" name="lead_days" value={d} checked={reminders.lead_days.includes(d)} /> {d} {d === "1" ? "day" : "days"}
              </label>
            ))}
            {errors.lead_days ? (
              <small id="lead_days-error" class="error">
                {errors.lead_days}
              </small>
            ) : null}
          </fieldset>
          <div class="field checkbox">
            <input type="hidden" name="overdue" value="off" />
            <label>
              <input type="checkbox" name="overdue" value="on" checked={reminders.overdue === "on"} /> Remind me of overdue tasks ({overdueScheduleInWords()})
            </label>
          </div>
          <fieldset class={errors.delivery ? "invalid" : ""} aria-describedby={errors.delivery ? "delivery-error" : undefined}>
            <legend>Delivery</legend>
            <label>
              <input type="radio" name="delivery" value="digest" checked={reminders.delivery === "digest"} /> One daily digest
            </label>
            <label>
              <input type="radio" name="delivery" value="per_task" checked={reminders.delivery === "per_task"} /> One email per task
            </label>
            {errors.delivery ? (
              <small id="delivery-error" class="error">
                {errors.delivery}
              </small>
            ) : null}
          </fieldset>
        </fieldset>
        <button type="submit" class="primary">
          Save settings
        </button>
      </form>
      <AccountLinks />
    </section>
  );
}

/** The account's other pages, each its own form (they ask for the current password or a confirmation). */
function AccountLinks() {
  return (
    <nav class="account-links" aria-labelledby="account-heading">
      <h2 id="account-heading">Your account</h2>
      <ul>
        <li>
          <a href="/settings/email">Change email address</a>
        </li>
        <li>
          <a href="/settings/password">Change password</a>
        </li>
        <li>
          <a href="/settings/sessions">Where you are signed in</a>
        </li>
        <li>
          <a href="/import">Export or import your data</a>
        </li>
        <li>
          <a href="/settings/delete">Delete your account</a>
        </li>
      </ul>
    </nav>
  );
}
