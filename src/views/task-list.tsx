import type { TaskStatus } from "../db/schema.js";
import { filterQuery, isFiltered } from "../tasks/filters.js";
import { statusesShown, type TaskFilter } from "../db/task-query.js";
import { emptyTaskForm } from "../tasks/task-input.js";
import { ROW_HTMX, TaskItems, type ItemContext } from "./task-item.js";
import { TaskFormView } from "./task-form.js";
import { PRIORITY_OPTIONS, STATUS_LABELS, STATUS_OPTIONS } from "../tasks/labels.js";
import type { TaskView } from "./models.js";
import type { NavCounts } from "../db/task-views.js";
import { QuickAddForm } from "./quick-add.js";
import { SharedMoveMenu } from "./reschedule.js";
import { renderOnce } from "./render-once.js";

/** One page of rows: what "load more" shows. */
export interface RowsModel {
  filter: TaskFilter;
  tasks: TaskView[];
  nextCursor: string | null;
  ctx: ItemContext;
}

/** The whole list: rows plus the counts per status, and the navigation's counts. */
export interface ListModel extends RowsModel {
  counts: Record<TaskStatus, number>;
  nav: NavCounts;
}

const DUE_OPTIONS = [
  ["", "Any time"],
  ["overdue", "Overdue"],
  ["today", "Due today"],
  ["week", "Next 7 days"],
  ["none", "No due date"],
] as const;
const SORT_OPTIONS = [
  ["due", "Due date"],
  ["priority", "Priority"],
  ["created", "Newest"],
  ["updated", "Recently updated"],
] as const;

