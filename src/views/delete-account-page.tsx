import { FormAlert } from "./fields.js";
import { CurrentPasswordField } from "./password-fields.js";

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/**
 * What deleting the account removes, and the form that does it: the current password, then a
 * button that says plainly what it does. A wrong password comes back with its message beside the
 * field (the password itself is never put back into the page).
 */
/** What deleting the account will remove, counted. */
export interface FootprintView {
  tasks: number;
  sessions: number;
  reminders: number;
}

export function DeleteAccountPage(props: { email: string; footprint: FootprintView; error?: string; alert?: string }) {
  const { footprint, error } = props;
  return (
    <section class="narrow">
      <h1>Delete your account</h1>
      <FormAlert message={props.alert ?? (error ? "Your account was not deleted." : undefined)} />
      <p>Deleting your account removes, at once and for good:</p>
      <ul>
        <li>{plural(footprint.tasks, "task", "tasks")}, with their notes and due dates;</li>
        <li>your settings and reminder preferences;</li>
        <li>your reminder history ({plural(footprint.reminders, "email", "emails")}) and any reminder still waiting to go out;</li>
        <li>
          every session: you will be signed out here and on {footprint.sessions > 1 ? `the ${plural(footprint.sessions - 1, "other device", "other devices")}` : "any other device"}.
        </li>
      </ul>
      <p>
        Nothing is kept. We send one last email to <strong>{props.email}</strong> to confirm it. This cannot be undone: if you want a
        copy of your tasks, <a href="/import">export them</a> first.
      </p>
      <form method="post" action="/settings/delete" novalidate>
        <CurrentPasswordField label="Your password" error={error} hint="To make sure it is you." />
        <div class="actions">
          <button type="submit" class="danger">
            Delete my account and all my tasks
          </button>
          <a class="button" href="/settings">
            Keep my account
          </a>
        </div>
      </form>
    </section>
  );
}
