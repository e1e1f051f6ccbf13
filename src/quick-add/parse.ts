import * as chrono from "chrono-node/en";
import { DateTime } from "luxon";
import type { TaskPriority } from "../db/schema.js";
import { addDays, localDate } from "../tasks/due.js";
import { firstOccurrence } from "../recurrence/rule.js";
import { findRepetition, rruleText } from "./repetition.js";

/*
 * Quick add: one line of English → a task. chrono-node (English parsers only, which is also all
 * the Worker bundles) reads dates and times; a small pattern table (repetition.ts) reads the
 * repetition phrases chrono does not; priority is a `!word`. Every part the parser takes is
 * recorded as a span of the original text, so the preview can highlight exactly those words and
 * the title is what is left.
 */

/** How an ambiguous numeric date reads: "3/12" is 3 December (dmy) or March 12 (mdy). */
export type DateOrder = "dmy" | "mdy";

export interface QuickAddSpan {
  /** [start, end) in the text as typed. */
  start: number;
  end: number;
  kind: "due" | "priority" | "repeat" | "end";
}

export interface QuickAdd {
  title: string;
  /** The owner's local date, YYYY-MM-DD. */
  dueDate: string | null;
  /** 24-hour HH:MM, only with a date. */
  dueTime: string | null;
  /** "medium" unless a `!word` said otherwise (then a span of kind "priority" exists). */
  priority: TaskPriority;
  rrule: string | null;
  repeatFrom: "due" | "completion";
  spans: QuickAddSpan[];
  /** Something understood that cannot make a task (a repetition that ends before it starts). */
  problem: string | null;
}

export interface QuickAddContext {
  now: Date;
  /** The owner's IANA zone: "tomorrow" is their tomorrow. */
  timezone: string;
  dateOrder: DateOrder;
}

/** The longest text parsed: a task title is at most 200 characters, and chrono's time grows with length. */
export const QUICK_ADD_MAX = 500;

// `!1` is the most urgent, as Todoist's p1; the words are the app's own priority names.
const PRIORITY_WORDS: Record<string, TaskPriority> = {
  low: "low", medium: "medium", med: "medium", high: "high", urgent: "urgent",
  "1": "urgent", "2": "high", "3": "medium", "4": "low",
};
const PRIORITY = /(?<!\S)!(low|medium|med|high|urgent|[1-4])(?![\p{L}\p{N}])/giu;
const COUNT = /(?<![\p{L}\p{N}])(?:(?:for\s+)?(\d{1,3})\s+times|x(\d{1,3}))(?![\p{L}\p{N}])/iu;
const UNTIL = /(?<![\p{L}\p{N}])until\s+/iu;
/** Words that lead into a date and go with it: "due friday", "starting monday", "by 5pm". */
const LEAD_IN = /(?<![\p{L}\p{N}])(?:due(?:\s+(?:on|by))?|by|on|at|from|starting(?:\s+(?:on|from))?|before)\s+$/iu;
/**
 * Words chrono reads alone as dates that are more often plain words ("Sun cream", "buy sat nav",
 * "fix it now"): taken only with more around them ("sat 10am"). "now" would be a deadline already past.
 */
const WORD_LIKE_DATES = new Set(["sun", "sat", "wed", "mar", "may", "now", "right now"]);

/**
 * What a line of quick add means.
 *
 * @example
 * parseQuickAdd("Pay rent tomorrow 9am !high", { now, timezone: "Europe/Paris", dateOrder: "dmy" })
 * // → { title: "Pay rent", dueDate: "2026-06-16", dueTime: "09:00", priority: "high", rrule: null, … }
 */
