/*
 * The repetition phrases quick add understands. chrono parses dates, not rules, so these few
 * fixed English patterns are matched here, one table, each entry a regular expression and what it
 * means as RRULE parts (RFC 5545, the subset src/recurrence/ stores). A rule that needs a day the
 * phrase does not name ("every week": which weekday?) takes it from its anchor: the date typed
 * beside it, else today.
 *
 * "every!" (with the bang) repeats from completion, "every" from the due date (Todoist's words).
 */

export type Weekday = "MO" | "TU" | "WE" | "TH" | "FR" | "SA" | "SU";
const WEEK: Weekday[] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const WORKDAYS: Weekday[] = ["MO", "TU", "WE", "TH", "FR"];

/** A rule still missing the day its anchor gives ("every week" → the anchor's weekday). */
export type Anchor = "none" | "weekday" | "monthday" | "yearday";

export interface RepetitionParts {
  freq: "DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY";
  interval: number;
  byMonth?: number;
  byMonthDay?: number[];
  byDay?: string[];
  bySetPos?: number;
  anchor: Anchor;
}

export interface RepetitionMatch {
  start: number;
  end: number;
  parts: RepetitionParts;
  fromCompletion: boolean;
}

const DAY_NAMES: [RegExp, Weekday][] = [
  [/^mon(day)?s?$/, "MO"],
  [/^tue(s|sday)?s?$/, "TU"],
  [/^wed(nesday)?s?$/, "WE"],
  [/^thu(r|rs|rsday)?s?$/, "TH"],
  [/^fri(day)?s?$/, "FR"],
  [/^sat(urday)?s?$/, "SA"],
  [/^sun(day)?s?$/, "SU"],
];
const DAY = String.raw`(?:mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)s?`;
/** "mon", "mon and thu", "monday, wednesday and friday", "tue & thu" */
const DAYS = String.raw`${DAY}(?:\s*(?:,|and|&|,\s*and)\s*${DAY})*`;
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;
const ORDINAL_DAY = String.raw`(?<day>[1-9]|[12]\d|3[01])(?:st|nd|rd|th)`;
const PLAIN_DAY = String.raw`(?<day>[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?`;
const NTH = String.raw`(?<nth>first|1st|second|2nd|third|3rd|fourth|4th|last)`;
const EVERY = String.raw`every(?<bang>!)?`;
/** "3", "other" (= 2); absent = 1. */
const N = String.raw`(?:(?<n>\d{1,3}|other)\s+)?`;
const EACH_MONTH = String.raw`(?:every|each)(?<bang2>!)?\s+month`;

