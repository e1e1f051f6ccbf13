import { addDays, endOfLocalDay, localDay, utcDay } from "./due.js";
import { formatDate } from "./format.js";
import { FIRST_DATE, LAST_DATE, isRealDate } from "./task-input.js";

// The calendar behind Today, Upcoming and rescheduling (issue #13): which days each view covers in
// the owner's zone, how Upcoming groups its days, and what a reschedule's `to` means.

/** Upcoming covers the days after today up to this many days ahead; later dates go under "Later". */
export const UPCOMING_DAYS = 14;

export interface PlanningBounds {
  now: Date;
  /** The owner's local date. */
  today: string;
  todayStart: Date;
  /** Today holds every open task due up to here (overdue included); Upcoming starts after it. */
  todayEnd: Date;
  /** The last day Upcoming shows by day (today + UPCOMING_DAYS), and the end of it. */
  lastUpcomingDay: string;
  upcomingEnd: Date;
}

export function planningBounds(now: Date, timezone: string): PlanningBounds {
  const day = localDay(now, timezone);
  const lastUpcomingDay = addDays(day.date, UPCOMING_DAYS);
  return {
    now,
    today: day.date,
    todayStart: new Date(day.start),
    todayEnd: new Date(day.end),
    lastUpcomingDay,
    upcomingEnd: endOfLocalDay(lastUpcomingDay, timezone),
  };
}

export type UpcomingGroup<T> = { kind: "day"; date: string; tasks: T[] } | { kind: "empty"; from: string; to: string };

/**
 * Upcoming's days, tomorrow to today + UPCOMING_DAYS: a group per day with tasks, and each run of
 * consecutive empty days folded into one group. The tasks come sorted; they are grouped by their
 * stored local due date (a date outside the range joins the nearest end, which only a zone change
 * not yet applied could cause).
 */
export function groupUpcoming<T extends { dueDate: string | null }>(tasks: T[], today: string): UpcomingGroup<T>[] {
  const first = addDays(today, 1);
  const last = addDays(today, UPCOMING_DAYS);
  const byDay = new Map<string, T[]>();
  for (const task of tasks) {
    const date = !task.dueDate || task.dueDate < first ? first : task.dueDate > last ? last : task.dueDate;
    const list = byDay.get(date) ?? [];
    list.push(task);
    byDay.set(date, list);
  }
  const groups: UpcomingGroup<T>[] = [];
  for (let i = 1; i <= UPCOMING_DAYS; i++) {
    const date = addDays(today, i);
    const dayTasks = byDay.get(date);
    const previous = groups[groups.length - 1];
    if (dayTasks) groups.push({ kind: "day", date, tasks: dayTasks });
    else if (previous?.kind === "empty") previous.to = date;
    else groups.push({ kind: "empty", from: date, to: date });
  }
  return groups;
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const parts = (date: string) => {
  const d = new Date(utcDay(date));
  return { weekday: WEEKDAYS[d.getUTCDay()]!, day: d.getUTCDate(), month: MONTHS[d.getUTCMonth()]! };
};

/** "Wednesday 2 December": a day's heading in Upcoming (and Today's subtitle). */
export function dayHeading(date: string): string {
  const p = parts(date);
  return `${p.weekday} ${p.day} ${p.month}`;
}

/** "Nothing due Thu 3 – Sat 5 December", "Nothing due Mon 30 November – Tue 1 December", or one day. */
export function emptyDaysText(from: string, to: string): string {
  const a = parts(from);
  const b = parts(to);
  const short = (p: typeof a) => `${p.weekday.slice(0, 3)} ${p.day}`;
  if (from === to) return `Nothing due ${short(a)} ${a.month}`;
  if (a.month === b.month) return `Nothing due ${short(a)} – ${short(b)} ${b.month}`;
  return `Nothing due ${short(a)} ${a.month} – ${short(b)} ${b.month}`;
}

export const RESCHEDULE_CHOICES = ["today", "tomorrow", "next_week"] as const;

/** Next week's Monday: the coming Monday, or the one after it when today is a Monday. */
export function nextMonday(today: string): string {
  const weekday = new Date(utcDay(today)).getUTCDay();
  return addDays(today, ((8 - weekday) % 7) || 7);
}

export type RescheduleTarget = { ok: true; date: string; words: string } | { ok: false; error: string };

/**
 * What a reschedule's `to` means on the owner's `today`: today, tomorrow, next_week (Monday) or a
 * YYYY-MM-DD date in the range every due date keeps to. `words` finishes "moved to …".
 */
export function rescheduleTarget(to: string, today: string): RescheduleTarget {
  if (to === "today") return { ok: true, date: today, words: "today" };
  if (to === "tomorrow") return { ok: true, date: addDays(today, 1), words: "tomorrow" };
  if (to === "next_week") {
    const date = nextMonday(today);
    return { ok: true, date, words: `next week (${formatDate(date)})` };
  }
  if (to === "") return { ok: false, error: "Choose when to move it to: today, tomorrow, next week or a date." };
  if (!isRealDate(to)) return { ok: false, error: "Use a real date, as YYYY-MM-DD, or choose today, tomorrow or next week." };
  if (to < FIRST_DATE || to > LAST_DATE) return { ok: false, error: `Choose a date from ${FIRST_DATE} to ${LAST_DATE}.` };
  return { ok: true, date: to, words: to === today ? "today" : to === addDays(today, 1) ? "tomorrow" : formatDate(to) };
}
