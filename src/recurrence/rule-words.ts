import { parseRule, type ParsedRule, type WeekdayCode } from "./rule.js";

// A repetition rule in words, as the task page, the edit form, quick add's preview and the list
// rows say it ("every month on the last day, from the due date"): rrule's toText() was not used.

const DAY_NAMES: Record<WeekdayCode, string> = { MO: "Monday", TU: "Tuesday", WE: "Wednesday", TH: "Thursday", FR: "Friday", SA: "Saturday", SU: "Sunday" };
const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const ORDINAL_WORDS: Record<number, string> = { 1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", [-1]: "last", [-2]: "second-to-last", [-3]: "third-to-last" };
const WORKWEEK = ["MO", "TU", "WE", "TH", "FR"];

/** 1st, 2nd, 3rd, 4th, 11th, 21st, 31st. */
function ordinalNumber(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}

/** "a, b and c". */
const listed = (items: string[]): string => (items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`);
const every = (n: number, unit: string): string => (n === 1 ? `every ${unit}` : `every ${n} ${unit}s`);
const ordinalWord = (n: number): string => ORDINAL_WORDS[n] ?? ordinalNumber(n);
const monthDayWords = (d: number): string => (d === -1 ? "the last day" : d < 0 ? `the ${ordinalWord(d)} day` : `the ${ordinalNumber(d)}`);
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** The "28,29,…,d;BYSETPOS=-1" convention: day d, or the month's last day when it is shorter. */
function clampedMonthDay(rule: ParsedRule): number | null {
  if (rule.bySetPos.length !== 1 || rule.bySetPos[0] !== -1 || rule.byDay.length) return null;
  const days = [...rule.byMonthDay].sort((a, b) => a - b);
  const last = days.at(-1)!;
  if (days[0] !== 28 || last < 29 || days.length !== last - 27 || !days.every((d, i) => d === 28 + i)) return null;
  return last;
}

function weekdayWords(rule: ParsedRule): string {
  return listed(rule.byDay.map((d) => (d.nth === null ? DAY_NAMES[d.day] : `the ${ordinalWord(d.nth)} ${DAY_NAMES[d.day]}`)));
}

function coreWords(rule: ParsedRule): string {
  const plainDays = rule.byDay.every((d) => d.nth === null) ? rule.byDay.map((d) => d.day) : [];
  switch (rule.freq) {
    case "DAILY":
      return every(rule.interval, "day") + (rule.byDay.length ? ` on ${weekdayWords(rule)}` : "");
    case "WEEKLY":
      if (rule.interval === 1 && sameSet(plainDays, WORKWEEK) && !rule.bySetPos.length) return "every weekday";
      return every(rule.interval, "week") + (rule.byDay.length ? ` on ${weekdayWords(rule)}` : "");
    case "MONTHLY": {
      const months = every(rule.interval, "month");
      const clamped = clampedMonthDay(rule);
      if (clamped !== null) {
        return `on the ${ordinalNumber(clamped)} of ${months} (the last day in shorter months)`;
      }
      if (rule.bySetPos.length === 1 && sameSet(plainDays, WORKWEEK) && !rule.byMonthDay.length) return `${months} on the ${ordinalWord(rule.bySetPos[0]!)} weekday`;
      if (!rule.bySetPos.length && rule.byMonthDay.length && !rule.byDay.length) return `${months} on ${listed(rule.byMonthDay.map(monthDayWords))}`;
      if (!rule.bySetPos.length && !rule.byMonthDay.length && rule.byDay.length && rule.byDay.every((d) => d.nth !== null)) return `${months} on ${weekdayWords(rule)}`;
      break;
    }
    case "YEARLY": {
      const years = every(rule.interval, "year");
      if (rule.byMonth.length === 1 && !rule.byDay.length) {
        const month = MONTH_NAMES[rule.byMonth[0]! - 1]!;
        if (rule.byMonth[0] === 2 && rule.bySetPos.length === 1 && rule.bySetPos[0] === -1 && sameSet(rule.byMonthDay.map(String), ["28", "29"])) {
          return `${years} on 29 February (28 February in other years)`;
        }
        if (rule.byMonthDay.length === 1 && !rule.bySetPos.length) {
          const d = rule.byMonthDay[0]!;
          return d > 0 ? `${years} on ${d} ${month}` : `${years} on ${monthDayWords(d)} of ${month}`;
        }
      }
      if (!rule.byMonth.length && !rule.byMonthDay.length && !rule.byDay.length) return years;
      break;
    }
  }
  return genericWords(rule);
}

/** Any other rule of the subset, part by part: plain, if not elegant. */
function genericWords(rule: ParsedRule): string {
  const unit = { DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year" }[rule.freq];
  const parts = [every(rule.interval, unit)];
  if (rule.byMonth.length) parts.push(`in ${listed(rule.byMonth.map((m) => MONTH_NAMES[m - 1]!))}`);
  if (rule.byMonthDay.length) parts.push(`on ${listed(rule.byMonthDay.map(monthDayWords))}`);
  if (rule.byDay.length) parts.push(`on ${weekdayWords(rule)}`);
  if (rule.bySetPos.length) parts.push(`(only the ${listed(rule.bySetPos.map(ordinalWord))} of those)`);
  return parts.join(" ");
}

/** 30 June 2027. */
function longDate(date: string): string {
  return `${Number(date.slice(8, 10))} ${MONTH_NAMES[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
}

/**
 * The rule in words, with its end and what it counts from.
 * @example describeRule("FREQ=MONTHLY;BYMONTHDAY=-1", "due") // "every month on the last day, from the due date"
 */
export function describeRule(rrule: string, repeatFrom: "due" | "completion"): string {
  const short = ruleWords(rrule);
  return short === null ? "repeats (a rule SmartTask cannot read)" : `${short}, ${repeatFrom === "completion" ? "from completion" : "from the due date"}`;
}

/** The rule in words without what it counts from ("every month on the last day, 5 times"), as a list row shows it; null when unreadable. */
export function ruleWords(rrule: string): string | null {
  const rule = parseRule(rrule);
  if (!rule) return null;
  const end = rule.count === 1 ? ", once" : rule.count !== null ? `, ${rule.count} times` : rule.until ? `, until ${longDate(rule.until)}` : "";
  return `${coreWords(rule)}${end}`;
}
