import { raw } from "hono/html";
import { ruleWords } from "../recurrence/rule-words.js";
import type { DueClock } from "../tasks/format.js";
import { PRIORITY_LABELS, STATUS_LABELS } from "../tasks/labels.js";
import type { TaskView } from "./models.js";
import { escapeHtml } from "./escape-html.js";
import { dueFacts, taskUrls } from "./task-due.js";

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
 * (ROW_HTMX), and app.js puts the title into the delete confirmation. An open task's Move opens the
 * page's one shared menu (app.js; views/reschedule.tsx), or without JavaScript its own small page.
 *
 * It is built as one string (the person's words through escapeHtml) and marked escaped once: JSX
 * elements cost 15 µs a row, hono's `html` template (a String object and a buffer per template,
 * three nested per row) about 2 µs; concatenation about 1 µs (issue #8's profiles).
 */
export function TaskItem(props: { task: TaskView; ctx: ItemContext }) {
  return raw(taskItemHtml(props.task, props.ctx));
}

/** A page of rows, as one escaped string. */
export function TaskItems(props: { tasks: TaskView[]; ctx: ItemContext }) {
  return raw(props.tasks.map((task) => taskItemHtml(task, props.ctx)).join(""));
}

function taskItemHtml(task: TaskView, ctx: ItemContext): string {
  const urls = taskUrls(task);
  const done = task.status === "done";
  const due = dueFacts(task, ctx.clock);
  // The person's words are escaped; ids are uuids and every other piece is our own text.
  const title = escapeHtml(task.title);
  const id = task.id;
  const occurrence = task.rrule && !done ? `<input type="hidden" name="occurrence" value="${task.occurrence}">` : "";
  const check = done ? `Reopen “${title}”` : `Mark “${title}” done`;
  const repeats = task.rrule ? ` · <span class="repeats">${escapeHtml(repeatWords(task.rrule))}</span>` : "";
  // Without JavaScript, Delete opens a confirmation page (GET); htmx (boosted, hx-method) posts to
  // the same URL once the person confirms, and removes the row.
  const move = done ? "" : `<a href="${urls.url}/reschedule" class="move" hx-boost="false" aria-label="Move “${title}”">Move</a>`;
  return (
    `<li id="task-${id}" class="task priority-${task.priority} due-${due.state}${done ? " is-done" : ""}">` +
    `<form method="post" action="${urls.toggle}">${occurrence}<button class="check" aria-label="${check}"></button></form>` +
    `<a class="task-title" href="${urls.url}" hx-boost="false">${title}</a>` +
    `<p>${PRIORITY_LABELS[task.priority]} · ${STATUS_LABELS[task.status]} · ${due.html}${repeats}</p>` +
    move +
    `<a href="${urls.edit}" aria-label="Edit “${title}”">Edit</a>` +
    `<form action="${urls.delete}" hx-method="post" hx-swap="delete" hx-confirm="Delete this task? This cannot be undone."><button aria-label="Delete “${title}”">Delete</button></form></li>`
  );
}