const b = (source: string) => new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${source})(?![\p{L}\p{N}])`, "iu");

function interval(groups: Record<string, string | undefined>): number {
  const n = groups.n;
  if (!n) return 1;
  return n.toLowerCase() === "other" ? 2 : Number(n);
}

function days(text: string): Weekday[] {
  const found = new Set<Weekday>();
  for (const word of text.toLowerCase().split(/[^a-z]+/)) {
    const hit = DAY_NAMES.find(([re]) => re.test(word));
    if (hit) found.add(hit[1]);
  }
  return WEEK.filter((d) => found.has(d));
}

function nth(word: string): number {
  const w = word.toLowerCase();
  if (w === "last") return -1;
  return w.startsWith("f") || w === "1st" ? 1 : w.startsWith("s") || w === "2nd" ? 2 : w.startsWith("t") || w === "3rd" ? 3 : 4;
}

function monthOf(word: string): number {
  return MONTHS.indexOf(word.toLowerCase().slice(0, 3)) + 1;
}

/** Monthly on day d: from the 29th on, "28..d" with BYSETPOS=-1 so shorter months get their last day. */
export function monthDayParts(day: number): Pick<RepetitionParts, "byMonthDay" | "bySetPos"> {
  if (day <= 28) return { byMonthDay: [day] };
  return { byMonthDay: Array.from({ length: day - 27 }, (_, i) => 28 + i), bySetPos: -1 };
}

type Entry = [RegExp, (g: Record<string, string | undefined>, text: string) => Omit<RepetitionParts, "anchor"> & { anchor?: Anchor }];

/** Most specific first: the first entry that matches anywhere in the text wins. */
const TABLE: Entry[] = [
  // Month ends: "on the last day of every month", "every month on the last day", "every last day of the month".
  [b(String.raw`(?:on\s+)?the\s+last\s+day\s+of\s+${EACH_MONTH.replace("(?<bang2>", "(?<bang>")}`), () => ({ freq: "MONTHLY", interval: 1, byMonthDay: [-1] })],
  [b(String.raw`${EVERY}\s+month\s+on\s+the\s+last\s+day`), () => ({ freq: "MONTHLY", interval: 1, byMonthDay: [-1] })],
  [b(String.raw`${EVERY}\s+last\s+day\s+of\s+the\s+month`), () => ({ freq: "MONTHLY", interval: 1, byMonthDay: [-1] })],
  // First / last working day: "every first weekday of the month", "on the last weekday of every month".
  [b(String.raw`${EVERY}\s+(?<pos>first|last)\s+(?:weekday|workday|working\s+day)(?:\s+of\s+the\s+month)?`), (g) => ({ freq: "MONTHLY", interval: 1, byDay: WORKDAYS, bySetPos: g.pos!.toLowerCase() === "last" ? -1 : 1 })],
  [b(String.raw`(?:on\s+)?the\s+(?<pos>first|last)\s+(?:weekday|workday|working\s+day)\s+of\s+${EACH_MONTH.replace("(?<bang2>", "(?<bang>")}`), (g) => ({ freq: "MONTHLY", interval: 1, byDay: WORKDAYS, bySetPos: g.pos!.toLowerCase() === "last" ? -1 : 1 })],
  // The nth weekday: "every last friday", "every first monday of the month", "on the 2nd tuesday of every month".
  [b(String.raw`${EVERY}\s+${NTH}\s+(?<dayname>${DAY})(?:\s+of\s+the\s+month)?`), (g) => ({ freq: "MONTHLY", interval: 1, byDay: [`${nth(g.nth!)}${days(g.dayname!)[0]}`] })],
  [b(String.raw`(?:on\s+)?the\s+${NTH}\s+(?<dayname>${DAY})\s+of\s+${EACH_MONTH.replace("(?<bang2>", "(?<bang>")}`), (g) => ({ freq: "MONTHLY", interval: 1, byDay: [`${nth(g.nth!)}${days(g.dayname!)[0]}`] })],
  // A day of the month: "every month on the 15th", "on the 15th of every month", "every 15th".
  [b(String.raw`${EVERY}\s+${N}months?\s+on\s+the\s+${PLAIN_DAY}`), (g) => ({ freq: "MONTHLY", interval: interval(g), ...monthDayParts(Number(g.day)) })],
  [b(String.raw`(?:on\s+)?the\s+${ORDINAL_DAY}\s+of\s+${EACH_MONTH.replace("(?<bang2>", "(?<bang>")}`), (g) => ({ freq: "MONTHLY", interval: 1, ...monthDayParts(Number(g.day)) })],
  [b(String.raw`${EVERY}\s+${ORDINAL_DAY}(?:\s+of\s+the\s+month)?`), (g) => ({ freq: "MONTHLY", interval: 1, ...monthDayParts(Number(g.day)) })],
  // A date each year: "every 3 june", "every june 3rd", "every 3rd of june".
  [b(String.raw`${EVERY}\s+${PLAIN_DAY}(?:\s+of)?\s+(?<month>${MONTH})`), (g) => ({ freq: "YEARLY", interval: 1, byMonth: monthOf(g.month!), byMonthDay: [Number(g.day)] })],
  [b(String.raw`${EVERY}\s+(?<month>${MONTH})\s+${PLAIN_DAY}`), (g) => ({ freq: "YEARLY", interval: 1, byMonth: monthOf(g.month!), byMonthDay: [Number(g.day)] })],
  // Working days before named days: "every weekday" is Monday to Friday.
  [b(String.raw`${EVERY}\s+(?:weekday|workday|working\s+day)s?`), () => ({ freq: "WEEKLY", interval: 1, byDay: WORKDAYS })],
  [b(String.raw`${EVERY}\s+${N}(?<list>${DAYS})`), (g) => ({ freq: "WEEKLY", interval: interval(g), byDay: days(g.list!) })],
  [b(String.raw`${EVERY}\s+${N}weeks?(?:\s+on\s+(?<list>${DAYS}))?`), (g) =>
    g.list ? { freq: "WEEKLY", interval: interval(g), byDay: days(g.list) } : { freq: "WEEKLY", interval: interval(g), anchor: "weekday" }],
  [b(String.raw`${EVERY}\s+${N}days?`), (g) => ({ freq: "DAILY", interval: interval(g) })],
  [b(String.raw`${EVERY}\s+${N}months?`), (g) => ({ freq: "MONTHLY", interval: interval(g), anchor: "monthday" })],
  [b(String.raw`${EVERY}\s+${N}years?`), (g) => ({ freq: "YEARLY", interval: interval(g), anchor: "yearday" })],
  [b(String.raw`daily`), () => ({ freq: "DAILY", interval: 1 })],
  [b(String.raw`weekly`), () => ({ freq: "WEEKLY", interval: 1, anchor: "weekday" })],
  [b(String.raw`monthly`), () => ({ freq: "MONTHLY", interval: 1, anchor: "monthday" })],
  [b(String.raw`(?:yearly|annually)`), () => ({ freq: "YEARLY", interval: 1, anchor: "yearday" })],
];

/** The first repetition phrase in `text`, or null. Intervals run from 1 to 999. */
export function findRepetition(text: string): RepetitionMatch | null {
  let best: RepetitionMatch | null = null;
  for (const [re, build] of TABLE) {
    const m = re.exec(text);
    if (!m || m.index === undefined) continue;
    const groups = m.groups ?? {};
    const built = build(groups, m[0]);
    if (built.interval < 1 || built.interval > 999) continue;
    if (built.byDay && built.byDay.length === 0) continue;
    if (built.freq === "YEARLY" && built.byMonth && built.byMonthDay && !dayExistsInMonth(built.byMonth, built.byMonthDay[0]!)) continue;
    const match: RepetitionMatch = {
      start: m.index,
      end: m.index + m[0].length,
      parts: { anchor: "none", ...built },
      fromCompletion: Boolean(groups.bang || groups.bang2),
    };
    // The table is ordered by specificity; among phrases in different places the earliest wins.
    if (!best || match.start < best.start) best = match;
  }
  return best;
}

// 29 February counts (a yearly rule on it falls in leap years, as a calendar's would).
function dayExistsInMonth(month: number, day: number): boolean {
  return day <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** The weekday code of a YYYY-MM-DD date. */
export function weekdayOf(isoDate: string): Weekday {
  const d = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return WEEK[(d + 6) % 7]!;
}

/**
 * The RRULE text for the parts, an anchor filling what the phrase left open. Order: FREQ,
 * INTERVAL (only when above 1), BYMONTH, BYMONTHDAY, BYDAY, BYSETPOS, then COUNT or UNTIL.
 */
export function rruleText(parts: RepetitionParts, anchorDate: string, end: { count?: number; until?: string } = {}): string {
  const filled = { ...parts };
  const month = Number(anchorDate.slice(5, 7));
  const day = Number(anchorDate.slice(8, 10));
  if (parts.anchor === "weekday") filled.byDay = [weekdayOf(anchorDate)];
  if (parts.anchor === "monthday") Object.assign(filled, monthDayParts(day));
  if (parts.anchor === "yearday") Object.assign(filled, { byMonth: month, byMonthDay: [day] });
  const out = [`FREQ=${filled.freq}`];
  if (filled.interval > 1) out.push(`INTERVAL=${filled.interval}`);
  if (filled.byMonth) out.push(`BYMONTH=${filled.byMonth}`);
  if (filled.byMonthDay) out.push(`BYMONTHDAY=${filled.byMonthDay.join(",")}`);
  if (filled.byDay) out.push(`BYDAY=${filled.byDay.join(",")}`);
  if (filled.bySetPos) out.push(`BYSETPOS=${filled.bySetPos}`);
  if (end.count) out.push(`COUNT=${end.count}`);
  else if (end.until) out.push(`UNTIL=${end.until.replace(/-/g, "")}`);
  return out.join(";");
}
