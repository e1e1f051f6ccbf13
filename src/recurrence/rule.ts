import * as rruleModule from "rrule";
import type { Options } from "rrule";

// rrule 2.8.1 ships a UMD build as "main", in which Node's ESM loader finds no named exports (they
// sit on the default export), and an ESM build as "module", which bundlers (the Worker) take.
// Reading the namespace covers both without a second copy of the library.
const { RRule } = (Reflect.get(rruleModule, "default") ?? rruleModule) as typeof rruleModule;

// Recurrence runs on LOCAL dates only. A YYYY-MM-DD date is handed to rrule as that date's UTC
// midnight ("floating" time): rrule never sees a zone, so a DST change cannot move an occurrence,
// and month ends and leap days follow the calendar. The due time is kept apart, and the due moment
// is computed in the owner's zone from date and time (dueMoment in src/tasks/due.ts).

export type Frequency = "DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY";
export type WeekdayCode = "MO" | "TU" | "WE" | "TH" | "FR" | "SA" | "SU";
export const WEEKDAY_CODES: readonly WeekdayCode[] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/** A day of the week, with an ordinal within the month or year when it has one (-1FR: the last Friday). */
export interface RuleWeekday {
  day: WeekdayCode;
  nth: number | null;
}

/** The RRULE subset SmartTask stores (RFC 5545, without DTSTART: the task's due date is the start). */
export interface ParsedRule {
  freq: Frequency;
  interval: number;
  byDay: RuleWeekday[];
  byMonthDay: number[];
  byMonth: number[];
  bySetPos: number[];
  count: number | null;
  /** The last date an occurrence may fall on (YYYY-MM-DD), inclusive. */
  until: string | null;
}

export const MAX_RULE_LENGTH = 500;
const MAX_INTERVAL = 999;
const MAX_COUNT = 9999;

