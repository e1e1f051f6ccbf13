import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { describeDueOn, type DueClock } from "../tasks/format.js";
import type { TaskView } from "./models.js";

/** How a task's deadline is shown: the state its class names, and the words. */
export interface DueShown {
  /** "none" without a due date, "done" once completed, else how close the deadline is. */
  state: "overdue" | "today" | "soon" | "later" | "done" | "none";
  /** "Overdue: " when it is, the date in a <time>, and how far off it is; or "No due date". */
  facts: HtmlEscapedString | Promise<HtmlEscapedString> | "No due date";
}

/**
 * The due label both the list row and the task page show. Written with hono's `html` template
 * like the row itself (the list renders 50 of them); JSX on the task page takes it as it is.
 */
export function dueShown(task: TaskView, clock: DueClock): DueShown {
  const done = task.status === "done";
  if (!task.dueAt || !task.dueDate) return { state: "none", facts: "No due date" };
  const due = describeDueOn({ dueDate: task.dueDate, dueTime: task.dueTime, dueAt: task.dueAt, done }, clock);
  const state = done ? "done" : due.state;
  return {
    state,
    facts: html`${state === "overdue" ? html`<strong>Overdue: </strong>` : ""}<time datetime="${due.iso}">${due.absolute}</time> (${due.relative})`,
  };
}

/** Where a task's own forms post: open or close it, and delete it. */
export function taskUrls(task: TaskView) {
  const url = `/tasks/${task.id}`;
  return { url, toggle: `${url}/${task.status === "done" ? "reopen" : "complete"}`, edit: `${url}/edit`, delete: `${url}/delete` };
}