/** The whole /tasks page: the new-task form, the filters, and the results region htmx refreshes. */
export function TaskListPage(props: { model: ListModel }) {
  const { filter } = props.model;
  return (
    <>
      <h1>Your tasks</h1>
      <QuickAddForm back="/tasks" />
      <details class="new-task" open={props.model.counts.todo + props.model.counts.in_progress + props.model.counts.done === 0}>
        <summary>New task</summary>
        {renderOnce(`new-task-form ${props.model.ctx.back}`, () => <TaskFormView form={emptyTaskForm()} errors={{}} back={props.model.ctx.back} />)}
      </details>
      {/* One request queue for every filter control, the newest replacing any still in flight: a queued
          request would otherwise target the #task-results that the one before it replaced. */}
      <form
        id="filters"
        class="filters"
        method="get"
        action="/tasks"
        role="search"
        hx-get="/tasks"
        hx-target="#task-results"
        hx-swap="outerHTML"
        hx-push-url="true"
        hx-sync="replace"
        hx-trigger="change, submit, input delay:300ms target:#filter-q"
      >
        <fieldset>
          <legend>Status</legend>
          {STATUS_OPTIONS.map(([value, label]) => (
            <label class="chip">
              <input type="checkbox" name="status" value={value} checked={filter.statuses.includes(value)} /> {label}
            </label>
          ))}
          {/* With no status chosen the list is the open tasks; this adds the finished ones (issue #13). */}
          <label class="chip">
            <input type="checkbox" name="done" value="1" checked={filter.showDone} /> Show done
          </label>
        </fieldset>
        <fieldset>
          <legend>Priority</legend>
          {PRIORITY_OPTIONS.map(([value, label]) => (
            <label class="chip">
              <input type="checkbox" name="priority" value={value} checked={filter.priorities.includes(value)} /> {label}
            </label>
          ))}
        </fieldset>
        <div class="row">
          <div class="field">
            <label for="filter-due">Due</label>
            <select id="filter-due" name="due">
              {DUE_OPTIONS.map(([value, label]) => (
                <option value={value} selected={(filter.due ?? "") === value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filter-sort">Sort by</label>
            <select id="filter-sort" name="sort">
              {SORT_OPTIONS.map(([value, label]) => (
                <option value={value} selected={filter.sort === value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div class="field grow">
            <label for="filter-q">Search</label>
            <input id="filter-q" type="search" name="q" value={filter.q} placeholder="Words in title or notes" />
          </div>
          <button type="submit" class="apply">
            Apply
          </button>
        </div>
      </form>
      <TaskResults model={props.model} />
      <SharedMoveMenu />
    </>
  );
}

/** The part of the list page that filters replace; an htmx filter request gets exactly this. */
export function TaskResults(props: { model: ListModel; oob?: boolean }) {
  const { filter, tasks, nextCursor, ctx } = props.model;
  return (
    // tabindex: where app.js puts focus when a swap removed the control that held it.
    <section id="task-results" aria-labelledby="results-heading" tabindex={-1} hx-swap-oob={props.oob ? "true" : undefined}>
      <h2 id="results-heading" class="visually-hidden">
        Results
      </h2>
      <StatusCounts filter={filter} counts={props.model.counts} />
      <ul id="task-list" class="tasks" {...ROW_HTMX}>
        <TaskRows tasks={tasks} ctx={ctx} filter={filter} nextCursor={nextCursor} />
      </ul>
    </section>
  );
}

/** Rows plus the "load more" row; the next page is exactly this again, swapped over that row. */
export function TaskRows(props: { tasks: TaskView[]; ctx: ItemContext; filter: TaskFilter; nextCursor: string | null }) {
  const { filter, nextCursor } = props;
  const nextUrl = nextCursor ? `/tasks${filterQuery(filter, { cursor: nextCursor })}` : null;
  return (
    <>
      <TaskItems tasks={props.tasks} ctx={props.ctx} />
      {nextUrl ? (
        <li class="more">
          <a class="button" href={nextUrl} hx-get={nextUrl} hx-target="closest li" hx-swap="outerHTML">
            Load more
          </a>
        </li>
      ) : null}
    </>
  );
}

/**
 * Counts per status (under every other filter) and the matching total. htmx refreshes this
 * out of band whenever a task is completed, reopened or deleted, so it never goes stale.
 */
export function StatusCounts(props: { filter: TaskFilter; counts: Record<TaskStatus, number>; oob?: boolean }) {
  const { filter, counts } = props;
  const total = counts.todo + counts.in_progress + counts.done;
  const open = counts.todo + counts.in_progress;
  const shown = statusesShown(filter);
  const matching = shown ? shown.reduce((n, s) => n + counts[s], 0) : total;
  // Open is what the list shows with no status chosen; All adds the done ones ("Show done").
  const withStatus = (statuses: TaskStatus[], showDone = false) => `/tasks${filterQuery({ ...filter, statuses, showDone })}`;
  const none = filter.statuses.length === 0;
  return (
    <div id="status-counts" hx-swap-oob={props.oob ? "true" : undefined}>
      <nav class="counts" aria-label="Tasks by status">
        <a href={withStatus([])} aria-current={none && !filter.showDone ? "true" : undefined}>
          Open <span class="count">{open}</span>
        </a>
        {STATUS_OPTIONS.map(([status]) => (
          <a href={withStatus([status])} aria-current={filter.statuses.length === 1 && filter.statuses[0] === status && !filter.showDone ? "true" : undefined}>
            {STATUS_LABELS[status]} <span class="count">{counts[status]}</span>
          </a>
        ))}
        <a href={withStatus([], true)} aria-current={none && filter.showDone ? "true" : undefined}>
          All <span class="count">{total}</span>
        </a>
      </nav>
      {/* Not a live region itself (htmx replaces it); app.js reads it out through #announcer. */}
      <p class="summary">
        {matching === 0
          ? isFiltered(filter)
            ? "No tasks match these filters."
            : total
              ? "Nothing open: every task is done."
              : "No tasks yet. Add your first one above."
          : `${matching} ${isFiltered(filter) ? "" : "open "}${matching === 1 ? "task" : "tasks"}${isFiltered(filter) ? (matching === 1 ? " matches" : " match") + " your filters" : ""}.`}
        {isFiltered(filter) ? (
          <>
            {" "}
            <a href="/tasks">Clear filters</a>
          </>
        ) : null}
      </p>
    </div>
  );
}
