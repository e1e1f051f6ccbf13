import type { TaskPriority, TaskStatus } from "../db/schema.js";

/*
 * What the views are given: plain data shaped for showing, filled in by the routes. Views never
 * see a database row, so a column added or renamed changes the route's mapping, not the markup.
 */

/** A task as the list row and the task page show it. */
export interface TaskView {
  id: string;
  title: string;
  notes: string;
  status: TaskStatus;
  priority: TaskPriority;
  /** The date the owner picked (their zone), the optional time, and the exact moment; all null without a due date. */
  dueDate: string | null;
  dueTime: string | null;
  dueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  /** The RRULE value of a repeating task (src/recurrence/), null for a one-off; and what it counts from. */
  rrule: string | null;
  repeatFrom: "due" | "completion";
  /** Which occurrence of its rule a repeating task is at: its forms send it, so a stale page cannot complete a later one. */
  occurrence: number;
}

/** One line of the dev mailbox. */
export interface MailSummary {
  id: string;
  subject: string;
  sentAt: Date;
}

/** One message of the dev mailbox, as it would have been sent. */
export interface MailView {
  subject: string;
  from: string;
  to: string;
  sentAt: Date;
  stream: string;
  headers: { name: string; value: string }[];
  htmlBody: string;
  textBody: string;
}
