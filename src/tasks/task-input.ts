import { DateTime } from "luxon";
import type { TaskValues } from "../db/tasks.js";
import { taskPriority, taskStatus, type TaskPriority, type TaskStatus } from "../db/schema.js";
import { field, hasControlChars, type FormBody } from "../form-fields.js";
import { dueMoment } from "./due.js";

/** What the user typed, kept verbatim so a form with errors shows it again. */
export interface TaskForm {
  title: string;
  notes: string;
  priority: string;
  status: string;
  due_date: string;
  due_time: string;
  /**
   * "on" or "off"; the form sends a hidden "off" before the checkbox, so the last value wins.
   * "" when the post carries no such field (not from our form): the task keeps what it had.
   */
  reminders: string;
}

export type TaskErrors = Partial<Record<keyof TaskForm, string>>;

export const TITLE_MAX = 200;
export const NOTES_MAX = 10_000;

export function emptyTaskForm(): TaskForm {
  return { title: "", notes: "", priority: "medium", status: "todo", due_date: "", due_time: "", reminders: "on" };
}

export function taskFormFrom(body: FormBody): TaskForm {
  return {
    title: field(body, "title"),
    notes: field(body, "notes"),
    priority: field(body, "priority") || "medium",
    status: field(body, "status") || "todo",
    due_date: field(body, "due_date").trim(),
    due_time: field(body, "due_time").trim(),
    reminders: body.reminders ? (body.reminders.at(-1) === "off" ? "off" : "on") : "",
  };
}

export function taskFormOf(task: {
  title: string;
  notes: string;
  priority: string;
  status: string;
  dueDate: string | null;
  dueTime: string | null;
  remindersEnabled: boolean;
}): TaskForm {
  return {
    title: task.title,
    notes: task.notes,
    priority: task.priority,
    status: task.status,
    due_date: task.dueDate ?? "",
    due_time: task.dueTime?.slice(0, 5) ?? "",
    reminders: task.remindersEnabled ? "on" : "off",
  };
}

/** Checks every rule and returns either the values to store or a message per field at fault. */
export function validateTask(
  form: TaskForm,
  timezone: string,
): { ok: true; values: TaskValues } | { ok: false; errors: TaskErrors } {
  const errors: TaskErrors = {};
  const title = form.title.trim();
  const notes = form.notes.replace(/\r\n/g, "\n");
  // Characters as people (and PostgreSQL's char_length) count them: an emoji is one, not two UTF-16 units.
  const titleLength = [...title].length;
  const notesLength = [...notes].length;

  if (!title) errors.title = "Give the task a title.";
  else if (titleLength > TITLE_MAX) errors.title = `Keep the title to ${TITLE_MAX} characters (it has ${titleLength}).`;
  else if (hasControlChars(title)) errors.title = "The title contains characters that can't be shown.";

  if (notesLength > NOTES_MAX) errors.notes = `Keep notes to ${NOTES_MAX.toLocaleString("en")} characters (they have ${notesLength.toLocaleString("en")}).`;
  else if (hasControlChars(notes, true)) errors.notes = "The notes contain characters that can't be shown.";

  if (!(taskPriority.enumValues as readonly string[]).includes(form.priority))
    errors.priority = "Choose low, medium, high or urgent.";
  if (!(taskStatus.enumValues as readonly string[]).includes(form.status))
    errors.status = "Choose to do, in progress or done.";

  const dateOk = form.due_date === "" || isRealDate(form.due_date);
  if (!dateOk) errors.due_date = "Use a real date, as YYYY-MM-DD.";
  else if (form.due_date && !inRange(form.due_date)) errors.due_date = `Choose a date from ${FIRST_DATE} to ${LAST_DATE}.`;
  const timeOk = form.due_time === "" || /^([01]\d|2[0-3]):[0-5]\d$/.test(form.due_time);
  if (!timeOk) errors.due_time = "Use a time of day, as HH:MM (24-hour).";
  else if (form.due_time && !form.due_date && dateOk) errors.due_date = "A time needs a date: add the day it is due.";

  if (Object.keys(errors).length) return { ok: false, errors };
  const dueDate = form.due_date || null;
  const dueTime = dueDate && form.due_time ? form.due_time : null;
  return {
    ok: true,
    values: {
      title,
      notes,
      priority: form.priority as TaskPriority,
      status: form.status as TaskStatus,
      dueDate,
      dueTime,
      dueAt: dueDate ? dueMoment(dueDate, dueTime, timezone) : null,
      // Undefined leaves the column alone on update and takes the default (on) on create.
      remindersEnabled: form.reminders === "" ? undefined : form.reminders === "on",
    },
  };
}

function isRealDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  return DateTime.fromISO(text, { zone: "UTC" }).isValid;
}

// The end of 9999-12-31 west of UTC falls in the year 10000, which the database cannot be sent;
// stopping a year short keeps every due moment, in every zone, a four-digit-year instant.
const FIRST_DATE = "1900-01-01";
const LAST_DATE = "9998-12-31";
function inRange(date: string): boolean {
  return date >= FIRST_DATE && date <= LAST_DATE;
}
