import { PRIORITY_LABELS } from "../tasks/labels.js";
import { calendarDays } from "../tasks/due.js";
import { formatDate } from "../tasks/format.js";
import type { QuickAdd } from "./parse.js";
import { describeRule } from "../recurrence/rule-words.js";

/** One thing quick add understood, as the preview lists it. */
export interface UnderstoodFact {
  label: "Title" | "Due" | "Time" | "Priority" | "Repeats";
  value: string;
}

/** The text as typed cut into runs, the runs quick add took marked (the preview's <mark>). */
export interface EchoRun {
  text: string;
  taken: boolean;
}

/** "today", "tomorrow", "Friday" (within a week), else "Thu 3 Dec 2026". */
export function dayInWords(date: string, today: string): string {
  const days = calendarDays(today, date);
  if (days === 0) return "today";
  if (days === 1) return "tomorrow";
  const full = formatDate(date);
  return days > 1 && days < 7 ? `${WEEKDAY_NAMES[full.slice(0, 3)]} (${full})` : full;
}

const WEEKDAY_NAMES: Record<string, string> = { Sun: "Sunday", Mon: "Monday", Tue: "Tuesday", Wed: "Wednesday", Thu: "Thursday", Fri: "Friday", Sat: "Saturday" };

export function understoodFacts(q: QuickAdd, today: string): UnderstoodFact[] {
  const facts: UnderstoodFact[] = [];
  if (q.title) facts.push({ label: "Title", value: q.title });
  if (q.dueDate) facts.push({ label: "Due", value: dayInWords(q.dueDate, today) });
  if (q.dueTime) facts.push({ label: "Time", value: q.dueTime });
  if (q.spans.some((s) => s.kind === "priority")) facts.push({ label: "Priority", value: PRIORITY_LABELS[q.priority] });
  if (q.rrule) facts.push({ label: "Repeats", value: describeRule(q.rrule, q.repeatFrom) });
  return facts;
}

/** The status line's summary: "tomorrow 09:00, high, every week on Sunday" (empty when only a title). */
export function understoodSummary(q: QuickAdd, today: string): string {
  const when = q.dueDate ? [dayInWords(q.dueDate, today), q.dueTime].filter(Boolean).join(" ") : "";
  const priority = q.spans.some((s) => s.kind === "priority") ? PRIORITY_LABELS[q.priority].toLowerCase() : "";
  const repeats = q.rrule ? describeRule(q.rrule, q.repeatFrom) : "";
  return [when, priority, repeats].filter(Boolean).join(", ");
}

/** The typed text cut at the spans' edges. */
export function echoRuns(text: string, q: QuickAdd): EchoRun[] {
  const runs: EchoRun[] = [];
  let at = 0;
  for (const s of q.spans) {
    if (s.start > at) runs.push({ text: text.slice(at, s.start), taken: false });
    if (s.end > Math.max(at, s.start)) runs.push({ text: text.slice(Math.max(at, s.start), s.end), taken: true });
    at = Math.max(at, s.end);
  }
  if (at < text.length) runs.push({ text: text.slice(at), taken: false });
  return runs;
}
