import { calendarDays, localDay, utcDay } from "./due.js";

export interface DueLabel {
  /** e.g. "Thu 3 Dec 2026, 14:00" in the owner's zone. */
  absolute: string;
  /** e.g. "in 2 days", "today", "overdue by 3 days". */
  relative: string;
  /** For a <time datetime>: the date alone for a date-only deadline, else the instant (UTC, to the minute). */
  iso: string;
  state: "overdue" | "today" | "soon" | "later";
}

/**
 * What a due label needs to know about "now" for one owner: the instant and the owner's local
 * date. Computed once per request, so a list of 50 rows asks the zone database once, not 50 times
 * (the zone lookups were the largest single cost of rendering a list).
 */
export interface DueClock {
  now: Date;
  /** The owner's local date at `now`, YYYY-MM-DD. */
  today: string;
}

export function dueClock(now: Date, timezone: string): DueClock {
  return { now, today: localDay(now, timezone).date };
}

const days = (n: number) => `${n} ${n === 1 ? "day" : "days"}`;
const hours = (n: number) => `${n} ${n === 1 ? "hour" : "hours"}`;
const minutes = (n: number) => `${n} ${n === 1 ? "minute" : "minutes"}`;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Thu 3 Dec 2026": a calendar date as the app writes it everywhere. */
export function formatDate(isoDate: string): string {
  const d = new Date(utcDay(isoDate));
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/**
 * How a due date reads to its owner: absolute in their zone, and relative to now. The stored due
 * date and time are already the owner's local ones (kept so when their zone changes), so no zone
 * conversion is needed per task: only `clock.today`.
 */
export function describeDueOn(task: { dueDate: string; dueTime: string | null; dueAt: Date; done: boolean }, clock: DueClock): DueLabel {
  const absolute = task.dueTime ? `${formatDate(task.dueDate)}, ${task.dueTime.slice(0, 5)}` : formatDate(task.dueDate);
  const dayDiff = calendarDays(clock.today, task.dueDate);
  const msLeft = task.dueAt.getTime() - clock.now.getTime();
  const overdue = msLeft < 0 && !task.done;

  let relative: string;
  if (msLeft < 0) {
    const lateDays = -dayDiff;
    const late = lateDays >= 1 ? days(lateDays) : task.dueTime ? untilText(-msLeft) : "less than a day";
    relative = task.done ? `was due ${lateDays >= 1 ? `${days(lateDays)} ago` : "today"}` : `overdue by ${late}`;
  } else if (dayDiff === 0) {
    relative = task.dueTime ? `today, in ${untilText(msLeft)}` : "today";
  } else if (dayDiff === 1) {
    relative = "tomorrow";
  } else {
    relative = `in ${days(dayDiff)}`;
  }
  const state = overdue ? "overdue" : dayDiff === 0 ? "today" : dayDiff <= 2 ? "soon" : "later";
  const iso = task.dueTime ? `${task.dueAt.toISOString().slice(0, 16)}Z` : task.dueDate;
  return { absolute, relative, iso, state };
}

/** describeDueOn for a single task, when there is no per-request clock at hand. */
export function describeDue(task: { dueDate: string; dueTime: string | null; dueAt: Date; done: boolean }, now: Date, timezone: string): DueLabel {
  return describeDueOn(task, dueClock(now, timezone));
}

function untilText(ms: number): string {
  const totalMinutes = Math.max(1, Math.round(ms / 60000));
  return totalMinutes >= 60 ? hours(Math.round(totalMinutes / 60)) : minutes(totalMinutes);
}
