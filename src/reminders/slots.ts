import { DateTime } from "luxon";

/** A user's reminder preferences, as the scan and the task page read them. */
export interface ReminderPrefs {
  timezone: string;
  reminderHour: number;
  leadDays: number[];
  overdueReminders: boolean;
}

export type ReminderGroup = "overdue" | "today" | "soon";

export interface Slot {
  /** Stable name of the reminder within a deadline: lead-2, lead-1, due, late-1 … late-28, final. */
  name: string;
  group: ReminderGroup;
  /** The 30-day "is this still relevant?" reminder, after which an open task goes quiet. */
  final: boolean;
}

/** Days after the due date that bring an overdue reminder: 1, 3, 7, then weekly, then the last one at 30. */
export const OVERDUE_DAYS = [1, 3, 7, 14, 21, 28] as const;
export const FINAL_OVERDUE_DAY = 30;
export const MAX_LEAD_DAYS = 7;

/**
 * Which reminder, if any, a task gets on the owner's local date `today`. Everything is counted in
 * whole local calendar days, so DST changes and half-hour zones shift nothing.
 */
export function slotOn(dueDate: string, today: string, prefs: Pick<ReminderPrefs, "leadDays" | "overdueReminders">): Slot | null {
  const days = calendarDays(today, dueDate);
  if (days === 0) return { name: "due", group: "today", final: false };
  if (days > 0) return prefs.leadDays.includes(days) ? { name: `lead-${days}`, group: "soon", final: false } : null;
  if (!prefs.overdueReminders) return null;
  const late = -days;
  if (late === FINAL_OVERDUE_DAY) return { name: "final", group: "overdue", final: true };
  return (OVERDUE_DAYS as readonly number[]).includes(late) ? { name: `late-${late}`, group: "overdue", final: false } : null;
}

/** Whole days from `from` to `to`, both YYYY-MM-DD. */
export function calendarDays(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to, { zone: "UTC" }).diff(DateTime.fromISO(from, { zone: "UTC" }), "days").days);
}

/** The instant the reminders of local date `date` go out for this user. */
export function sendMoment(date: string, prefs: Pick<ReminderPrefs, "timezone" | "reminderHour">): Date {
  return DateTime.fromISO(date, { zone: prefs.timezone }).set({ hour: prefs.reminderHour }).toJSDate();
}

/**
 * The next reminder a task will get, for the task page: the first local date whose slot matches
 * and whose reminder hour is still ahead. Null when none will come.
 */
export function nextReminder(dueDate: string, now: Date, prefs: ReminderPrefs): { date: string; at: Date; slot: Slot } | null {
  const local = DateTime.fromJSDate(now, { zone: prefs.timezone });
  for (let offset = 0; offset <= FINAL_OVERDUE_DAY + MAX_LEAD_DAYS + 1; offset++) {
    const date = local.plus({ days: offset }).toISODate()!;
    if (calendarDays(date, dueDate) < -FINAL_OVERDUE_DAY) break;
    const slot = slotOn(dueDate, date, prefs);
    const at = sendMoment(date, prefs);
    if (slot && at > now) return { date, at, slot };
  }
  return null;
}
