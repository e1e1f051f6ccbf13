import { DateTime } from "luxon";
import { daysUntil } from "./due.js";

export interface DueLabel {
  /** e.g. "Thu 3 Dec 2026, 14:00" in the owner's zone. */
  absolute: string;
  /** e.g. "in 2 days", "today", "overdue by 3 days". */
  relative: string;
  /** ISO instant for a <time datetime> attribute. */
  iso: string;
  state: "overdue" | "today" | "soon" | "later";
}

const days = (n: number) => `${n} ${n === 1 ? "day" : "days"}`;
const hours = (n: number) => `${n} ${n === 1 ? "hour" : "hours"}`;
const minutes = (n: number) => `${n} ${n === 1 ? "minute" : "minutes"}`;

/** How a due date reads to its owner: absolute in their zone, and relative to now. */
export function describeDue(
  task: { dueDate: string; dueTime: string | null; dueAt: Date; done: boolean },
  now: Date,
  timezone: string,
): DueLabel {
  const local = DateTime.fromJSDate(task.dueAt, { zone: timezone });
  const absolute = task.dueTime
    ? local.toFormat("ccc d LLL yyyy, HH:mm")
    : DateTime.fromISO(task.dueDate).toFormat("ccc d LLL yyyy");
  const dayDiff = daysUntil(task.dueDate, now, timezone);
  const msLeft = task.dueAt.getTime() - now.getTime();
  const overdue = msLeft < 0 && !task.done;

  let relative: string;
  if (msLeft < 0) {
    const lateDays = -dayDiff;
    const late =
      lateDays >= 1 ? days(lateDays) : task.dueTime ? untilText(-msLeft) : "less than a day";
    relative = task.done ? `was due ${lateDays >= 1 ? `${days(lateDays)} ago` : "today"}` : `overdue by ${late}`;
  } else if (dayDiff === 0) {
    relative = task.dueTime ? `today, in ${untilText(msLeft)}` : "today";
  } else if (dayDiff === 1) {
    relative = "tomorrow";
  } else {
    relative = `in ${days(dayDiff)}`;
  }
  const state = overdue ? "overdue" : dayDiff === 0 ? "today" : dayDiff <= 2 ? "soon" : "later";
  return { absolute, relative, iso: task.dueAt.toISOString(), state };
}

function untilText(ms: number): string {
  const totalMinutes = Math.max(1, Math.round(ms / 60000));
  return totalMinutes >= 60 ? hours(Math.round(totalMinutes / 60)) : minutes(totalMinutes);
}
