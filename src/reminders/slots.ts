import type { ReminderGroup } from "../db/reminders.js";
import { addDays, calendarDays, firstMomentAtHour, localDate } from "../tasks/due.js";

/** A user's reminder preferences, as the scan and the task page read them. */
export interface ReminderPrefs {
  timezone: string;
  reminderHour: number;
  leadDays: number[];
  overdueReminders: boolean;
}


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

/** The overdue schedule in words, from the constants above: "1, 3 and 7 days late, then weekly, and a last check at 30 days". */
export function overdueScheduleInWords(): string {
  const weeklyFrom = OVERDUE_DAYS.findIndex((d, i) => i > 0 && d - OVERDUE_DAYS[i - 1]! === 7 && OVERDUE_DAYS.slice(i).every((x, j, all) => j === 0 || x - all[j - 1]! === 7));
  const daily = weeklyFrom > 0 ? OVERDUE_DAYS.slice(0, weeklyFrom) : [...OVERDUE_DAYS];
  const list = daily.length > 1 ? `${daily.slice(0, -1).join(", ")} and ${daily.at(-1)}` : String(daily[0]);
  return `${list} days late${weeklyFrom > 0 ? ", then weekly" : ""}, and a last check at ${FINAL_OVERDUE_DAY} days`;
}

/** Days after the due date that bring a reminder at all (when overdue reminders are on). */
export const LATE_DAYS: readonly number[] = [...OVERDUE_DAYS, FINAL_OVERDUE_DAY];
/** The same as offsets from the due date (negative: days after it). */
export const LATE_OFFSETS: readonly number[] = LATE_DAYS.map((d) => -d);

/**
 * THE slot rule, as the set of day offsets (due date minus the local date) that bring a reminder:
 * the due day, each lead day, and, with overdue reminders on, each late day. `slotOn` reads it
 * here; the scan's SQL (src/db/reminders.ts, `slotOffsetsSql`) is given LATE_OFFSETS by the scan,
 * and a test holds the two to the same answers.
 */
export function slotOffsets(prefs: Pick<ReminderPrefs, "leadDays" | "overdueReminders">): number[] {
  return [0, ...prefs.leadDays.filter((d) => d > 0), ...(prefs.overdueReminders ? LATE_OFFSETS : [])];
}


/**
 * Which reminder, if any, a task gets on the owner's local date `today`. Everything is counted in
 * whole local calendar days, so DST changes and half-hour zones shift nothing.
 */
export function slotOn(dueDate: string, today: string, prefs: Pick<ReminderPrefs, "leadDays" | "overdueReminders">): Slot | null {
  const days = calendarDays(today, dueDate);
  if (!slotOffsets(prefs).includes(days)) return null;
  if (days === 0) return { name: "due", group: "today", final: false };
  if (days > 0) return { name: `lead-${days}`, group: "soon", final: false };
  if (-days === FINAL_OVERDUE_DAY) return { name: "final", group: "overdue", final: true };
  return { name: `late-${-days}`, group: "overdue", final: false };
}

/** The instant the reminders of local date `date` go out for this user. */
export function sendMoment(date: string, prefs: Pick<ReminderPrefs, "timezone" | "reminderHour">): Date {
  return firstMomentAtHour(date, prefs.reminderHour, prefs.timezone);
}

/**
 * The next reminder a task will get, for the task page: the first local date whose slot matches
 * and whose reminder hour is still ahead. Null when none will come.
 */
export function nextReminder(dueDate: string, now: Date, prefs: ReminderPrefs): { date: string; at: Date; slot: Slot } | null {
  const today = localDate(now, prefs.timezone);
  for (let offset = 0; offset <= FINAL_OVERDUE_DAY + MAX_LEAD_DAYS + 1; offset++) {
    const date = addDays(today, offset);
    if (calendarDays(date, dueDate) < -FINAL_OVERDUE_DAY) break;
    const slot = slotOn(dueDate, date, prefs);
    const at = sendMoment(date, prefs);
    if (slot && at > now) return { date, at, slot };
  }
  return null;
}

/** What decides whether a user gets reminder mail at all. */
export interface ReminderRecipient {
  remindersEnabled: boolean;
  remindersPausedReason: string | null;
  emailVerifiedAt: Date | null;
}

/** A user who receives reminder emails (SQL form: `receivesRemindersSql`, src/db/reminder-rules.ts). */
export function receivesReminders(user: ReminderRecipient): boolean {
  return user.remindersEnabled && user.remindersPausedReason === null && user.emailVerifiedAt !== null;
}

/** A task that gets reminders on its reminder days (SQL form: `taskGetsRemindersSql`). */
export function taskGetsReminders(task: { status: string; remindersEnabled: boolean }): boolean {
  return task.status !== "done" && task.remindersEnabled;
}

/** The task page's next reminder: when, or why none will come. */
export type NextReminder =
  | { kind: "at"; at: Date; final: boolean }
  | { kind: "none"; reason: "task-done" | "task-off" | "user-off" | "unverified" | "no-due-date" | "none-left" };

export function nextReminderFor(
  task: { status: string; remindersEnabled: boolean; dueDate: string | null },
  user: ReminderPrefs & ReminderRecipient,
  now: Date,
): NextReminder {
  if (task.status === "done") return { kind: "none", reason: "task-done" };
  if (!taskGetsReminders(task)) return { kind: "none", reason: "task-off" };
  if (user.emailVerifiedAt === null) return { kind: "none", reason: "unverified" };
  if (!receivesReminders(user)) return { kind: "none", reason: "user-off" };
  if (!task.dueDate) return { kind: "none", reason: "no-due-date" };
  const upcoming = nextReminder(task.dueDate, now, user);
  return upcoming ? { kind: "at", at: upcoming.at, final: upcoming.slot.final } : { kind: "none", reason: "none-left" };
}
