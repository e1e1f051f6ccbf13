import type { Task } from "../db/schema.js";
import { describeDue } from "../tasks/format.js";
import { PRIORITY_LABELS, STATUS_LABELS } from "./labels.js";

export interface ItemContext {
  now: Date;
  timezone: string;
  /** Where a plain (no-JavaScript) post should land afterwards: the list the user was on. */
  back: string;
}

/** One task in the list; htmx swaps exactly this element after complete, reopen or an edit. */
export function TaskItem(props: { task: Task; ctx: ItemContext }) {
  const { task, ctx } = props;
  const done = task.status === "done";
  const due = task.dueAt && task.dueDate ? describeDue({ dueDate: task.dueDate, dueTime: task.dueTime, dueAt: task.dueAt, done }, ctx.now, ctx.timezone) : null;
  const classes = ["task", `priority-${task.priority}`, done ? "is-done" : "", due && !done ? `due-${due.state}` : ""];
  const toggle = done ? "reopen" : "complete";
  return (
    <li id={`task-${task.id}`} class={classes.filter(Boolean).join(" ")}>
      <form method="post" action={`/tasks/${task.id}/${toggle}`} hx-post={`/tasks/${task.id}/${toggle}`} hx-target="closest li" hx-swap="outerHTML" class="toggle">
        <input type="hidden" name="next" value={ctx.back} />
        <button type="submit" class="check" aria-label={done ? `Reopen “${task.title}”` : `Mark “${task.title}” done`}>
          <span aria-hidden="true">{done ? "✓" : ""}</span>
        </button>
      </form>
      <div class="task-main">
        <a class="task-title" href={`/tasks/${task.id}`}>
          {task.title}
        </a>
        <div class="task-meta">
          <span class={`badge priority ${task.priority}`}>{PRIORITY_LABELS[task.priority]}</span>
          <span class={`badge status ${task.status}`}>{STATUS_LABELS[task.status]}</span>
          {due ? (
            <span class={`due due-${done ? "done" : due.state}`}>
              {!done && due.state === "overdue" ? <strong>Overdue: </strong> : null}
              <time datetime={due.iso}>{due.absolute}</time> <span class="relative">({due.relative})</span>
            </span>
          ) : (
            <span class="due none">No due date</span>
          )}
        </div>
      </div>
      <div class="task-actions">
        <a href={`/tasks/${task.id}/edit`} hx-get={`/tasks/${task.id}/edit`} hx-target="closest li" hx-swap="outerHTML" class="button small" aria-label={`Edit “${task.title}”`}>
          Edit
        </a>
        {/* Without JavaScript the button opens a confirmation page (GET); htmx posts after hx-confirm. */}
        <form method="get" action={`/tasks/${task.id}/delete`} hx-post={`/tasks/${task.id}/delete`} hx-confirm={`Delete “${task.title}”? This cannot be undone.`} hx-target="closest li" hx-swap="delete" class="inline">
          <input type="hidden" name="next" value={ctx.back} />
          <button type="submit" class="small danger" aria-label={`Delete “${task.title}”`}>
            Delete
          </button>
        </form>
      </div>
    </li>
  );
}
