import { DateTime } from "luxon";

// luxon reads IANA zones through Intl, which Node and workerd both ship, and does the DST
// arithmetic (gaps, repeated hours) we would otherwise get wrong by hand.

/**
 * The exact due moment: the given time that day, or the end of that day, in the owner's zone. A
 * time that occurs twice (the hour repeated when clocks go back) means its first occurrence.
 */
export function dueMoment(dueDate: string, dueTime: string | null, timezone: string): Date {
  const key = `${timezone} ${dueDate} ${dueTime ?? ""}`;
  let at = moments.get(key);
  if (at === undefined) {
    const day = DateTime.fromISO(dueDate, { zone: timezone });
    const moment = dueTime ? day.set({ hour: Number(dueTime.slice(0, 2)), minute: Number(dueTime.slice(3, 5)) }) : day.endOf("day");
    at = moment.toMillis();
    // Bounded: a full map starts again rather than growing with every date ever typed.
    if (moments.size >= 10_000) moments.clear();
    moments.set(key, at);
  }
  return new Date(at);
}

// Each luxon step above costs Intl offset look-ups (10 % of a create's CPU), while people keep
// typing the same few dates; the answer for a zone, date and time never changes in a process.
const moments = new Map<string, number>();

const DAY_MS = 24 * 60 * 60 * 1000;

/** Midnight UTC of a YYYY-MM-DD date: calendar arithmetic without any zone's DST in the way. */
export function utcDay(isoDate: string): number {
  return Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10)));
}

/** Whole calendar days from `from` to `to` (both YYYY-MM-DD; negative when `to` is earlier). */
export function calendarDays(from: string, to: string): number {
  return Math.round((utcDay(to) - utcDay(from)) / DAY_MS);
}

export interface DueWindows {
  now: Date;
  todayStart: Date;
  todayEnd: Date;
  /** End of the seventh day after today: the "next 7 days" filter runs up to here. */
  weekEnd: Date;
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
  const day = {
    date: local.toISODate()!,
    start: local.startOf("day").toJSDate(),
    end: local.endOf("day").toJSDate(),
    weekEnd: local.plus({ days: 7 }).endOf("day").toJSDate(),
  };
  days.set(timezone, day);
  return day;
}

/**
 * The canonical name of a zone both Intl and PostgreSQL know, or null. Aliases browsers report
 * (Asia/Kolkata, Europe/Kyiv) map to the names in our list; names Intl still accepts but
 * PostgreSQL has dropped (US/Pacific-New) map to their current zone; anything else is refused.
 * Only canonical names are stored, because one name PostgreSQL rejects in `AT TIME ZONE` would
 * fail every reminder scan.
 */
export function canonicalTimezone(name: string): string | null {
  if (name.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+){0,2}$/.test(name)) return null;
  let canonical: string;
  try {
    canonical = new Intl.DateTimeFormat("en", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  if (canonical === "UTC" || knownZones().has(canonical)) return canonical;
  // Fixed offsets (Etc/GMT+12 is the only zone at UTC−12); PostgreSQL knows Etc/GMT-14 … Etc/GMT+12.
  return /^Etc\/GMT[+-]\d{1,2}$/.test(canonical) ? canonical : null;
}

export function isKnownTimezone(name: string): boolean {
  return canonicalTimezone(name) !== null;
}

let zones: Set<string> | undefined;
function knownZones(): Set<string> {
  zones ??= new Set(Intl.supportedValuesOf("timeZone"));
  return zones;
}

export function timezoneNames(): string[] {
  return ["UTC", ...[...knownZones()].filter((z) => z !== "UTC").sort()];
}
