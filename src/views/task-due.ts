import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { describeDueOn, type DueClock } from "../tasks/format.js";
import type { TaskView } from "./models.js";

/** How a task's deadline is shown: the state its class names, and the words as HTML. */
export interface DueFacts {
  /** "none" without a due date, "done" once completed, else how close the deadline is. */
  state: "overdue" | "today" | "soon" | "later" | "done" | "none";
  /** "Overdue: " when it is, the date in a <time>, and how far off it is; or "No due date". */
  html: string;
}

/**
 * The due label both the list row and the task page show, built as a string: the list renders 50
 * of them per request, and templates cost more than the text itself (see task-item.tsx).
 */
export function dueFacts(task: TaskView, clock: DueClock): DueFacts {
  const done = task.status === "done";
  if (!task.dueAt || !task.dueDate) return { state: "none", html: "No due date" };
  const due = describeDueOn({ dueDate: task.dueDate, dueTime: task.dueTime, dueAt: task.dueAt, done }, clock);
  const state = done ? "done" : due.state;
  // Dates, times and our own words: nothing in them needs escaping.
  const time = `<time datetime="${due.iso}">${due.absolute}</time> (${due.relative})`;
  return { state, html: state === "overdue" ? `<strong>Overdue: </strong>${time}` : time };
}

/** dueFacts for JSX (the task page): the same words, marked as already escaped. */
export function dueShown(task: TaskView, clock: DueClock): { state: DueFacts["state"]; facts: HtmlEscapedString } {
  const { state, html } = dueFacts(task, clock);
  return { state, facts: raw(html) };
}

/** Where a task's own forms post: open or close it, and delete it. */
export function taskUrls(task: TaskView) {
  const url = `/tasks/${task.id}`;
  return { url, toggle: `${url}/${task.status === "done" ? "reopen" : "complete"}`, edit: `${url}/edit`, delete: `${url}/delete` };
}
