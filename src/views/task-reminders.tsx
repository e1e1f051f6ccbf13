import type { Task, User } from "../db/schema.js";
import type { reminderHistory } from "../db/reminder-prefs.js";
import { nextReminder } from "../reminders/slots.js";

type History = Awaited<ReturnType<typeof reminderHistory>>;

const STATUS_TEXT: Record<string, string> = {
  pending: "waiting to send",
  sending: "sending",
  sent: "delivered to the mail service",
  failed: "failed",
  suppressed: "not sent: address inactive",
  expired: "not sent before its day ended",
};

/** The task page's reminder panel: what comes next, and what was already sent for this task. */
export function TaskReminders(props: { task: Task; user: User; history: History; now: Date }) {
  const { task, user, history } = props;
  const fmt = (d: Date) =>
    new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: user.timezone }).format(d);
  let next: string;
  if (task.status === "done") next = "None: the task is done.";
  else if (!task.remindersEnabled) next = "None: reminders are off for this task.";
  else if (!user.remindersEnabled || user.remindersPausedReason) next = "None: your email reminders are off (see Settings).";
  else if (!task.dueDate) next = "None: the task has no due date.";
  else {
    const upcoming = nextReminder(task.dueDate, props.now, user);
    next = upcoming
      ? `${fmt(upcoming.at)}${user.reminderDelivery === "digest" ? ", in that day's digest" : ""}${upcoming.slot.final ? " (the last one)" : ""}`
      : "None: no reminder is left for this deadline.";
  }
  return (
    <section class="reminder-panel" aria-labelledby="reminders-heading">
      <h2 id="reminders-heading">Reminders</h2>
      <p>
        <strong>Next reminder:</strong> {next}
      </p>
      {history.length ? (
        <table>
          <caption>Reminders sent for this task</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Email</th>
              <th scope="col">Delivery</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr>
                <td>{fmt(h.sentAt ?? h.createdAt)}</td>
                <td>
                  {h.kind === "digest" ? "Daily digest" : "Task reminder"}: “{h.subject}”
                </td>
                <td>
                  {STATUS_TEXT[h.status] ?? h.status}
                  {h.status === "failed" && h.lastError ? ` (${h.lastError})` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">No reminder has been sent for this task yet.</p>
      )}
    </section>
  );
}
