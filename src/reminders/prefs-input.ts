import type { User } from "../db/schema.js";
import type { ReminderSettings } from "../db/reminder-prefs.js";
import type { FormBody } from "../form-fields.js";
import { MAX_LEAD_DAYS } from "./slots.js";

/** The reminder part of the settings form, as typed (strings), so errors can show it again. */
export interface ReminderForm {
  reminders: string;
  reminder_hour: string;
  lead_days: string[];
  overdue: string;
  delivery: string;
}

export type ReminderErrors = Partial<Record<keyof ReminderForm, string>>;

export function reminderFormOf(user: User): ReminderForm {
  return {
    reminders: user.remindersEnabled ? "on" : "off",
    reminder_hour: String(user.reminderHour),
    lead_days: user.leadDays.map(String),
    overdue: user.overdueReminders ? "on" : "off",
    delivery: user.reminderDelivery,
  };
}

/**
 * Reads the reminder fields; a field the post does not carry keeps the user's current value
 * (checkbox groups carry a hidden marker so "none ticked" is told apart from "not sent").
 */
export function reminderFormFrom(body: FormBody, current: User): ReminderForm {
  const was = reminderFormOf(current);
  const last = (key: string) => body[key]?.at(-1);
  return {
    reminders: last("reminders") ?? was.reminders,
    reminder_hour: last("reminder_hour") ?? was.reminder_hour,
    lead_days: body.lead_days_sent || body.lead_days ? (body.lead_days ?? []) : was.lead_days,
    overdue: last("overdue") ?? was.overdue,
    delivery: last("delivery") ?? was.delivery,
  };
}

export function validateReminderForm(form: ReminderForm): { ok: true; settings: ReminderSettings } | { ok: false; errors: ReminderErrors } {
  const errors: ReminderErrors = {};
  const hour = /^\d{1,2}$/.test(form.reminder_hour) ? Number(form.reminder_hour) : NaN;
  if (!(hour >= 0 && hour <= 23)) errors.reminder_hour = "Choose an hour from 00:00 to 23:00.";
  const lead = [...new Set(form.lead_days)].map((d) => (/^\d{1,2}$/.test(d) ? Number(d) : NaN));
  if (lead.some((d) => !(d >= 1 && d <= MAX_LEAD_DAYS))) errors.lead_days = `Choose days from 1 to ${MAX_LEAD_DAYS} before the due date.`;
  if (form.delivery !== "digest" && form.delivery !== "per_task") errors.delivery = "Choose a daily digest or one email per task.";
  if (!["on", "off"].includes(form.reminders)) errors.reminders = "Choose on or off.";
  if (!["on", "off"].includes(form.overdue)) errors.overdue = "Choose on or off.";
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      remindersEnabled: form.reminders === "on",
      reminderHour: hour,
      leadDays: lead.sort((a, b) => b - a),
      overdueReminders: form.overdue === "on",
      reminderDelivery: form.delivery as ReminderSettings["reminderDelivery"],
    },
  };
}
