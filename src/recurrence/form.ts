import { firstOccurrence, parseRule, WEEKDAY_CODES, type ParsedRule, type WeekdayCode } from "./rule.js";

// The task form's "Repeat" fields and the RRULE they stand for, both ways. The form offers the
// common shapes (the quick-add parser's conventions); a rule it cannot show (typed elsewhere, or
// imported) is kept as it is under "custom", so opening and saving the form never changes it.

export const REPEAT_KINDS = ["never", "daily", "weekdays", "weekly", "monthly", "yearly", "custom"] as const;
export type RepeatKind = (typeof REPEAT_KINDS)[number];
export const MONTHLY_MODES = ["day", "last_day", "first_weekday", "last_weekday", "nth_weekday"] as const;
export type MonthlyMode = (typeof MONTHLY_MODES)[number];
export const REPEAT_ENDS = ["never", "count", "until"] as const;

/** The Repeat fields as typed (strings, kept verbatim for a form shown again with errors). */
export interface RepeatFields {
  repeat: string;
  repeat_every: string;
  /** Weekday codes, comma-separated ("MO,TH"); none: the due date's weekday. */
  repeat_days: string;
  repeat_monthly: string;
  /** 1 to 31; blank: the due date's day. */
  repeat_month_day: string;
  /** 1 to 4 or -1 (last), with repeat_nth_day, for "the second Tuesday". */
  repeat_nth: string;
  repeat_nth_day: string;
  repeat_from: string;
  repeat_end: string;
  repeat_count: string;
  repeat_until: string;
  /** The rule "custom" keeps. */
  repeat_rule: string;
}

export type RepeatErrors = Partial<Record<keyof RepeatFields, string>>;

export const MAX_EVERY = 999;
export const MAX_COUNT = 999;

export function noRepeat(): RepeatFields {
  return {
    repeat: "never",
    repeat_every: "1",
    repeat_days: "",
    repeat_monthly: "day",
    repeat_month_day: "",
    repeat_nth: "1",
    repeat_nth_day: "MO",
    repeat_from: "due",
    repeat_end: "never",
    repeat_count: "",
    repeat_until: "",
    repeat_rule: "",
  };
}

const WORKWEEK: WeekdayCode[] = ["MO", "TU", "WE", "TH", "FR"];
const weekdayOf = (date: string): WeekdayCode => WEEKDAY_CODES[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7]!;
const dayOf = (date: string) => Number(date.slice(8, 10));
const monthOf = (date: string) => Number(date.slice(5, 7));
const positive = (text: string, max: number): number | null => (/^\d{1,4}$/.test(text.trim()) && Number(text) >= 1 && Number(text) <= max ? Number(text) : null);

/** Day d of the month, the calendar way: from the 29th on, the month's last day when it is shorter. */
function monthDayPart(d: number): string {
  if (d <= 28) return `BYMONTHDAY=${d}`;
  const days = Array.from({ length: d - 27 }, (_, i) => 28 + i);
  return `BYMONTHDAY=${days.join(",")};BYSETPOS=-1`;
}

/**
 * The rule the fields describe, for a task due on `dueDate` (the day a weekly, monthly or yearly
 * rule takes when none is chosen). `rrule: null` for "never".
 */
