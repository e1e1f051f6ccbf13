import type { ItemContext } from "./task-item.js";
import { PRIORITY_LABELS, STATUS_LABELS } from "../tasks/labels.js";
import type { TaskView } from "./models.js";
import { dueShown, taskUrls } from "./task-due.js";
import { RescheduleForm } from "./reschedule.js";
import { nextMonday } from "../tasks/planning.js";
import { CompletionNotice, RecentCompletions, RepeatLine, type CompletionView } from "./recurrence.js";

/** A repeating task's part of its page: the notice after completing it here, and its completions. */
export interface RepeatPanel {
  notice: { words: string; completionId: string } | null;
  completions: CompletionView[];
}

/** The task on its own page: everything about it, and the same actions as in the list. */
export function TaskPage(props: { task: TaskView; ctx: ItemContext; repeat?: RepeatPanel }) {
  const { task, ctx } = props;
  const urls = taskUrls(task);
  const done = task.status === "done";
  const due = dueShown(task, ctx.clock);
  const at = (d: Date) => new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: ctx.timezone }).format(d);
  return (
    <article class={`task-page priority-${task.priority}${done ? " is-done" : ""}`}>
      <p>
        <a href="/tasks">← All tasks</a>
      </p>
      {props.repeat?.notice ? <CompletionNotice words={props.repeat.notice.words} completionId={props.repeat.notice.completionId} as="div" title={task.title} /> : null}
      <h1>{task.title}</h1>
      {task.rrule ? <RepeatLine rrule={task.rrule} repeatFrom={task.repeatFrom} /> : null}
      <dl class="facts">
        <dt>Status</dt>
        <dd>{STATUS_LABELS[task.status]}</dd>
        <dt>Priority</dt>
        <dd>{PRIORITY_LABELS[task.priority]}</dd>
        <dt>Due</dt>
        <dd>
          {due.state === "none" ? due.facts : <span class={`due due-${due.state}`}>{due.facts}</span>}
        </dd>
        <dt>Created</dt>
        <dd>{at(task.createdAt)}</dd>
        <dt>Updated</dt>
        <dd>{at(task.updatedAt)}</dd>
        {task.completedAt ? (
          <>
            <dt>Completed</dt>
            <dd>{at(task.completedAt)}</dd>
          </>
        ) : null}
      </dl>
      {task.notes ? <div class="notes">{task.notes}</div> : <p class="muted">No notes.</p>}
      <div class="actions">
        <form method="post" action={urls.toggle} class="inline">
          <input type="hidden" name="next" value={urls.url} />
          {task.rrule && !done ? <input type="hidden" name="occurrence" value={String(task.occurrence)} /> : null}
          <button type="submit" class="primary">
            {done ? "Reopen" : "Mark done"}
          </button>
        </form>
        {task.rrule && !done ? (
          <form method="post" action={`${urls.url}/skip`} class="inline">
            <input type="hidden" name="next" value={urls.url} />
            <input type="hidden" name="occurrence" value={String(task.occurrence)} />
            <button type="submit">Skip this one</button>
          </form>
        ) : null}
        <a class="button" href={urls.edit}>
          Edit
        </a>
        <form method="get" action={urls.delete} class="inline" hx-post={urls.delete} hx-confirm={`Delete “${task.title}”? This cannot be undone.`}>
          <input type="hidden" name="next" value="/tasks" />
          <button type="submit" class="danger">
            Delete
          </button>
        </form>
      </div>
      {done ? null : (
        <section class="reschedule-panel" aria-labelledby="reschedule-heading">
          <h2 id="reschedule-heading">Move to</h2>
          <RescheduleForm task={task} back={urls.url} nextMonday={nextMonday(ctx.clock.today)} />
        </section>
      )}
      {props.repeat ? <RecentCompletions completions={props.repeat.completions} timezone={ctx.timezone} title={task.title} /> : null}
    </article>
  );
}

/** Asks before deleting, for browsers without JavaScript (htmx asks with hx-confirm instead). */
export function DeleteConfirmPage(props: { task: TaskView; back: string }) {
  return (
    <section class="narrow">
      <h1>Delete this task?</h1>
      <p>
        <strong>{props.task.title}</strong> will be deleted. This cannot be undone.
      </p>
      <form method="post" action={`/tasks/${props.task.id}/delete`} class="actions">
        <input type="hidden" name="next" value={props.back} />
        <button type="submit" class="danger">
          Delete “{props.task.title}”
        </button>
        <a class="button" href={`/tasks/${props.task.id}`}>
          Keep it
        </a>
      </form>
    </section>
  );
}
