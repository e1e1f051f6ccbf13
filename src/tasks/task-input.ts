import { DateTime } from "luxon";
import type { TaskValues } from "../db/tasks.js";
import { taskPriority, taskStatus, type TaskPriority, type TaskStatus } from "../db/schema.js";
import { field, hasControlChars, type FormBody } from "../form-fields.js";
import { dueMoment } from "./due.js";
import { fieldsFromRule, noRepeat, ruleFromFields, type RepeatFields } from "../recurrence/form.js";

/**
 * What the user typed, kept verbatim so a form with errors shows it again. The Repeat fields
 * (src/recurrence/form.ts) are optional: without `repeat` (or with "") the task keeps its rule.
 */
export interface TaskForm extends Partial<RepeatFields> {
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
  return { title: "", notes: "", priority: "medium", status: "todo", due_date: "", due_time: "", reminders: "on", ...noRepeat() };
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
    ...repeatFieldsFrom(body),
  };
}

function repeatFieldsFrom(body: FormBody): RepeatFields {
  const defaults = noRepeat();
  const text = (name: keyof RepeatFields) => field(body, name).trim() || defaults[name];
  return {
    repeat: field(body, "repeat").trim(),
    repeat_every: field(body, "repeat_every").trim(),
    // Checkboxes: one value per ticked day.
    repeat_days: (body.repeat_days ?? []).map((d) => d.trim()).filter(Boolean).join(","),
    repeat_monthly: text("repeat_monthly"),
    repeat_month_day: field(body, "repeat_month_day").trim(),
    repeat_nth: text("repeat_nth"),
    repeat_nth_day: text("repeat_nth_day"),
    repeat_from: text("repeat_from"),
    repeat_end: text("repeat_end"),
    repeat_count: field(body, "repeat_count").trim(),
    repeat_until: field(body, "repeat_until").trim(),
    repeat_rule: field(body, "repeat_rule").trim(),
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
  rrule: string | null;
  repeatFrom: "due" | "completion";
}): TaskForm {
  return {
    title: task.title,
    notes: task.notes,
    priority: task.priority,
    status: task.status,
    due_date: task.dueDate ?? "",
    due_time: task.dueTime?.slice(0, 5) ?? "",
    reminders: task.remindersEnabled ? "on" : "off",
    ...fieldsFromRule(task.rrule, task.repeatFrom, task.dueDate),
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

  // Repetition: only when the post has the Repeat fields (an absent `repeat` leaves the rule alone).
  const repeat = !form.repeat ? null : ruleFromFields({ ...noRepeat(), ...form }, form.due_date && !errors.due_date ? form.due_date : null);
  if (repeat && !repeat.ok) Object.assign(errors, repeat.errors);
  if (repeat?.ok && repeat.rrule && !form.due_date && !errors.due_date) errors.repeat = "A repeating task needs a due date: add the date it is first due.";

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
      ...(repeat?.ok ? { rrule: repeat.rrule, repeatFrom: repeat.repeatFrom } : {}),
    },
  };
}

/** A real calendar date written YYYY-MM-DD. */
export function isRealDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  return DateTime.fromISO(text, { zone: "UTC" }).isValid;
}

// The end of 9999-12-31 west of UTC falls in the year 10000, which the database cannot be sent;
// stopping a year short keeps every due moment, in every zone, a four-digit-year instant.
export const FIRST_DATE = "1900-01-01";
export const LAST_DATE = "9998-12-31";
function inRange(date: string): boolean {
  return date >= FIRST_DATE && date <= LAST_DATE;
}