export function parseQuickAdd(input: string, ctx: QuickAddContext): QuickAdd {
  const text = input.slice(0, QUICK_ADD_MAX);
  const spans: QuickAddSpan[] = [];
  // What is still free to read: each part taken is blanked out (same length, so offsets hold).
  let free = text;
  const take = (start: number, end: number, kind: QuickAddSpan["kind"]) => {
    spans.push({ start, end, kind });
    free = free.slice(0, start) + " ".repeat(end - start) + free.slice(end);
  };

  let priority: TaskPriority = "medium";
  for (const m of text.matchAll(PRIORITY)) {
    priority = PRIORITY_WORDS[m[1]!.toLowerCase()]!;
    take(m.index, m.index + m[0].length, "priority");
  }

  const repetition = findRepetition(free);
  if (repetition) take(leadIn(free, repetition.start), repetition.end, "repeat");

  const today = localDate(ctx.now, ctx.timezone);
  const reference = { instant: ctx.now, timezone: DateTime.fromJSDate(ctx.now, { zone: ctx.timezone }).offset };
  const parser = ctx.dateOrder === "dmy" ? chrono.GB : chrono.casual;
  const read = (part: string) => parser.parse(part, reference, { forwardDate: true });

  // Ends belong to a repetition only: "for 5 times", "x5", "until 2027-06-30", "until june".
  let count: number | undefined;
  let until: string | undefined;
  let bothEnds = false;
  if (repetition) {
    const m = COUNT.exec(free);
    if (m && Number(m[1] ?? m[2]) >= 1) {
      count = Number(m[1] ?? m[2]);
      take(m.index, m.index + m[0].length, "end");
    }
    const u = UNTIL.exec(free);
    const after = u ? u.index + u[0].length : -1;
    const end = u ? read(free.slice(after)).find((r) => r.index === 0 && (acceptable(r) || r.start.isCertain("month"))) : undefined;
    if (u && end) {
      bothEnds = count !== undefined;
      until = endDate(end, today);
      take(u.index, after + end.text.length, "end");
    }
  }

  const found = read(free).find(acceptable);
  let typedDate: string | null = null;
  let dueTime: string | null = null;
  if (found) {
    take(leadIn(free, found.index), found.index + found.text.length, "due");
    const c = found.start;
    if (c.isCertain("hour")) dueTime = `${pad(c.get("hour")!)}:${pad(c.get("minute") ?? 0)}`;
    if (c.isCertain("day") || c.isCertain("weekday") || c.isCertain("month")) typedDate = ymd(c);
  }
  // A time alone is today while it is still ahead, otherwise tomorrow (never a moment already past).
  const timeAlreadyPast = dueTime !== null && dueTime <= DateTime.fromJSDate(ctx.now, { zone: ctx.timezone }).toFormat("HH:mm");
  let dueDate = typedDate ?? (dueTime ? (timeAlreadyPast ? addDays(today, 1) : today) : null);

  let rrule: string | null = null;
  let problem: string | null = null;
  if (repetition) {
    // The rule's open day (which weekday "every week" means) comes from the typed date, else today;
    // its first date is its first occurrence on or after that date (never before today).
    rrule = rruleText(repetition.parts, typedDate ?? today, { count, until });
    const from = typedDate ? (typedDate > today ? typedDate : today) : timeAlreadyPast ? addDays(today, 1) : today;
    dueDate = firstOccurrence(rrule, from);
    if (bothEnds) problem = "Give the repetition one end: a number of times or an end date, not both.";
    else if (!dueDate) problem = "That repetition ends before its first date: choose a later end.";
  }

  return {
    title: titleLeft(text, spans),
    dueDate,
    dueTime: dueDate ? dueTime : null,
    priority,
    rrule,
    repeatFrom: repetition?.fromCompletion ? "completion" : "due",
    spans: spans.sort((a, b) => a.start - b.start),
    problem,
  };
}

type Parsed = ReturnType<typeof chrono.casual.parse>[number];

/**
 * chrono reads some words alone as dates ("morning", "March", "sun"); a title keeps those. Taken:
 * a day, a weekday or a time of day, and the word-like abbreviations only with something more.
 */
function acceptable(r: Parsed): boolean {
  if (WORD_LIKE_DATES.has(r.text.trim().toLowerCase())) return false;
  return r.start.isCertain("day") || r.start.isCertain("weekday") || r.start.isCertain("hour");
}

/** An end date: the day typed, or the last day of a month named alone ("until june" = to the end of June). */
function endDate(r: Parsed, today: string): string {
  const c = r.start;
  if (c.isCertain("day") || c.isCertain("weekday")) return ymd(c);
  const month = c.get("month")!;
  let year = c.get("year")!;
  // forwardDate reads this month's name as next year's; the end of this month is still ahead.
  if (!c.isCertain("year") && lastDayOf(year - 1, month) >= today) year -= 1;
  return lastDayOf(year, month);
}

function lastDayOf(year: number, month: number): string {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

function leadIn(free: string, start: number): number {
  const m = LEAD_IN.exec(free.slice(0, start));
  return m ? m.index : start;
}

function ymd(c: Parsed["start"]): string {
  return `${String(c.get("year")).padStart(4, "0")}-${pad(c.get("month")!)}-${pad(c.get("day")!)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** The text without the words taken, spaces collapsed and stray separators at the ends dropped. */
function titleLeft(text: string, spans: QuickAddSpan[]): string {
  let out = "";
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, s.start) + " ";
    at = Math.max(at, s.end);
  }
  out += text.slice(at);
  return out
    .replace(/\s+/g, " ")
    .replace(/\s+([,;:.])(?=\s|$)/g, "$1")
    .replace(/^[\s,;:–—-]+|[\s,;:–—-]+$/g, "")
    .trim();
}