export function ruleFromFields(f: RepeatFields, dueDate: string | null): { ok: true; rrule: string | null; repeatFrom: "due" | "completion" } | { ok: false; errors: RepeatErrors } {
  const errors: RepeatErrors = {};
  const kind = (REPEAT_KINDS as readonly string[]).includes(f.repeat) ? (f.repeat as RepeatKind) : null;
  if (!kind) return { ok: false, errors: { repeat: "Choose how the task repeats." } };
  const repeatFrom = f.repeat_from === "completion" ? "completion" : "due";
  if (kind === "never") return { ok: true, rrule: null, repeatFrom };
  if (!dueDate) errors.repeat = "A repeating task needs a due date: add the date it is first due.";
  if (kind === "custom") {
    if (!parseRule(f.repeat_rule)) errors.repeat = "That repetition cannot be read any more: choose another.";
    // A rule can parse and still never fall on a date (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30).
    else if (dueDate && firstOccurrence(f.repeat_rule, dueDate) === null) errors.repeat = "That repetition never falls on a date: choose another.";
    return Object.keys(errors).length ? { ok: false, errors } : { ok: true, rrule: f.repeat_rule, repeatFrom };
  }
  const every = positive(f.repeat_every || "1", MAX_EVERY);
  if (every === null) errors.repeat_every = `Repeat every 1 to ${MAX_EVERY}.`;
  const parts: string[] = [];
  const date = dueDate ?? "2000-01-01";
  if (kind === "daily") parts.push("FREQ=DAILY");
  if (kind === "weekdays") parts.push("FREQ=WEEKLY", `BYDAY=${WORKWEEK.join(",")}`);
  if (kind === "weekly") {
    const days = f.repeat_days ? f.repeat_days.split(",") : [weekdayOf(date)];
    if (!days.every((d) => (WEEKDAY_CODES as readonly string[]).includes(d))) errors.repeat_days = "Choose days of the week.";
    // In the week's order, however they were sent.
    parts.push("FREQ=WEEKLY", `BYDAY=${WEEKDAY_CODES.filter((d) => days.includes(d)).join(",")}`);
  }
  if (kind === "monthly") {
    parts.push("FREQ=MONTHLY");
    const mode = f.repeat_monthly as MonthlyMode;
    if (mode === "last_day") parts.push("BYMONTHDAY=-1");
    else if (mode === "first_weekday" || mode === "last_weekday") parts.push(`BYDAY=${WORKWEEK.join(",")}`, `BYSETPOS=${mode === "first_weekday" ? 1 : -1}`);
    else if (mode === "nth_weekday") {
      const nth = ["1", "2", "3", "4", "-1"].includes(f.repeat_nth) ? f.repeat_nth : null;
      const day = (WEEKDAY_CODES as readonly string[]).includes(f.repeat_nth_day) ? f.repeat_nth_day : null;
      if (!nth || !day) errors.repeat_monthly = "Choose which weekday of the month.";
      else parts.push(`BYDAY=${nth}${day}`);
    } else if (mode === "day") {
      const d = f.repeat_month_day.trim() ? positive(f.repeat_month_day, 31) : dayOf(date);
      if (d === null) errors.repeat_month_day = "Choose a day of the month from 1 to 31.";
      else parts.push(monthDayPart(d));
    } else errors.repeat_monthly = "Choose which day of the month.";
  }
  if (kind === "yearly") {
    // On the due date's day each year; 29 February falls on the 28th in other years.
    const leapDay = monthOf(date) === 2 && dayOf(date) === 29;
    parts.push("FREQ=YEARLY", `BYMONTH=${monthOf(date)}`, leapDay ? "BYMONTHDAY=28,29;BYSETPOS=-1" : `BYMONTHDAY=${dayOf(date)}`);
  }
  if (every !== null && every > 1) parts.splice(1, 0, `INTERVAL=${every}`);
  if (f.repeat_end === "count") {
    const count = positive(f.repeat_count, MAX_COUNT);
    if (count === null) errors.repeat_count = `Give a number of times from 1 to ${MAX_COUNT}.`;
    else parts.push(`COUNT=${count}`);
  } else if (f.repeat_end === "until") {
    const until = f.repeat_until.trim();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || Number.isNaN(Date.parse(`${until}T00:00:00Z`)) || !new Date(`${until}T00:00:00Z`).toISOString().startsWith(until)) errors.repeat_until = "Use a real date, as YYYY-MM-DD.";
    else if (dueDate && until < dueDate) errors.repeat_until = "The last date cannot be before the due date.";
    else parts.push(`UNTIL=${until.replace(/-/g, "")}`);
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const rrule = parts.join(";");
  // Belt and braces: what the form builds is always inside the subset the rest of the app reads.
  if (!parseRule(rrule)) return { ok: false, errors: { repeat: "That repetition cannot be saved: choose another." } };
  return { ok: true, rrule, repeatFrom };
}

/** The fields that show a stored rule (for a task due on `dueDate`); "custom" when the form cannot show it. */
export function fieldsFromRule(rrule: string | null, repeatFrom: "due" | "completion", dueDate: string | null): RepeatFields {
  const fields = { ...noRepeat(), repeat_from: repeatFrom };
  if (!rrule) return fields;
  const rule = parseRule(rrule);
  const custom = { ...fields, repeat: "custom", repeat_rule: rrule };
  if (!rule) return custom;
  const shown = { ...fields, ...shapeOf(rule), repeat_every: String(rule.interval) };
  if (rule.count !== null) Object.assign(shown, { repeat_end: "count", repeat_count: String(rule.count) });
  if (rule.until !== null) Object.assign(shown, { repeat_end: "until", repeat_until: rule.until });
  // Only when the fields give back exactly this rule; anything else is kept as it is.
  const again = ruleFromFields(shown, dueDate);
  return again.ok && again.rrule === rrule ? shown : custom;
}

function shapeOf(rule: ParsedRule): Partial<RepeatFields> {
  const plain = rule.byDay.every((d) => d.nth === null) ? rule.byDay.map((d) => d.day) : [];
  const workweek = plain.length === 5 && WORKWEEK.every((d) => plain.includes(d));
  switch (rule.freq) {
    case "DAILY":
      return { repeat: "daily" };
    case "WEEKLY":
      return workweek && rule.interval === 1 ? { repeat: "weekdays" } : { repeat: "weekly", repeat_days: plain.join(",") };
    case "MONTHLY": {
      if (rule.byMonthDay.length === 1 && rule.byMonthDay[0] === -1) return { repeat: "monthly", repeat_monthly: "last_day" };
      if (workweek && rule.bySetPos.length === 1) return { repeat: "monthly", repeat_monthly: rule.bySetPos[0] === 1 ? "first_weekday" : "last_weekday" };
      const nth = rule.byDay.length === 1 && rule.byDay[0]!.nth !== null ? rule.byDay[0]! : null;
      if (nth) return { repeat: "monthly", repeat_monthly: "nth_weekday", repeat_nth: String(nth.nth), repeat_nth_day: nth.day };
      return { repeat: "monthly", repeat_monthly: "day", repeat_month_day: String(Math.max(0, ...rule.byMonthDay)) };
    }
    case "YEARLY":
      return { repeat: "yearly" };
  }
}
