import type { NextReminder } from "../reminders/slots.js";
import { formatDate } from "../tasks/format.js";

/** One email that named the task, as the history table shows it. */
export interface SentReminder {
  kind: "digest" | "task";
  subject: string;
  status: "pending" | "sending" | "sent" | "failed" | "suppressed" | "expired";
  lastError: string | null;
  sentAt: Date | null;
  createdAt: Date;
  /** The due date of the occurrence it was about (a repeating task has many); null in old rows. */
  dueDate: string | null;
}

/** The reminder panel's model: the decision is made in src/reminders/slots.ts (`nextReminderFor`). */
export interface ReminderPanel {
  next: NextReminder;
  /** Reminders arrive as one daily digest rather than one email per task. */
  digest: boolean;
  timezone: string;
  history: SentReminder[];
  /** A repeating task's history says which occurrence (deadline) each reminder was about. */
  occurrences?: boolean;
}

const NONE: Record<Extract<NextReminder, { kind: "none" }>["reason"], string> = {
  "task-done": "None: the task is done.",
  "task-off": "None: reminders are off for this task.",
  "user-off": "None: your email reminders are off (see Settings).",
  unverified: "None until you confirm your email address (use the link we sent you).",
  "no-due-date": "None: the task has no due date.",
  "none-left": "None: no reminder is left for this deadline.",
};

/**
 * What a person is told about a reminder's delivery: a plain state worked out from the row's
 * status and which of our own failure kinds it records, never the stored error text. That text
 * quotes Postmark and the network (hosts, addresses, HTTP details) and stays for operators in
 * reminder_outbox.last_error.
 */
export function deliveryStatus(status: SentReminder["status"], lastError: string | null): string {
  switch (status) {
    case "pending":
      return lastError ? "sending failed, will retry" : "waiting to send";
    case "sending":
      return "sending";
    case "sent":
      return "delivered to the mail service";
    case "expired":
      return "not sent before its day ended";
    case "suppressed":
      // Queued while reminders were paused, or refused by Postmark as an inactive recipient (406).
      return lastError?.startsWith("not sent: reminders are paused") ? "not sent: reminders are paused for this address" : "not sent: the address refused mail";
    case "failed":
      if (lastError?.startsWith("not sent: reminders were turned off")) return "not sent: reminders were turned off";
      if (lastError?.startsWith("gave up after")) return "sending failed; gave up after several tries";
      return "not sent: the mail service refused this email";
  }
}

/** The task page's reminder panel: what comes next, and what was already sent for this task. */
export function TaskReminders(props: ReminderPanel) {
  const { history } = props;
  const fmt = (d: Date) =>
    new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: props.timezone }).format(d);
  const next =
    props.next.kind === "none"
      ? NONE[props.next.reason]
      : `${fmt(props.next.at)}${props.digest ? ", in that day's digest" : ""}${props.next.final ? " (the last one)" : ""}`;
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
              {props.occurrences ? <th scope="col">For the deadline</th> : null}
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
                {props.occurrences ? <td>{h.dueDate ? formatDate(h.dueDate) : "—"}</td> : null}
                <td>{deliveryStatus(h.status, h.lastError)}</td>
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