const intIn = (text: string, min: number, max: number): number | null => {
  if (!/^[+-]?\d{1,4}$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max && n !== 0 ? n : null;
};

/** Each item of a comma list, or null when any item is not a non-zero integer in [min, max]. */
const intList = (text: string, min: number, max: number): number[] | null => {
  const values = text.split(",").map((item) => intIn(item, min, max));
  return values.every((v) => v !== null) && new Set(values).size === values.length ? (values as number[]) : null;
};

function parseWeekdays(text: string): RuleWeekday[] | null {
  const days: RuleWeekday[] = [];
  for (const item of text.split(",")) {
    const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
    if (!match) return null;
    const nth = match[1] === undefined ? null : intIn(match[1], -53, 53);
    if (match[1] !== undefined && nth === null) return null;
    days.push({ day: match[2] as WeekdayCode, nth });
  }
  return days;
}

/**
 * Reads an RRULE value (no DTSTART, no "RRULE:" prefix) within SmartTask's subset, or null:
 * FREQ (DAILY, WEEKLY, MONTHLY, YEARLY), INTERVAL, BYDAY (with ordinals such as -1FR in monthly and
 * yearly rules), BYMONTHDAY (negatives count from the month's end), BYMONTH, BYSETPOS, and at most
 * one of COUNT and UNTIL (a date, YYYYMMDD).
 * @example parseRule("FREQ=MONTHLY;BYMONTHDAY=-1") // { freq: "MONTHLY", byMonthDay: [-1], … }
 */
export function parseRule(rrule: string): ParsedRule | null {
  if (rrule.length === 0 || rrule.length > MAX_RULE_LENGTH) return null;
  const parts = new Map<string, string>();
  for (const part of rrule.split(";")) {
    const match = /^([A-Z]+)=([^;=]+)$/.exec(part);
    if (!match || parts.has(match[1]!)) return null;
    parts.set(match[1]!, match[2]!);
  }
  const rule: ParsedRule = { freq: "DAILY", interval: 1, byDay: [], byMonthDay: [], byMonth: [], bySetPos: [], count: null, until: null };
  for (const [key, value] of parts) {
    switch (key) {
      case "FREQ":
        if (!["DAILY", "WEEKLY", "MONTHLY", "YEARLY"].includes(value)) return null;
        rule.freq = value as Frequency;
        break;
      case "INTERVAL": {
        const n = intIn(value, 1, MAX_INTERVAL);
        if (n === null) return null;
        rule.interval = n;
        break;
      }
      case "BYDAY": {
        const days = parseWeekdays(value);
        if (!days) return null;
        rule.byDay = days;
        break;
      }
      case "BYMONTHDAY": {
        const days = intList(value, -31, 31);
        if (!days) return null;
        rule.byMonthDay = days;
        break;
      }
      case "BYMONTH": {
        const months = intList(value, 1, 12);
        if (!months) return null;
        rule.byMonth = months;
        break;
      }
      case "BYSETPOS": {
        const positions = intList(value, -366, 366);
        if (!positions) return null;
        rule.bySetPos = positions;
        break;
      }
      case "COUNT": {
        const n = intIn(value, 1, MAX_COUNT);
        if (n === null) return null;
        rule.count = n;
        break;
      }
      case "UNTIL": {
        const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
        const date = match ? `${match[1]}-${match[2]}-${match[3]}` : "";
        if (!match || !isCalendarDate(date)) return null;
        rule.until = date;
        break;
      }
      default:
        return null;
    }
  }
  if (!parts.has("FREQ")) return null;
  if (rule.count !== null && rule.until !== null) return null; // RFC 5545: one or the other
  // RFC 5545: BYMONTHDAY never in a weekly rule; ordinal days only in monthly and yearly ones;
  // BYSETPOS only alongside another BYxxx part.
  if (rule.freq === "WEEKLY" && rule.byMonthDay.length) return null;
  if (rule.byDay.some((d) => d.nth !== null) && rule.freq !== "MONTHLY" && rule.freq !== "YEARLY") return null;
  if (rule.freq === "MONTHLY" && rule.byDay.some((d) => d.nth !== null && Math.abs(d.nth) > 5)) return null;
  if (rule.bySetPos.length && !rule.byDay.length && !rule.byMonthDay.length && !rule.byMonth.length) return null;
  return fallsOnSomeDate(rule) ? rule : null;
}

const LEAP_MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Only rule shapes that certainly fall on some date: rrule walks a rule that never does (the 30th
 * of February, the 9th Monday of a month) period by period up to the year 9999, whatever its
 * UNTIL (measured: 16 s for a daily one), so such rules are not read at all. The shapes are the
 * ones the form and quick add write (and RFC 5545 allows more): daily and weekly rules filter by
 * nothing but weekdays; monthly ones by month days or weekdays; yearly ones by months with their
 * days; a set position never beyond what the month or year can hold.
 */
function fallsOnSomeDate(rule: ParsedRule): boolean {
  const within = (limit: number) => rule.bySetPos.every((p) => Math.abs(p) <= limit);
  const plainDays = rule.byDay.every((d) => d.nth === null);
  switch (rule.freq) {
    case "DAILY":
      return !rule.byDay.length && !rule.byMonthDay.length && !rule.byMonth.length && !rule.bySetPos.length;
    case "WEEKLY":
      return plainDays && !rule.byMonth.length && !rule.bySetPos.length;
    case "MONTHLY":
      if (rule.byMonth.length || (rule.byDay.length && rule.byMonthDay.length)) return false;
      if (rule.byMonthDay.length) return within(rule.byMonthDay.length);
      // Every weekday falls 4 or 5 times in a month; an ordinal day stands alone.
      return plainDays ? within(4 * rule.byDay.length) : !rule.bySetPos.length;
    case "YEARLY": {
      if (rule.byDay.length) return false;
      // Months without days take the start date's day, which may not exist in them (the 31st of February).
      if (rule.byMonth.length && !rule.byMonthDay.length) return false;
      const months = rule.byMonth.length ? rule.byMonth : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
      const dates = months.reduce((n, m) => n + rule.byMonthDay.filter((d) => Math.abs(d) <= LEAP_MONTH_DAYS[m - 1]!).length, 0);
      return rule.byMonthDay.length ? dates > 0 && within(dates) : !rule.bySetPos.length;
    }
  }
}

const isCalendarDate = (date: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(date) && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date);

/** A YYYY-MM-DD date as rrule's floating date (that date's UTC midnight). */
const floating = (date: string): Date => new Date(`${date}T00:00:00Z`);
const dateOf = (at: Date): string => at.toISOString().slice(0, 10);

/** rrule's options for a parsed rule started at `start`; COUNT is left to the callers (see below). */
function rruleFor(rule: ParsedRule, start: string): InstanceType<typeof RRule> {
  const options: Partial<Options> = {
    freq: RRule[rule.freq],
    interval: rule.interval,
    dtstart: floating(start),
    wkst: RRule.MO,
    until: rule.until ? floating(rule.until) : null,
  };
  if (rule.byDay.length) options.byweekday = rule.byDay.map((d) => (d.nth === null ? RRule[d.day] : RRule[d.day].nth(d.nth)));
  if (rule.byMonthDay.length) options.bymonthday = rule.byMonthDay;
  if (rule.byMonth.length) options.bymonth = rule.byMonth;
  if (rule.bySetPos.length) options.bysetpos = rule.bySetPos;
  return new RRule(options);
}

// COUNT is the length of the whole series, which began at the task's first due date; the task
// carries the number of its current occurrence (tasks.occurrence), so the series is continued from
// the current date and the count checked against that number rather than handed to rrule (which
// would count again from the date it is given).

/**
 * The first local date on or after `onOrAfter` that the rule produces (a new repeating task's due
 * date when the typed date does not match its rule), or null when it produces none.
 * @example firstOccurrence("FREQ=WEEKLY;BYDAY=SU", "2025-12-03") // "2025-12-07"
 */
export function firstOccurrence(rrule: string, onOrAfter: string): string | null {
  const rule = parseRule(rrule);
  if (!rule || !isCalendarDate(onOrAfter)) return null;
  const at = rruleFor(rule, onOrAfter).after(floating(onOrAfter), true);
  return at ? dateOf(at) : null;
}

/**
 * The occurrence strictly after the local date `after`, or null when the series has ended: its
 * COUNT reached (`occurrence` is the number of the current occurrence, 1-based) or its UNTIL passed.
 * @example nextOccurrence("FREQ=MONTHLY;BYMONTHDAY=-1", "2027-01-31", 1) // "2027-02-28"
 */
export function nextOccurrence(rrule: string, after: string, occurrence: number): string | null {
  return occurrenceFrom(rrule, after, occurrence, after)?.date ?? null;
}

/** An occurrence in the series and its number. */
export interface Occurrence {
  date: string;
  occurrence: number;
}

/**
 * The first occurrence after `after` that falls on or after `notBefore`, numbered: occurrences
 * passed over on the way (missed days of an overdue daily task) count towards COUNT but are not
 * returned. Null when the series ends first.
 * @example occurrenceFrom("FREQ=DAILY", "2025-12-01", 1, "2025-12-05") // { date: "2025-12-05", occurrence: 5 }
 */
export function occurrenceFrom(rrule: string, after: string, occurrence: number, notBefore: string): Occurrence | null {
  const rule = parseRule(rrule);
  if (!rule || !isCalendarDate(after) || !isCalendarDate(notBefore)) return null;
  const series = rruleFor(rule, after);
  // Occurrences strictly between `after` and `notBefore` are passed over (and counted).
  const passed = notBefore > after ? series.between(floating(after), floating(notBefore), false).length : 0;
  const at = notBefore > after ? series.after(floating(notBefore), true) : series.after(floating(after), false);
  if (!at) return null;
  const number = occurrence + passed + 1;
  if (rule.count !== null && number > rule.count) return null;
  return { date: dateOf(at), occurrence: number };
}
