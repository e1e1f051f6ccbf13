import { html } from "hono/html";
import { ruleWords } from "../recurrence/rule-words.js";
import type { DueClock } from "../tasks/format.js";
import { PRIORITY_LABELS, STATUS_LABELS } from "../tasks/labels.js";
import type { TaskView } from "./models.js";
import { dueShown, taskUrls } from "./task-due.js";

// Rules repeat across rows and requests: their words are worked out once each (bounded, as rules are few).
const RULE_WORDS = new Map<string, string>();
function repeatWords(rrule: string): string {
  let words = RULE_WORDS.get(rrule);
  if (words === undefined) {
    words = ruleWords(rrule) ?? "repeats";
    if (RULE_WORDS.size >= 1000) RULE_WORDS.clear();
    RULE_WORDS.set(rrule, words);
  }
  return words;
}

export interface ItemContext {
  /** The owner's now and local date, worked out once per request for every row. */
  clock: DueClock;
  timezone: string;
  /** The list the user is on: where the new-task form and the edit form return to. */
  back: string;
}

/**
 * Where a row's forms and links send their htmx requests: set once on the list (htmx 4 inherits
 * only what is marked `:inherited`), so each row carries nothing but its own URLs. Boosting makes
 * the row's plain forms and Edit link the htmx requests themselves, answered with a row.
 */
export const ROW_HTMX = {
  "hx-boost:inherited": "true",
  "hx-target:inherited": "closest li",
  "hx-swap:inherited": "outerHTML",
  "hx-push-url:inherited": "false",
};

/**
 * One task in the list; htmx swaps exactly this element after complete, reopen or an edit. A list
 * shows 50 at once, so a row is kept light: its forms carry no hidden fields (a plain post returns
 * to the page it came from through its Referer), its htmx attributes come from the list
 * (ROW_HTMX), and app.js puts the title into the delete confirmation. It is written with hono's
 * `html` template rather than JSX (every value still escaped): JSX elements were the largest cost
 * of rendering a list, at 15 µs a row. An open task's Move opens the page's one shared menu
 * (app.js; views/reschedule.tsx), or without JavaScript its own small page.
 */
export function TaskItem(props: { task: TaskView; ctx: ItemContext }) {
  const { task, ctx } = props;
  const urls = taskUrls(task);
  const done = task.status === "done";
  const due = dueShown(task, ctx.clock);
  // Without JavaScript, Delete opens a confirmation page (GET); htmx (boosted, hx-method) posts to
  // the same URL once the person confirms, and removes the row.
  return html`<li id="task-${task.id}" class="task priority-${task.priority} due-${due.state}${done ? " is-done" : ""}"><form method="post" action="${urls.toggle}">${task.rrule && !done ? html`<input type="hidden" name="occurrence" value="${task.occurrence}">` : ""}<button class="check" aria-label="${done ? `Reopen “${task.title}”` : `Mark “${task.title}” done`}"></button></form><a class="task-title" href="${urls.url}" hx-boost="false">${task.title}</a><p>${PRIORITY_LABELS[task.priority]} · ${STATUS_LABELS[task.status]} · ${due.facts}${task.rrule ? html` · <span class="repeats">${repeatWords(task.rrule)}</span>` : ""}</p>${done ? "" : html`<a href="${urls.url}/reschedule" class="move" hx-boost="false" aria-label="Move “${task.title}”">Move</a>`}<a href="${urls.edit}" aria-label="Edit “${task.title}”">Edit</a><form action="${urls.delete}" hx-method="post" hx-swap="delete" hx-confirm="Delete this task? This cannot be undone."><button aria-label="Delete “${task.title}”">Delete</button></form></li>`;
}
