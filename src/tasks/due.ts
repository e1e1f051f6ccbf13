import { DateTime } from "luxon";
import type { DueWindows } from "../db/task-query.js";

// luxon reads IANA zones through Intl, which Node and workerd both ship, and does the DST
// arithmetic (gaps, repeated hours) we would otherwise get wrong by hand.

/**
 * The exact due moment: the given time that day, or the end of that day (the millisecond before
 * the next date begins), in the owner's zone. A time that occurs twice (the hour repeated when
 * clocks go back) means its first occurrence.
 */
export function dueMoment(dueDate: string, dueTime: string | null, timezone: string): Date {
  const key = `${timezone} ${dueDate} ${dueTime ?? ""}`;
  let at = moments.get(key);
  if (at === undefined) {
    const day = DateTime.fromISO(dueDate, { zone: timezone });
    const moment = dueTime ? day.set({ hour: Number(dueTime.slice(0, 2)), minute: Number(dueTime.slice(3, 5)) }) : endOfDay(day, dueDate);
    at = moment.toMillis();
    // Bounded: a full map starts again rather than growing with every date ever typed.
    if (moments.size >= 10_000) moments.clear();
    moments.set(key, at);
  }
  return new Date(at);
}

/**
 * luxon's end of the day is the first moment of the next date minus 1 ms, with that midnight read
 * at the day's offset (so a midnight that occurs twice counts its first time). A date the zone
 * skipped (Samoa's 2011-12-30) has no moment of its own: luxon would end the next day instead.
 */
function endOfDay(day: DateTime, date: string): DateTime {
  const end = day.endOf("day");
  return end.toISODate() === date ? end : DateTime.fromISO(addDays(date, 1), { zone: day.zone }).minus(1);
}

// Each luxon step above costs Intl offset look-ups (10 % of a create's CPU), while people keep
// typing the same few dates; the answer for a zone, date and time never changes in a process.
const moments = new Map<string, number>();

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Midnight UTC of a YYYY-MM-DD date: calendar arithmetic without any zone's DST in the way. */
export function utcDay(isoDate: string): number {
  let ms = UTC_DAYS.get(isoDate);
  if (ms === undefined) {
    ms = Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10)));
    if (UTC_DAYS.size >= 4096) UTC_DAYS.clear();
    UTC_DAYS.set(isoDate, ms);
  }
  return ms;
}
// A list page works out the same few dates dozens of times (three per row, ~17 rows per day):
// a lookup is a fraction of Date.UTC's cost, which topped the row's own profile (issue #8).
const UTC_DAYS = new Map<string, number>();

/** Whole calendar days from `from` to `to` (both YYYY-MM-DD; negative when `to` is earlier). */
export function calendarDays(from: string, to: string): number {
  return Math.round((utcDay(to) - utcDay(from)) / DAY_MS);
}

/** The date `days` calendar days after `isoDate` (YYYY-MM-DD; negative goes back). */
export function addDays(isoDate: string, days: number): string {
  return new Date(utcDay(isoDate) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The last millisecond of a local date in a zone: a date-only deadline's moment, and when a day's
 * reminders stop being worth sending. SQL form: `endOfLocalDaySql` (src/db/calendar.ts).
 */
export function endOfLocalDay(date: string, timezone: string): Date {
  return dueMoment(date, null, timezone);
}

/**
 * The first moment of local date `date` whose hour is `hour` or later: when a day's reminders go
 * out. SQL form: `localHourSql(now, zone) >= hour` (src/db/calendar.ts). An hour that occurs twice
 * counts from its first time; where clocks jump over the hour, it is the jump itself (luxon alone
 * would take the later time, and move a skipped hour on by the jump's length).
 */
export function firstMomentAtHour(date: string, hour: number, timezone: string): Date {
  const wall = utcDay(date) + hour * HOUR_MS;
  const at = (ms: number) => DateTime.fromMillis(ms, { zone: timezone });
  // The offsets in force around that wall time; each reading that really shows it is a candidate.
  const offsets = new Set([-DAY_MS, 0, DAY_MS].map((k) => at(wall + k).offset));
  const exact = [...offsets].map((o) => wall - o * 60_000).filter((ms) => at(ms).toISODate() === date && at(ms).hour === hour && at(ms).minute === 0);
  if (exact.length) return new Date(Math.min(...exact));
  // Skipped: the first moment after the jump (earliest to latest offsets span under two days).
  const reached = (ms: number) => {
    const local = at(ms);
    return local.toISODate()! > date || (local.toISODate() === date && local.hour >= hour);
  };
  let [lo, hi] = [wall - 2 * DAY_MS, wall + 2 * DAY_MS];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (reached(mid)) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/** The owner's local date at `now`. SQL form: `localDateSql` (src/db/calendar.ts). */
export function localDate(now: Date, timezone: string): string {
  return localDay(now, timezone).date;
}

/** A deadline moved to the owner's tomorrow (the email's "Move to tomorrow"), keeping its time of day. */
export function dueTomorrow(dueTime: string | null, timezone: string, now: Date): { dueDate: string; dueTime: string | null; dueAt: Date } {
  const dueDate = addDays(localDate(now, timezone), 1);
  const time = dueTime ? dueTime.slice(0, 5) : null;
  return { dueDate, dueTime: time, dueAt: dueMoment(dueDate, time, timezone) };
}


export function dueWindows(now: Date, timezone: string): DueWindows {
  const day = localDay(now, timezone);
  // Copies: the cached day is shared by every request in this zone.
  return { now, todayStart: new Date(day.start), todayEnd: new Date(day.end), weekEnd: new Date(day.weekEnd) };
}

/** The owner's current local day: its date, its bounds, and the end of the 7 days after it. */
export interface LocalDay {
  date: string;
  start: Date;
  end: Date;
  weekEnd: Date;
}

// Zone arithmetic costs tens of microseconds per call (Intl offset look-ups), and every list
// request needs today's bounds; they only change at local midnight, so they are kept per zone
// until then. At most one entry per IANA zone (about 400).
const days = new Map<string, LocalDay>();

export function localDay(now: Date, timezone: string): LocalDay {
  const cached = days.get(timezone);
  if (cached && now >= cached.start && now <= cached.end) return cached;
  const local = DateTime.fromJSDate(now, { zone: timezone });
  const date = local.toISODate()!;
  const day = { date, start: local.startOf("day").toJSDate(), end: endOfLocalDay(date, timezone), weekEnd: endOfLocalDay(addDays(date, 7), timezone) };
  days.set(timezone, day);
  return day;
}

