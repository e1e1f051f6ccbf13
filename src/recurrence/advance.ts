import type { SQL } from "drizzle-orm";
import { moveRepeatingTask, type MoveTo } from "../db/completions.js";
import type { Db } from "../db/database.js";
import type { Task } from "../db/schema.js";
import { completeOneOffOrRead, getTask } from "../db/tasks.js";
import { addDays, dueMoment, localDate } from "../tasks/due.js";
import { occurrenceFrom } from "./rule.js";

// Completing and skipping occurrences of a repeating task. The task keeps its id (and its page);
// its due date moves along the rule, its time of day stays, and its due moment is worked out again
// in the owner's zone (so 09:00 stays 09:00 across a DST change).

/**
 * Where a repeating task goes next: the first occurrence after its due date that is also after
 * the owner's today, so the task always lands in the future. Missed occurrences of an overdue task
 * are passed over (and counted towards COUNT), not recorded. Repeating from completion counts from
 * the owner's local date of completion instead. `{ ended: true }` once the series has no more.
 */
export function nextPlace(task: Pick<Task, "rrule" | "repeatFrom" | "dueDate" | "dueTime" | "occurrence">, timezone: string, now: Date): MoveTo {
  const today = localDate(now, timezone);
  const base = task.repeatFrom === "completion" ? today : task.dueDate!;
  const next = occurrenceFrom(task.rrule!, base, task.occurrence, addDays(today, 1));
  if (!next) return { ended: true };
  const dueTime = task.dueTime ? task.dueTime.slice(0, 5) : null;
  return { dueDate: next.date, dueAt: dueMoment(next.date, dueTime, timezone), occurrence: next.occurrence };
}

export interface CompleteResult {
  task: Task;
  /** True when a repeating task moved on (or its series ended) by this call. */
  moved: boolean;
  /** Set when a repeating task moved on: the completion recorded for the occurrence it left. */
  completionId: string | null;
  /** The caller's `extra` SQL, evaluated after a repeating task moved (src/db/completions.ts); null otherwise. */
  extra: unknown;
}

/**
 * True when the task is still at the occurrence the page showed (its forms send `occurrence`): a
 * second click, or a tab left open since, must not complete or skip the occurrence after it.
 * Without one (an email link checks its own due date) any occurrence is the current one.
 */
function atOccurrence(task: Pick<Task, "occurrence">, expected: number | undefined): boolean {
  return expected === undefined || task.occurrence === expected;
}

/** How many times to read again when the task changed between the read and the move. */
const ATTEMPTS = 2;

/**
 * Completes a task: a one-off is done (one statement); a repeating one records the occurrence
 * as completed and moves to its next occurrence, or is done when its series has ended (two).
 * Null when the owner has no such task.
 */
export async function completeTask(db: Db, user: { id: string; timezone: string }, id: string, now: Date, extra?: SQL, expected?: number): Promise<CompleteResult | null> {
  for (let attempt = 1; ; attempt++) {
    const read = await completeOneOffOrRead(db, user.id, id, now);
    if (!read) return null;
    const { task } = read;
    if (read.completed || task.status === "done" || task.rrule === null || task.dueDate === null) return { task, moved: false, completionId: null, extra: null };
    if (!atOccurrence(task, expected)) return { task, moved: false, completionId: null, extra: null };
    const to = nextPlace(task, user.timezone, now);
    // The last occurrence of a series is completed like a one-off (the task itself shows it done).
    const moved = await moveRepeatingTask(db, user.id, task, to, !("ended" in to), now, extra);
    if (moved) return { ...moved, moved: true };
    if (attempt === ATTEMPTS) return { task: (await getTask(db, user.id, id)) ?? task, moved: false, completionId: null, extra: null };
  }
}

/**
 * "Skip this one": a repeating task moves to its next occurrence without recording a completion.
 * Null when the owner has no such task; `moved: false` for a task that does not repeat or is done.
 */
export async function skipOccurrence(db: Db, user: { id: string; timezone: string }, id: string, now: Date, extra?: SQL, expected?: number): Promise<CompleteResult | null> {
  for (let attempt = 1; ; attempt++) {
    const task = await getTask(db, user.id, id);
    if (!task) return null;
    if (task.rrule === null || task.dueDate === null || task.status === "done") return { task, completionId: null, extra: null, moved: false };
    if (!atOccurrence(task, expected)) return { task, completionId: null, extra: null, moved: false };
    const moved = await moveRepeatingTask(db, user.id, task, nextPlace(task, user.timezone, now), false, now, extra);
    if (moved) return { ...moved, moved: true };
    if (attempt === ATTEMPTS) return { task, completionId: null, extra: null, moved: false };
  }
}
