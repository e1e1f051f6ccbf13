import type { Task } from "../db/schema.js";
import { describeDueOn, type DueClock } from "../tasks/format.js";
import { PRIORITY_LABELS, STATUS_LABELS } from "./labels.js";

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
 * One task in the list; htmx swaps exactly this element after complete, reopen or an edit. Kept
 * light (about 500 bytes), as a list shows 50 at once: the row's forms carry no hidden fields (a
 * plain post returns to the page it came from through its Referer) and its htmx attributes come
 * from the list (ROW_HTMX).
 */
export function TaskItem(props: { task: Task; ctx: ItemContext }) {
  const { task, ctx } = props;
  const url = `/tasks/${task.id}`;
  const done = task.status === "done";
  const due = task.dueAt && task.dueDate ? describeDueOn({ dueDate: task.dueDate, dueTime: task.dueTime, dueAt: task.dueAt, done }, ctx.clock) : null;
  const state = due ? (done ? "done" : due.state) : "none";
  return (
    <li id={`task-${task.id}`} class={`task priority-${task.priority} due-${state}${done ? " is-done" : ""}`}>
      <form method="post" action={`${url}/${done ? "reopen" : "complete"}`}>
        <button class="check" aria-label={done ? `Reopen “${task.title}”` : `Mark “${task.title}” done`}></button>
      </form>
      <a class="task-title" href={url} hx-boost="false">
        {task.title}
      </a>
      <p>
        {PRIORITY_LABELS[task.priority]} · {STATUS_LABELS[task.status]} ·{" "}
        {due ? (
          <>
            {state === "overdue" ? <strong>Overdue: </strong> : null}
            <time datetime={due.iso}>{due.absolute}</time> ({due.relative})
          </>
        ) : (
          "No due date"
        )}
      </p>
      <a href={`${url}/edit`} aria-label={`Edit “${task.title}”`}>
        Edit
      </a>
      {/* Without JavaScript the button opens a confirmation page (GET); htmx (boosted, hx-method)
          posts to the same URL after hx-confirm and removes the row. */}
      <form action={`${url}/delete`} hx-method="post" hx-swap="delete" hx-confirm={`Delete “${task.title}”? This cannot be undone.`}>
        <button aria-label={`Delete “${task.title}”`}>Delete</button>
      </form>
    </li>
  );
}
